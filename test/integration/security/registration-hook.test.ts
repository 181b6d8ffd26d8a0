import http from 'node:http';
import net from 'node:net';
import Redis from 'ioredis';
import pino from 'pino';
import { registrationFileHosts } from '../../../src/config/file-hosts';
import { buildApp } from '../../../src/http/app';
import { downloadFile } from '../../../src/guarded-fetch/download';
import { passThrough } from '../../../src/http/front/pass-through';
import { registrationHookRoutes } from '../../../src/http/registration-hook-routes';
import { listen, type RunningServer } from '../../../src/http/server';
import { createMetrics } from '../../../src/observability/metrics';
import { RegistrationDesk } from '../../../src/registration/desk';
import { signatureHeaders } from '../../../src/registration/signature';
import { Keys } from '../../../src/store/keys';
import { MediaStore } from '../../../src/store/media-store';
import { RegistrationStore } from '../../../src/store/registrations';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { tempDir } from '../../helpers/temp';
import { JPEG, PDF, PNG } from '../../unit/registration/support';
import { startRecorder, type Recorder } from './support';

const SECRET = 'registration-secret-for-security-tests';
const TOKEN = 'registration-hook-token-for-security-tests';
const MB = 1024 * 1024;
const FIELDS = {
  nome_completo: 'Rui Costa',
  nif: '501442600',
  telefone: '+351 934 000 111',
  email: 'rui@example.pt',
  morada: 'Av. Central 1',
  codigo_postal: '4000-001',
  cidade: 'Porto',
};

let redisServer: TestRedis;
let redis: Redis;
let server: RunningServer;
let files: Recorder;
let elsewhere: Recorder;
const forwarded: string[] = [];
/** Every connection the hook's server accepted, to count what it read from each. */
const sockets: net.Socket[] = [];

beforeAll(async () => {
  redisServer = await startRedisServer();
  redis = new Redis(redisServer.url);
  const keys = new Keys('sec:');
  // Typebot's file storage: serves the three documents by name.
  files = await startRecorder((req, res) => res.end(req.url?.includes('front') ? JPEG : req.url?.includes('back') ? PNG : PDF));
  elsewhere = await startRecorder();
  const config = {
    typebot: { language: 'en' as const, resumeLabel: 'bot', bots: {} },
    registration: { fileHosts: [`127.0.0.1:${files.port}`] },
  };
  const logger = pino({ level: 'silent' });
  const metrics = createMetrics({ version: 'test' });
  const desk = new RegistrationDesk({
    store: new RegistrationStore(redis, keys),
    media: new MediaStore(redis, keys, {
      dir: tempDir('ponte-sec-media-'),
      publicUrl: () => 'http://ponte.test',
      linkTtlMs: 3600_000,
      retentionMs: 3600_000,
    }),
    conversations: {
      setStatus: async () => undefined,
      labels: async () => [],
      addLabel: async () => undefined,
      removeLabel: async () => undefined,
      note: async () => undefined,
    },
    tell: async () => undefined,
    download: (url, max, opts) => downloadFile(url, max, opts),
    forward: async (id) => void forwarded.push(id),
    settings: {
      bot: 'drivers',
      fields: {
        name: 'nome_completo',
        nif: 'nif',
        phone: 'telefone',
        email: 'email',
        address: 'morada',
        postalCode: 'codigo_postal',
        city: 'cidade',
      },
      fileFields: ['cnh_frente', 'cnh_verso', 'comprovante_morada'],
      maxFileMB: 10,
      fileHosts: registrationFileHosts(config as never),
    },
    language: 'en',
    metrics,
    logger,
  });
  const hook = registrationHookRoutes(
    { secret: SECRET, token: TOKEN, fileFields: ['cnh_frente', 'cnh_verso', 'comprovante_morada'] },
    (body) =>
      desk.fromHook({
        session: 'main',
        resultId: body.resultId,
        variables: { ...body.fields, ...Object.fromEntries(Object.entries(body.fileUrls).map(([k, v]) => [k, v.join(', ')])) },
      }),
    metrics,
  );
  const app = buildApp({
    logger,
    adminToken: 'admin-token-for-security-tests',
    metrics,
    notReadyReasons: () => [],
    admin: [],
    publicRoutes: [hook],
  });
  server = await listen(app, 0, '127.0.0.1');
  server.server.on('connection', (s: net.Socket) => sockets.push(s));
});

afterAll(async () => {
  await server?.close(100);
  await files?.close();
  await elsewhere?.close();
  redis?.disconnect();
  await redisServer?.stop();
});

