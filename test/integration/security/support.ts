import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatwootClient } from '../../../src/chatwoot/client';
import type { ChatwootFake } from '../../fakes/chatwoot';

export interface Recorded {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
}

export interface Recorder {
  /** http://<host>:<port> */
  url: string;
  port: number;
  requests: Recorded[];
  /** Body bytes this server managed to hand to its sockets, all requests together. */
  bytesWritten(): number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP server that writes down every request it gets (headers included) and answers with
 * `handler`, or 200 "secret" by default: the stand-in for a storage host, another local service, or the
 * host a hostile URL names.
 */
export async function startRecorder(handler?: (req: IncomingMessage, res: ServerResponse) => void, host = '127.0.0.1'): Promise<Recorder> {
  const requests: Recorded[] = [];
  let written = 0;
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const write = res.write.bind(res) as (chunk: Buffer | string, cb?: () => void) => boolean;
    (res as unknown as { write: typeof write }).write = (chunk, cb) => {
      written += Buffer.byteLength(chunk);
      return write(chunk, cb);
    };
    if (handler) handler(req, res);
    else res.end('secret');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    port,
    requests,
    bytesWritten: () => written,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes `total` bytes in 64 KB chunks, respecting back-pressure, until done or the client goes away. */
export function streamBytes(
  res: ServerResponse,
  total: number,
  opts: { declareLength?: boolean; gapMs?: number; chunk?: number } = {},
): void {
  const size = opts.chunk ?? 64 * 1024;
  const chunk = Buffer.alloc(size, 0x61);
  res.writeHead(200, { 'Content-Type': 'application/pdf', ...(opts.declareLength ? { 'Content-Length': String(total) } : {}) });
  let sent = 0;
  const next = () => {
    while (sent < total && !res.destroyed) {
      const n = Math.min(size, total - sent);
      sent += n;
      const more = res.write(n === size ? chunk : chunk.subarray(0, n));
      if (opts.gapMs) return void setTimeout(next, opts.gapMs);
      if (!more) return void res.once('drain', next);
    }
    if (sent >= total) res.end();
  };
  res.on('close', () => (sent = total + 1));
  next();
}

/** An agent's message with one attachment in the fake, and its data_url as Ponte reads it from the API. */
export async function agentAttachment(fake: ChatwootFake, client: ChatwootClient, data: Buffer, phone = '+351912700001'): Promise<string> {
  const contact = await client.createContact({ inbox_id: 1, name: 'Cliente', phone_number: phone, source_id: phone.slice(1) });
  const conv = await client.createConversation({ source_id: phone.slice(1), inbox_id: 1, contact_id: contact.id });
  await fake.agentMessage(conv.id, {
    content: 'segue o ficheiro',
    attachments: [{ filename: 'fatura.pdf', content_type: 'application/pdf', data }],
  });
  const messages = await client.listMessages(conv.id);
  const url = messages
    .flatMap((m) => m.attachments ?? [])
    .map((a) => a.data_url)
    .find(Boolean);
  if (!url) throw new Error('the fake gave the message no data_url');
  return url;
}
