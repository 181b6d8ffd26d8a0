/**
 * An engine that cannot even be built (its library missing or broken) takes down neither the daemon nor
 * the other sessions: its session shows BAD_CREDENTIALS with the error as the reason.
 */
import pino from 'pino';
import { validate } from '../../../src/config/load';
import { startDaemon, type Daemon } from '../../../src/main';
import { request, startRedisServer, tempDir, waitFor, removeTempDirs, type TestRedis } from '../../helpers';

jest.mock('../../../src/engines/wppconnect/wppconnect-engine', () => ({
  WppconnectEngine: class {
    constructor() {
      throw new Error("Cannot find module 'puppeteer-core'");
    }
  },
}));

const TOKEN = 'unavailable-engine-admin-token';
let redis: TestRedis;
let daemon: Daemon | undefined;

beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  await daemon?.stop();
  await redis.stop();
  removeTempDirs();
});

test('the broken session is BAD_CREDENTIALS with the reason; the daemon is ready and the other session runs', async () => {
  const dir = tempDir('ponte-unavailable-');
  const config = validate(
    {
      http: { port: 0, host: '127.0.0.1', adminToken: TOKEN },
      redis: { url: redis.url },
      log: { level: 'silent' },
      sessionStore: { dir },
      sessions: [
        { id: 'broken', engine: 'wppconnect' },
        { id: 'fine', engine: 'simulator' },
      ],
    },
    'test',
  );
  daemon = await startDaemon(config, pino({ level: 'silent' }));
  const base = `http://127.0.0.1:${daemon.http.port}`;
  await waitFor(async () => (await request('GET', `${base}/readyz`)).status === 200, 5000, 20, '/readyz 200');
  const { body } = await request('GET', `${base}/admin/sessions`, { token: TOKEN });
  const byId = Object.fromEntries((body.sessions as Array<{ id: string }>).map((s) => [s.id, s]));
  expect(byId.broken).toMatchObject({
    engine: 'wppconnect',
    state: 'BAD_CREDENTIALS',
    reason: "the wppconnect engine could not be started: Cannot find module 'puppeteer-core'",
  });
  expect(byId.fine).toMatchObject({ engine: 'simulator', state: 'CONNECTED' });

  // asking it to pair again answers with the same reason instead of crashing anything
  const login = await request('POST', `${base}/admin/sessions/broken/login`, { token: TOKEN, json: {} });
  expect(login.status).toBe(200);
  expect(login.body).toMatchObject({ state: 'BAD_CREDENTIALS', reason: expect.stringContaining('puppeteer-core') });
  expect(daemon.sessions.status('fine')!.state).toBe('CONNECTED');
});
