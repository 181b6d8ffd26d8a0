import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { fetchCapped } from '../../../src/guarded-fetch/fetch-capped';

const MB = 1024 * 1024;

describe('a downloaded file is whole, however its length was told', () => {
  let server: Server;
  let url = '';
  const file = randomBytes(3 * MB + 17);
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'Content-Length': String(file.length) });
      if (req.url === '/gzip') {
        // The declared length is the compressed one; the body Ponte reads (decompressed) is longer.
        const packed = gzipSync(Buffer.concat([file, Buffer.alloc(MB)]));
        res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': String(packed.length) });
        return res.end(packed);
      }
      // Chunked (no length): in pieces, as a slow storage host sends it.
      for (let at = 0; at < file.length; at += 64 * 1024) res.write(file.subarray(at, at + 64 * 1024));
      res.end();
    });
    // The client keeps its socket for the next test: a server closing idle sockets after Node's 5 s default
    // races a reuse on a slow run (ECONNRESET). Ponte retries that in production; here it is not the subject.
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const rules = { maxBytes: 10 * MB, timeoutMs: 10_000 };

  test('with its length declared (read into one buffer of that size)', async () => {
    const got = await fetchCapped(`${url}/declared`, rules);
    expect(got.data.equals(file)).toBe(true);
  });

  test('without a length', async () => {
    const got = await fetchCapped(`${url}/chunked`, rules);
    expect(got.data.equals(file)).toBe(true);
  });

  test('longer than declared (a compressed body)', async () => {
    const got = await fetchCapped(`${url}/gzip`, rules);
    expect(got.data.equals(Buffer.concat([file, Buffer.alloc(MB)]))).toBe(true);
  });
});