const post = async (body: unknown, query = `?token=${TOKEN}`, headers: Record<string, string> = {}) => {
  const res = await fetch(`http://127.0.0.1:${server.port}/hooks/typebot/registration${query}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { status?: string; problems?: Array<{ field: string }> } };
};

describe('file URLs in a registration hook are fetched only from the configured hosts', () => {
  test('files on the listed host are fetched; one on another port of the same machine is not, and the driver is asked for it', async () => {
    const res = await post({
      ...FIELDS,
      resultId: 'res-hosts-1',
      cnh_frente: `${files.url}/front.jpg`,
      cnh_verso: `${elsewhere.url}/back.png`,
      comprovante_morada: `${files.url}/proof.pdf`,
    });
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('fixing');
    expect(res.body.problems?.map((p) => p.field)).toEqual(['cnh_verso']);
    expect(elsewhere.requests).toEqual([]);
    expect(files.requests.map((r) => r.url).sort()).toEqual(['/front.jpg', '/proof.pdf']);
  });

  test('with every file on the listed host the registration goes on', async () => {
    const res = await post({
      ...FIELDS,
      resultId: 'res-hosts-2',
      cnh_frente: `${files.url}/front2.jpg`,
      cnh_verso: `${files.url}/back2.png`,
      comprovante_morada: `${files.url}/proof2.pdf`,
    });
    expect(res.body.status).toBe('queued');
    expect(forwarded).toHaveLength(1);
  });

  test('by default the listed hosts are the Typebot origins of the configuration', () => {
    const config = {
      typebot: { bots: { a: { baseUrl: 'https://viewer.example.com/' }, b: { baseUrl: 'http://typebot:3000' } } },
      registration: { resultsApi: { baseUrl: 'https://builder.example.com' } },
    };
    expect(registrationFileHosts(config as never)).toEqual([
      'https://viewer.example.com',
      'http://typebot:3000',
      'https://builder.example.com',
    ]);
  });
});

/** Sends `size` bytes of body (chunked unless `declared`), stopping when the server hangs up. */
async function flood(
  pathAndQuery: string,
  size: number,
  headers: Record<string, string> = {},
  declared = false,
  port = server.port,
): Promise<{ status?: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(answer);
      resolve({ status: m ? Number(m[1]) : undefined, closed: true });
    };
    socket.on('data', (b: Buffer) => (answer += b.toString('latin1')));
    socket.on('error', finish);
    socket.on('close', finish);
    const head = [
      `POST ${pathAndQuery} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Content-Type: application/json',
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      declared ? `Content-Length: ${size}` : 'Transfer-Encoding: chunked',
      '',
      '',
    ].join('\r\n');
    socket.write(head);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!done && sent < size) {
        sent += chunk.length;
        const ok = socket.write(
          declared ? chunk : Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]),
        );
        if (!ok) return void socket.once('drain', pump);
      }
      if (!done && !declared) socket.write('0\r\n\r\n');
    };
    pump();
    // A server that read it all and answered gets its answer here.
    setTimeout(finish, 20_000).unref();
  });
}

const readSoFar = () => sockets.reduce((n, s) => n + s.bytesRead, 0);

describe('the registration hook reads no more than a small limit before it knows the sender', () => {
  test.each([
    ['a wrong token, chunked', `/hooks/typebot/registration?token=wrong`, {}, false, 401],
    ['a wrong token, with Content-Length', `/hooks/typebot/registration?token=wrong`, {}, true, 401],
    ['no token and no signature', `/hooks/typebot/registration`, {}, false, 401],
    ['a stale signature', `/hooks/typebot/registration`, { 'X-Ponte-Signature': 'sha256=00', 'X-Ponte-Timestamp': '1000' }, false, 401],
    [
      'a fresh timestamp and a made-up signature, chunked',
      `/hooks/typebot/registration`,
      { 'X-Ponte-Signature': 'sha256=00', 'X-Ponte-Timestamp': String(Math.floor(Date.now() / 1000)) },
      false,
      413,
    ],
    [
      'a fresh timestamp and a made-up signature, with Content-Length',
      `/hooks/typebot/registration`,
      { 'X-Ponte-Signature': 'sha256=00', 'X-Ponte-Timestamp': String(Math.floor(Date.now() / 1000)) },
      true,
      413,
    ],
  ])('a 50 MB body with %s is refused after reading at most a little of it', async (_what, path, headers, declared, status) => {
    const before = readSoFar();
    const result = await flood(path, 50 * MB, headers, declared);
    expect(result.closed).toBe(true);
    expect(result.status).toBe(status);
    expect(readSoFar() - before).toBeLessThan(4 * MB);
  });

  test('three unauthenticated 50 MB bodies at once: all refused, together read far less than one', async () => {
    const before = readSoFar();
    const results = await Promise.all([0, 1, 2].map(() => flood('/hooks/typebot/registration?token=wrong', 50 * MB)));
    expect(results.map((r) => r.status)).toEqual([401, 401, 401]);
    expect(readSoFar() - before).toBeLessThan(12 * MB);
  });

  test("through the front thread's pass-through (how a daemon with Chatwoot is reached) the sender gets the 401, not a 502, and the front reads little", async () => {
    const frontSockets: net.Socket[] = [];
    const front = http.createServer(passThrough(server.port, pino({ level: 'silent' })));
    front.on('connection', (s: net.Socket) => frontSockets.push(s));
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', () => resolve()));
    try {
      const result = await flood('/hooks/typebot/registration?token=wrong', 50 * MB, {}, true, (front.address() as net.AddressInfo).port);
      expect(result.status).toBe(401);
      expect(frontSockets.reduce((n, s) => n + s.bytesRead, 0)).toBeLessThan(4 * MB);
    } finally {
      front.closeAllConnections();
      await new Promise<void>((resolve) => front.close(() => resolve()));
    }
  });

  test('a signed body within the limit is read, checked and taken', async () => {
    const body = JSON.stringify({
      ...FIELDS,
      resultId: 'res-signed-1',
      cnh_frente: `${files.url}/front3.jpg`,
      cnh_verso: `${files.url}/back3.png`,
      comprovante_morada: `${files.url}/proof3.pdf`,
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/hooks/typebot/registration`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...signatureHeaders(SECRET, body) },
      body,
    });
    expect(res.status).toBe(202);
  });

  test('a genuine token with a body above the authenticated limit gets 413', async () => {
    const res = await post({ ...FIELDS, padding: 'x'.repeat(2 * MB) });
    expect(res.status).toBe(413);
  });
});
