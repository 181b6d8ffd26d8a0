/**
 * The real daemon: `node dist/src/cli/index.js start` with an embedded redis-server and one simulator
 * session, driven over HTTP like an operator would. Needs `npm run build` (npm test runs it first).
 */
import {
  isAlive,
  jsonLines,
  killPonte,
  liveChildren,
  redisServersIn,
  removeTempDirs,
  request,
  simulatorConfig,
  startPonte,
  waitFor,
  type RunningPonte,
} from '../helpers';

let ponte: RunningPonte;
let redisPid: number | undefined;
let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;

beforeAll(async () => {
  // connectDelayMs keeps the session CONNECTING for a moment, so readiness can be seen flipping.
  ponte = await startPonte((ctx) => simulatorConfig(ctx, [{ id: 'main', simulator: { connectDelayMs: 800, ackIntervalMs: 50 } }]), {
    waitReady: false,
  });
});

afterAll(async () => {
  try {
    await killPonte(ponte);
    if (redisPid) expect(isAlive(redisPid)).toBe(false);
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

const metrics = async () => (await request('GET', `${ponte.baseUrl}/metrics`)).text;

test('/healthz answers 200 as soon as the daemon listens', async () => {
  const res = await request('GET', `${ponte.baseUrl}/healthz`);
  expect(res.status).toBe(200);
  expect(res.body.status).toBe('ok');
  expect(res.body.pid).toBe(ponte.proc.pid);
});

test('/readyz is 503 naming the session while it connects, then 200 once connected', async () => {
  const early = await request('GET', `${ponte.baseUrl}/readyz`);
  expect(early.status).toBe(503);
  expect(early.body.reasons).toEqual(['session main is still CONNECTING']);
  await waitFor(async () => (await request('GET', `${ponte.baseUrl}/readyz`)).status === 200, 10000, 50, '/readyz 200');
  const ready = await request('GET', `${ponte.baseUrl}/readyz`);
  expect(ready.body).toEqual({ status: 'ready', reasons: [] });
});

test('the embedded redis-server runs in the configured data dir with its pid recorded', () => {
  redisPid = ponte.redisPid();
  expect(redisPid).toBeDefined();
  expect(isAlive(redisPid!)).toBe(true);
  expect(redisServersIn(ponte.dataDir)).toEqual([redisPid]);
});

test('GET /admin/sessions lists the session, connected, and needs the token', async () => {
  const res = await ponte.admin('GET', '/admin/sessions');
  expect(res.status).toBe(200);
  expect(res.body.sessions).toEqual([
    expect.objectContaining({ id: 'main', engine: 'simulator', state: 'CONNECTED', me: '+351910000000', reconnectAttempts: 0 }),
  ]);
  expect((await request('GET', `${ponte.baseUrl}/admin/sessions`)).status).toBe(401);
  expect((await request('GET', `${ponte.baseUrl}/admin/sessions`, { token: 'wrong' })).status).toBe(401);
});

test('a simulator message injected over the admin API is accepted (202) and delivered', async () => {
  const res = await ponte.admin('POST', '/admin/simulator/main/inbound', {
    json: { from: '+351912345678', type: 'text', text: 'olá from the e2e test', pushName: 'Maria' },
  });
  expect(res.status).toBe(202);
  expect(res.body).toEqual({ id: expect.any(String), delivered: true, state: 'CONNECTED' });
  const bad = await ponte.admin('POST', '/admin/simulator/main/inbound', { json: { from: '+351912345678', type: 'text' } });
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('text');
});

test('/metrics shows the session state and the build info', async () => {
  const text = await metrics();
  expect(text).toContain('ponte_session_state{session="main",state="CONNECTED"} 1');
  expect(text).toContain('ponte_session_state{session="main",state="CONNECTING"} 0');
  expect(text).toMatch(/^ponte_build_info\{version="\d+\.\d+\.\d+[^"]*",node="v\d+[^"]*"\} 1$/m);
  expect(text).toContain('ponte_redis_up 1');
});

test('a forced TRANSIENT_DISCONNECT is followed by an automatic reconnect', async () => {
  const res = await ponte.admin('POST', '/admin/simulator/main/state', {
    json: { state: 'TRANSIENT_DISCONNECT', reason: 'e2e network blip' },
  });
  expect(res.status).toBe(200);
  expect(res.body.state).toBe('TRANSIENT_DISCONNECT');
  // reconnect after 0.5-1 s (first backoff step); connectDelayMs adds 0.8 s in CONNECTING
  await waitFor(
    async () => (await ponte.admin('GET', '/admin/sessions/main')).body.state === 'CONNECTED',
    10000,
    50,
    'session main CONNECTED again',
  );
  const text = await metrics();
  expect(text).toContain('ponte_session_reconnects_total{session="main"} 1');
  expect(text).toContain('ponte_session_state{session="main",state="CONNECTED"} 1');
  const lines = jsonLines(ponte.logs());
  expect(lines).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ module: 'sessions', session: 'main', state: 'TRANSIENT_DISCONNECT', reason: 'e2e network blip' }),
      expect.objectContaining({ module: 'sessions', session: 'main', msg: 'reconnect scheduled', attempt: 1 }),
    ]),
  );
});

test('SIGTERM stops the daemon with exit code 0 and its redis-server with it', async () => {
  redisPid = ponte.redisPid();
  exit = await ponte.stop('SIGTERM');
  expect(exit).toEqual({ code: 0, signal: null });
  expect(isAlive(redisPid!)).toBe(false);
  expect(redisServersIn(ponte.dataDir)).toEqual([]);
  const msgs = jsonLines(ponte.logs()).map((l) => l.msg);
  expect(msgs).toEqual(expect.arrayContaining(['shutting down', 'embedded redis-server stopped', 'stopped']));
  // "stopped" is the very last word (this failed ~1 run in 3 while logging to stdout was asynchronous)
  expect(msgs.indexOf('stopped')).toBeGreaterThan(msgs.indexOf('embedded redis-server stopped'));
});

test('the logs are JSON lines that never contain the admin token', () => {
  const text = ponte.logs();
  const lines = jsonLines(text);
  expect(lines.length).toBeGreaterThan(5);
  expect(text).not.toContain(ponte.adminToken);
  for (const l of lines) expect(l).toMatchObject({ level: expect.any(Number), time: expect.any(Number), msg: expect.any(String) });
  // message bodies stay out of the logs too
  expect(text).not.toContain('olá from the e2e test');
});

test('every log line names the module it came from', () => {
  const withoutModule = jsonLines(ponte.logs()).filter((l) => typeof l.module !== 'string');
  expect(withoutModule).toEqual([]);
});
