import { createServer } from 'node:http';
import { downloadFile } from '../../../src/guarded-fetch/download';
import { listen, type RunningServer } from '../../../src/http/server';
import { PermanentError, RetryableError, retryHint } from '../../../src/queue/errors';
import { startRecorder, streamBytes, type Recorder } from './support';

const MB = 1024 * 1024;

describe("files fetched for flows and registrations: capped, timed, and never from Ponte's own port", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const recorder = async (...args: Parameters<typeof startRecorder>): Promise<Recorder> => {
    const r = await startRecorder(...args);
    closers.push(() => r.close());
    return r;
  };

  test("Ponte's own port is refused, by any name of this machine, directly or after a redirect", async () => {
    let hits = 0;
    const ponte: RunningServer = await listen(
      (_req, res) => {
        hits += 1;
        res.end('ponte_up 1');
      },
      0,
      '127.0.0.1',
    );
    closers.push(() => ponte.close(100));
    for (const host of ['127.0.0.1', 'localhost', '127.1.2.3', '[::ffff:127.0.0.1]', '0.0.0.0']) {
      const err = await downloadFile(`http://${host}:${ponte.port}/metrics`, MB).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as Error).message).toMatch(/is Ponte itself/);
    }
    const bouncer = await recorder((_req, res) => res.writeHead(302, { Location: `http://localhost:${ponte.port}/admin/sessions` }).end());
    await expect(downloadFile(`${bouncer.url}/image.png`, MB)).rejects.toThrow(/is Ponte itself/);
    expect(hits).toBe(0);
  });

  test('once Ponte stops listening, its old port is an ordinary one again', async () => {
    const ponte = await listen((_req, res) => res.end('x'), 0, '127.0.0.1');
    const port = ponte.port;
    await ponte.close(100);
    // Another program (not Ponte: plain node:http) takes the freed port.
    const other = createServer((_req, res) => res.end('someone else'));
    await new Promise<void>((resolve) => other.listen(port, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => other.close(() => resolve())));
    await expect(downloadFile(`http://127.0.0.1:${port}/`, MB)).resolves.toMatchObject({ data: Buffer.from('someone else') });
  });

  test('file:// and other schemes are refused for good', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/x', 'data:,secret']) {
      const err = await downloadFile(url, MB).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
    }
  });

  test('with a host list, a URL elsewhere is refused and that host never hears of it', async () => {
    const listed = await recorder((_req, res) => res.end('ok'));
    const other = await recorder();
    await expect(downloadFile(`${listed.url}/a.pdf`, MB, { hosts: [`127.0.0.1:${listed.port}`] })).resolves.toMatchObject({
      data: Buffer.from('ok'),
    });
    const err = await downloadFile(`${other.url}/a.pdf`, MB, {
      hosts: [`127.0.0.1:${listed.port}`],
      hostsName: 'registration.fileHosts',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/registration\.fileHosts/);
    expect(other.requests).toEqual([]);
  });

  test('a body above the cap is cut off as soon as the cap is passed: permanent', async () => {
    const big = await recorder((_req, res) => streamBytes(res, 1024 * MB));
    const err = await downloadFile(`${big.url}/huge.jpg`, MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/larger than 1 MB/);
    await new Promise((r) => setTimeout(r, 200));
    expect(big.bytesWritten()).toBeLessThan(64 * MB);
  });

  test('the reason names the limit as configured, fractions included', async () => {
    const big = await recorder((_req, res) => streamBytes(res, 2 * MB));
    await expect(downloadFile(`${big.url}/a.jpg`, 0.25 * MB)).rejects.toThrow('the file is larger than 0.25 MB');
  });

  test('a dripping body is cut off at the deadline; a retry may do better', async () => {
    const slow = await recorder((_req, res) => streamBytes(res, 40 * 1024, { chunk: 1024, gapMs: 100 }));
    const err = await downloadFile(`${slow.url}/slow.jpg`, MB, 600).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetryableError);
    expect((err as Error).message).toMatch(/did not finish within/);
  });

  test('a 404 is permanent, a 503 is worth retrying', async () => {
    const gone = await recorder((_req, res) => res.writeHead(404).end());
    const busy = await recorder((_req, res) => res.writeHead(503).end());
    expect(retryHint(await downloadFile(`${gone.url}/x`, MB).catch((e: unknown) => e)).retryable).toBe(false);
    expect(retryHint(await downloadFile(`${busy.url}/x`, MB).catch((e: unknown) => e)).retryable).toBe(true);
  });
});
