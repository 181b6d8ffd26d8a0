import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The HKDF info of each media type ("WhatsApp <X> Keys"). Round video notes (`ptv`) use the video keys
 * (WhatsApp's media key mapping; wppconnect's decrypt.js `mediaTypes` lacks it).
 */
const MEDIA_INFO: Record<string, string> = {
  image: 'Image',
  video: 'Video',
  ptv: 'Video',
  audio: 'Audio',
  ptt: 'Audio',
  document: 'Document',
  sticker: 'Image',
};

/** WhatsApp media encryption: HKDF-SHA256 expands the media key; AES-256-CBC; a 10-byte HMAC tail. */
export function encryptMedia(plain: Buffer, mediaKey: Buffer, type: string): Buffer {
  const expanded = Buffer.from(crypto.hkdfSync('sha256', mediaKey, Buffer.alloc(32), `WhatsApp ${MEDIA_INFO[type]} Keys`, 112));
  const iv = expanded.subarray(0, 16);
  const cipher = crypto.createCipheriv('aes-256-cbc', expanded.subarray(16, 48), iv);
  const enc = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = crypto
    .createHmac('sha256', expanded.subarray(48, 80))
    .update(Buffer.concat([iv, enc]))
    .digest()
    .subarray(0, 10);
  return Buffer.concat([enc, mac]);
}

/** Where a media message's encrypted bytes are, as WhatsApp Web's message model names them. */
export interface MediaLocation {
  mediaKey: string;
  clientUrl: string;
  deprecatedMms3Url: string;
  directPath: string;
}

/** WhatsApp's media CDN on loopback: encrypted files by token, a 404 for anything it does not have. */
export class FakeMediaCdn {
  /** Requests answered, by status. */
  readonly hits: number[] = [];
  private readonly files = new Map<string, Buffer>();
  private server?: http.Server;

  /** Encrypts `data` with a fresh media key; with `gone`, the file is not (any longer) on the CDN. */
  async store(data: Buffer, type: string, gone = false): Promise<MediaLocation> {
    const url = await this.url();
    const mediaKey = crypto.randomBytes(32);
    const token = crypto.randomBytes(8).toString('hex');
    if (!gone) this.files.set(token, encryptMedia(data, mediaKey, type));
    return {
      mediaKey: mediaKey.toString('base64'),
      clientUrl: `${url}/m/${token}.enc`,
      deprecatedMms3Url: `${url}/m/${token}.enc`,
      directPath: `/m/${token}.enc`,
    };
  }

  async close(): Promise<void> {
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = undefined;
  }

  private async url(): Promise<string> {
    if (!this.server) {
      this.server = http.createServer((req, res) => {
        const token = /^\/m\/([0-9a-f]+)\.enc$/.exec(req.url ?? '')?.[1];
        const body = token ? this.files.get(token) : undefined;
        this.hits.push(body ? 200 : 404);
        if (!body) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      });
      await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    }
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }
}
