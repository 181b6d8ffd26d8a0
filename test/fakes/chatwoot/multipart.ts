import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';

export interface MultipartFile {
  field: string;
  filename: string;
  content_type: string;
  data: Buffer;
}

export interface MultipartBody {
  fields: Record<string, string | string[]>;
  files: MultipartFile[];
}

/** Parses an already-buffered multipart body (the app buffers every body so faults can fire before parsing). */
export function parseMultipart(headers: IncomingHttpHeaders, raw: Buffer): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    const out: MultipartBody = { fields: {}, files: [] };
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers, defParamCharset: 'utf8' });
    } catch (e) {
      reject(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    bb.on('field', (name, value) => {
      const prev = out.fields[name];
      out.fields[name] = prev === undefined ? value : ([] as string[]).concat(prev, value);
    });
    bb.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        out.files.push({ field, filename: info.filename ?? '', content_type: info.mimeType, data: Buffer.concat(chunks) });
      });
    });
    bb.on('error', (e) => reject(e instanceof Error ? e : new Error(String(e))));
    bb.on('close', () => resolve(out));
    bb.end(raw);
  });
}

/** Rails turns `a[b]=1` form fields into nested params; message create only needs one level. */
export function nestFields(fields: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) {
    const m = /^([^[\]]+)\[([^[\]]+)\]$/.exec(name);
    if (m) {
      const parent = (out[m[1]] ??= {}) as Record<string, unknown>;
      if (typeof parent === 'object' && parent !== null) parent[m[2]] = value;
    } else {
      out[name] = value;
    }
  }
  return out;
}
