import type { IncomingMessage } from 'node:http';
import getRawBody from 'raw-body';

/**
 * Reads a request body up to `limit` bytes. A declared Content-Length above it is refused before the
 * first byte; a chunked body, as soon as it passes the limit. Either way the request is paused there, so
 * what was not read is never buffered.
 */
export async function readBodyCapped(req: IncomingMessage, limit: number): Promise<{ ok: true; body: Buffer } | { ok: false }> {
  try {
    return { ok: true, body: await getRawBody(req, { limit, length: req.headers['content-length'] }) };
  } catch (err) {
    if ((err as { type?: string }).type === 'entity.too.large') return { ok: false };
    throw err;
  }
}
