/**
 * Where a session may run in a fleet, and `ponte sessions move` (issue #19, point 6): three `ponte start`
 * processes on one redis-server; fleet-a and fleet-c keep logins on one shared directory, fleet-b on a
 * disk of its own. A paired session only runs where its login is seen (no QR asked again); one never
 * paired runs anywhere. Needs `npm run build`.
 */
import Redis from 'ioredis';
import {
  jsonLines,
  killPonte,
  liveChildren,
  removeTempDirs,
  runCli,
  simulatorConfig,
  startPonte,
  startRedisServer,
  tempDir,
  waitFor,
  type PonteContext,
  type RunningPonte,
  type TestRedis,
} from '../helpers';

const TTL_MS = 1500;
let redis: TestRedis;
let client: Redis;
const shared = tempDir('ponte-fleet-shared-');
const own = tempDir('ponte-fleet-own-');
const started: RunningPonte[] = [];
const daemons = new Map<string, RunningPonte>();

// "paired" shows a QR once, then its phone pairs (remembered in its data dir); "fresh" is never paired.
const SESSIONS = [
  { id: 'paired', simulator: { requireQr: true, pairAfterMs: 300 } },
  { id: 'fresh', simulator: { requireQr: true } },
];

async function start(name: string, store: string): Promise<RunningPonte> {
  const p = await startPonte(
    (ctx: PonteContext) =>
      simulatorConfig(ctx, SESSIONS, { redis: { url: redis.url }, lease: { ttlMs: TTL_MS, daemonId: name }, sessionStore: { dir: store } }),
    { timeoutMs: 30_000 },
  );
  started.push(p);
  daemons.set(name, p);
  return p;
}

const status = async (p: RunningPonte, id: string) => (await p.admin('GET', `/admin/sessions/${id}`)).body;
const owner = (id: string) => client.get(`ponte:lease:session:${id}`);
const cli = (p: RunningPonte, ...args: string[]) =>
  runCli(['sessions', ...args, '--url', p.baseUrl, '--token', p.adminToken], {}, { timeoutMs: 30_000 });
const qrShown = (p: RunningPonte, id: string) =>
  jsonLines(p.logs()).filter((l) => l.session === id && l.msg === 'session state changed' && l.state === 'QR_REQUIRED');

beforeAll(async () => {
  redis = await startRedisServer();
  client = new Redis(redis.url);
});

afterAll(async () => {
  try {
    for (const p of started) await killPonte(p);
    await client?.quit();
    await redis?.stop();
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

test('sessions list shows where each session runs and the daemons; a paired session moves only to a daemon that sees its login, an unpaired one anywhere', async () => {
  const a = await start('fleet-a', shared);
  await waitFor(async () => (await status(a, 'paired')).state === 'CONNECTED', 10_000, 50, 'paired connected on fleet-a');
  expect((await status(a, 'fresh')).state).toBe('QR_REQUIRED');
  const b = await start('fleet-b', own);
  const c = await start('fleet-c', shared);
  await waitFor(async () => (await b.admin('GET', '/admin/fleet')).body.daemons.length === 3, 10_000, 50, 'three daemons announced');

  const list = await cli(b, 'list');
  expect(list.code).toBe(0);
  const rows = list.stdout.trim().split('\n');
  expect(rows[0]).toMatch(/^paired\s+simulator\s+STANDBY\s+\(owned by daemon fleet-a\)\s+\[on fleet-a\]$/);
  expect(rows[1]).toMatch(/^fresh\s+simulator\s+STANDBY\s+\(owned by daemon fleet-a\)\s+\[on fleet-a\]$/);
  expect(rows.slice(2)).toEqual([
    '',
    'daemons (3):',
    expect.stringMatching(/^fleet-a\s+runs 2\s+fresh paired\s+http:\/\/127\.0\.0\.1:\d+$/),
    expect.stringMatching(/^fleet-b\s+runs 0 /),
    expect.stringMatching(/^fleet-c\s+runs 0 /),
  ]);

  // fleet-b cannot see the login: refused, with the reason; nothing moved.
  const refused = await cli(a, 'move', 'paired', '--to', 'fleet-b');
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('which daemon fleet-b does not see');
  expect(await owner('paired')).toBe('fleet-a');
  const unknown = await cli(a, 'move', 'paired', '--to', 'fleet-z');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain('no daemon "fleet-z" runs on this Redis (daemons running: fleet-a, fleet-b, fleet-c)');

  // fleet-c shares the directory: the session moves there and starts paired, no QR asked.
  const moved = await cli(b, 'move', 'paired', '--to', 'fleet-c');
  expect(moved.code).toBe(0);
  expect(moved.stdout).toMatch(/^session paired runs on fleet-c \(was on fleet-a\), after \d+ ms\n$/);
  await waitFor(async () => (await status(c, 'paired')).state === 'CONNECTED', 10_000, 50, 'paired connected on fleet-c');
  expect(qrShown(c, 'paired')).toEqual([]);
  expect((await status(a, 'paired')).owner).not.toBe('this');

  // Never paired: fleet-b may run it.
  expect((await cli(a, 'move', 'fresh', '--to', 'fleet-b')).code).toBe(0);
  await waitFor(async () => (await status(b, 'fresh')).state === 'QR_REQUIRED', 10_000, 50, 'fresh waiting for its QR on fleet-b');

  // fleet-c stops: fleet-a (same directory) takes the paired session over at once, fleet-b never does.
  const stoppedAt = Date.now();
  expect(await c.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  await waitFor(
    async () => (await status(a, 'paired')).state === 'CONNECTED' && (await owner('paired')) === 'fleet-a',
    10_000,
    20,
    'paired back on fleet-a',
  );
  expect(Date.now() - stoppedAt).toBeLessThan(TTL_MS);
  expect(qrShown(b, 'paired')).toEqual([]);

  // fleet-a stops too: the paired session has nowhere to go but fleet-b, which leaves it (and says why).
  expect(await a.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  const waiting = await waitFor(
    async () => {
      const s = await status(b, 'paired');
      return /which this daemon does not see/.test(s.reason ?? '') && s;
    },
    10_000,
    50,
    'fleet-b says why it leaves the paired session',
  );
  expect(waiting).toMatchObject({ state: 'STANDBY', owner: 'none' });
  expect(await owner('paired')).toBeNull();
  expect(qrShown(b, 'paired')).toEqual([]);
  expect(await owner('fresh')).toBe('fleet-b');
});
