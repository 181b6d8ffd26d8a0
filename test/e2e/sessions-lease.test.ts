/**
 * Two `ponte start` processes sharing one redis-server and one simulator session: only the lease
 * holder runs it; the other is ready, names the owner, and takes the session over once the owner is
 * killed (after the lease ttl) or stops (at once). Needs `npm run build`.
 */
import os from 'node:os';
import Redis from 'ioredis';
import {
  jsonLines,
  killPonte,
  liveChildren,
  removeTempDirs,
  simulatorConfig,
  startPonte,
  startRedisServer,
  tempDir,
  waitFor,
  type PonteContext,
  type RunningPonte,
  type TestRedis,
} from '../helpers';
import { metricValue } from '../helpers/relay-harness';

const TTL_MS = 1500;
let redis: TestRedis;
const store = tempDir('ponte-lease-store-');
const started: RunningPonte[] = [];

const config = (ctx: PonteContext) =>
  simulatorConfig(ctx, [{ id: 'shared' }], { redis: { url: redis.url }, lease: { ttlMs: TTL_MS }, sessionStore: { dir: store } });

async function start(): Promise<RunningPonte> {
  const p = await startPonte(config);
  started.push(p);
  return p;
}

async function session(p: RunningPonte): Promise<Record<string, any>> {
  return (await p.admin('GET', '/admin/sessions/shared')).body;
}

async function metrics(p: RunningPonte): Promise<string> {
  return (await fetch(`${p.baseUrl}/metrics`)).text();
}

const idOf = (p: RunningPonte) => `${os.hostname()}:${p.port}`;

beforeAll(async () => {
  redis = await startRedisServer();
});

afterAll(async () => {
  try {
    for (const p of started) await killPonte(p);
    await redis?.stop();
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

test('one owner at a time; SIGKILL of the owner hands the session to the other daemon after the lease ttl', async () => {
  const a = await start();
  await waitFor(async () => (await session(a)).state === 'CONNECTED', 10000, 50, 'a runs the session');
  expect(await session(a)).toMatchObject({ owner: 'this', ownerId: idOf(a) });

  // b is ready although the session is not CONNECTED on it: /readyz does not wait for a's sessions
  const b = await start();
  await waitFor(async () => (await session(b)).owner === 'other', 5000, 50, 'b sees the owner');
  expect(await session(b)).toMatchObject({ state: 'STANDBY', owner: 'other', ownerId: idOf(a), reason: `owned by daemon ${idOf(a)}` });
  expect((await fetch(`${b.baseUrl}/readyz`)).status).toBe(200);
  // pairing belongs to the owner
  const login = await b.admin('POST', '/admin/sessions/shared/login', { json: {} });
  expect(login.status).toBe(409);
  expect(login.body.error.message).toBe(`session shared runs on daemon ${idOf(a)}: use that daemon's admin API`);
  // the engine never started on b: only one browser per number
  const connectedOnB = () =>
    jsonLines(b.logs()).filter((l) => l.msg === 'session state changed' && l.session === 'shared' && l.state === 'CONNECTED');
  expect(connectedOnB()).toEqual([]);
  expect(metricValue(await metrics(a), 'ponte_session_lease_owned', { session: 'shared' })).toBe(1);
  const bMetrics = await metrics(b);
  expect(metricValue(bMetrics, 'ponte_session_lease_owned', { session: 'shared' })).toBe(0);
  // no "session not connected" alert from the daemon that does not run it
  expect(bMetrics).not.toMatch(/^ponte_session_state\{session="shared"/m);

  const killed = await a.stop('SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  await waitFor(async () => (await session(b)).state === 'CONNECTED', 10000, 50, 'b takes the session over');
  expect(await session(b)).toMatchObject({ owner: 'this', ownerId: idOf(b), me: '+351910000000' });
  expect(connectedOnB()).toHaveLength(1);
  expect(jsonLines(b.logs())).toEqual(
    expect.arrayContaining([expect.objectContaining({ session: 'shared', msg: 'session lease acquired' })]),
  );
  expect(metricValue(await metrics(b), 'ponte_session_lease_acquired_total', { session: 'shared' })).toBe(1);
});

test('a daemon that stops gives the session back at once: the waiting one takes it', async () => {
  const b = started[1];
  const c = await start();
  await waitFor(async () => (await session(c)).owner === 'other', 5000, 50, 'c sees b as the owner');
  expect((await session(c)).ownerId).toBe(idOf(b));
  expect(await b.stop('SIGTERM')).toEqual({ code: 0, signal: null });
  // released on the way down, not left to expire: free, or already c's
  const client = new Redis(redis.url);
  try {
    expect([null, idOf(c)]).toContain(await client.get('ponte:lease:session:shared'));
  } finally {
    await client.quit();
  }
  await waitFor(async () => (await session(c)).state === 'CONNECTED', 10000, 50, 'c takes the session over');
  expect(await session(c)).toMatchObject({ owner: 'this' });
  expect(jsonLines(b.logs())).not.toEqual(
    expect.arrayContaining([expect.objectContaining({ msg: 'could not release a session lease; it expires by itself' })]),
  );
});
