import { ChatwootClient } from '../../../src/chatwoot/client';
import { ChatwootError } from '../../../src/chatwoot/errors';
import { listen, type RunningServer } from '../../../src/http/server';
import { PermanentError, retryHint } from '../../../src/queue/errors';
import { ChatwootFake } from '../../fakes/chatwoot';
import { agentAttachment, startRecorder, streamBytes, type Recorder } from './support';

const PDF = Buffer.from('%PDF-1.7\nthe invoice\n%%EOF\n');
const MB = 1024 * 1024;

/** The fake Chatwoot (redirecting blobs to `storageUrl` when given) and Ponte's client for it. */
async function chatwoot(storageUrl?: string, downloadTimeoutMs?: number): Promise<{ fake: ChatwootFake; client: ChatwootClient }> {
  const fake = new ChatwootFake({ storageUrl });
  const baseUrl = await fake.start();
  return { fake, client: new ChatwootClient({ baseUrl, accountId: 1, apiToken: fake.apiToken, timeoutMs: 2000, downloadTimeoutMs }) };
}

describe("an agent's attachment is fetched from Chatwoot and the storage it redirects to, nowhere else", () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  const recorder = async (...args: Parameters<typeof startRecorder>): Promise<Recorder> => {
    const r = await startRecorder(...args);
    closers.push(() => r.close());
    return r;
  };
  const cw = async (storageUrl?: string, downloadTimeoutMs?: number) => {
    const c = await chatwoot(storageUrl, downloadTimeoutMs);
    closers.push(() => c.fake.stop());
    return c;
  };

  test("a URL on another port of Chatwoot's host is refused for good, and that port never hears of it", async () => {
    const other = await recorder();
    const { client } = await cw();
    const err = await client.download(`${other.url}/internal/secret`, MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(retryHint(err).retryable).toBe(false);
    expect((err as Error).message).toMatch(/not an allowed host.*chatwoot\.baseUrl/);
    expect(other.requests).toEqual([]);
  });

  test("another name for Chatwoot's own address is another origin: refused", async () => {
    const { client, fake } = await cw();
    const url = await agentAttachment(fake, client, PDF);
    const renamed = url.replace('127.0.0.1', 'localhost');
    await expect(client.download(renamed, MB)).rejects.toThrow(/not an allowed host/);
  });

  test.each([['file:///etc/passwd'], ['data:text/plain;base64,c2VjcmV0'], ['ftp://127.0.0.1/x'], ['gopher://127.0.0.1:6379/_INFO']])(
    '%s is never fetched',
    async (url) => {
      const { client } = await cw();
      const err = await client.download(url, MB).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PermanentError);
      expect((err as Error).message).toMatch(/http and https only/);
    },
  );

  test("a redirect from Chatwoot to Ponte's own port (its /metrics) is not followed", async () => {
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
    const { client, fake } = await cw(`http://localhost:${ponte.port}/metrics`);
    const url = await agentAttachment(fake, client, PDF);
    const err = await client.download(url, MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/is Ponte itself/);
    expect(hits).toBe(0);
  });

  test('the API token goes to Chatwoot, never to the storage host Chatwoot redirects to; the file arrives', async () => {
    const storage = await recorder((_req, res) => res.end(PDF), 'localhost');
    const { client, fake } = await cw(storage.url);
    const url = await agentAttachment(fake, client, PDF);
    const file = await client.download(url, MB);
    expect(file.data).toEqual(PDF);
    expect(storage.requests).toHaveLength(1);
    const headers = storage.requests[0].headers;
    expect(headers.api_access_token).toBeUndefined();
    expect(JSON.stringify(headers)).not.toContain(fake.apiToken);
  });

  test('a storage host may not send Ponte on to a third host', async () => {
    const third = await recorder();
    const storage = await recorder((_req, res) => res.writeHead(302, { Location: `${third.url}/elsewhere` }).end(), 'localhost');
    const { client, fake } = await cw(storage.url);
    const url = await agentAttachment(fake, client, PDF);
    await expect(client.download(url, MB)).rejects.toThrow(/redirect .* was not followed/);
    expect(third.requests).toEqual([]);
  });

  test('a file above the cap stops the download early (a 1 GB body is not read) and fails for good', async () => {
    const storage = await recorder((_req, res) => streamBytes(res, 1024 * MB), 'localhost');
    const { client, fake } = await cw(storage.url);
    const url = await agentAttachment(fake, client, PDF);
    const err = await client.download(url, 2 * MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(/larger than 2 MB/);
    // The server stops when the client goes; what it wrote by then is the cap plus socket buffers.
    await new Promise((r) => setTimeout(r, 200));
    expect(storage.bytesWritten()).toBeLessThan(64 * MB);
  });

  test('a declared Content-Length above the cap is refused before the body is read', async () => {
    const storage = await recorder((_req, res) => streamBytes(res, 100 * MB, { declareLength: true }), 'localhost');
    const { client, fake } = await cw(storage.url);
    const url = await agentAttachment(fake, client, PDF);
    await expect(client.download(url, MB)).rejects.toThrow(/larger than 1 MB/);
    await new Promise((r) => setTimeout(r, 200));
    expect(storage.bytesWritten()).toBeLessThan(16 * MB);
  });

  test('a storage host dripping the body is cut off at the download deadline; worth retrying later', async () => {
    let closedEarly = false;
    const storage = await recorder((_req, res) => {
      res.on('close', () => (closedEarly = !res.writableFinished));
      // 40 chunks of 1 KB, 100 ms apart: 4 s in all, never idle long enough for a socket timeout.
      streamBytes(res, 40 * 1024, { chunk: 1024, gapMs: 100 });
    }, 'localhost');
    const { client, fake } = await cw(storage.url, 800);
    const url = await agentAttachment(fake, client, PDF);
    const err = await client.download(url, MB).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatwootError);
    expect((err as Error).message).toMatch(/did not finish within 1 s/);
    expect(retryHint(err).retryable).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(closedEarly).toBe(true);
  });

  test("Chatwoot's own redirect to its disk service still works, token and all", async () => {
    const { client, fake } = await cw();
    const url = await agentAttachment(fake, client, PDF);
    const file = await client.download(url, MB);
    expect(file.data).toEqual(PDF);
    expect(file.contentType).toBe('application/pdf');
  });
});
