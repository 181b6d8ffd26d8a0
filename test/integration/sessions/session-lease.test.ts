/**
 * Session leases on a real redis-server: one owner at a time, renewal by token, takeover after the
 * owner stops renewing, never two owners at once.
 */
import Redis from 'ioredis';
import { SessionLeases, type LeaseHolder } from '../../../src/sessions/lease';
import { LeaseStore } from '../../../src/store/lease-store';
import { Keys } from '../../../src/store/keys';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { sleep, startRedisServer, waitFor, type TestRedis } from '../../helpers';

const TTL = 600;
const PREFIX = 'lease-test:';

interface Recorded {
  events: Array<{ at: number; what: 'claim' | 'release' | 'elsewhere'; id: string; detail?: string }>;
  owns: Set<string>;
}

function holder(): LeaseHolder & Recorded {
  const rec: Recorded = { events: [], owns: new Set() };
  return {
    ...rec,
    async claim(id) {
      rec.owns.add(id);
      rec.events.push({ at: Date.now(), what: 'claim', id });
    },
    async release(id, reason) {
      rec.owns.delete(id);
      rec.events.push({ at: Date.now(), what: 'release', id, detail: reason });
    },
    ownedElsewhere(id, owner) {
      rec.events.push({ at: Date.now(), what: 'elsewhere', id, detail: owner });
    },
  };
}

let redis: TestRedis;
const clients: Redis[] = [];
const running: SessionLeases[] = [];
const logger = createLogger({ level: 'silent', pretty: false });

function client(): Redis {
  const c = new Redis(redis.url, { maxRetriesPerRequest: 1, retryStrategy: () => 200 });
  c.on('error', () => undefined);
  clients.push(c);
  return c;
}

function daemon(daemonId: string, r: Redis = client()) {
  const h = holder();
  const metrics = createMetrics({ version: 'test' });
  const leases = new SessionLeases({
    store: new LeaseStore(r, new Keys(PREFIX)),
    daemonId,
    ttlMs: TTL,
    storage: 'shared-storage',
    holder: h,
    logger,
    metrics,
  });
  running.push(leases);
  return { h, leases, metrics, redis: r };
}

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  for (const l of running.splice(0)) await l.stop();
  const c = client();
  const keys = await c.keys(`${PREFIX}*`);
  if (keys.length) await c.del(...keys);
});
afterAll(async () => {
  // A client already ended must not be disconnected again: ioredis would arm a timer for a closed stream.
  await Promise.all(
    clients
      .filter((c) => c.status !== 'end')
      .map((c) =>
        c.quit().then(
          () => undefined,
          () => c.disconnect(),
        ),
      ),
  );
  await redis.stop();
});

test('the first daemon takes every session; the second sees who owns them and never claims while the owner renews', async () => {
  const a = daemon('host-a:1');
  const b = daemon('host-b:2');
  await a.leases.start(['s1', 's2']);
  await b.leases.start(['s1', 's2']);
  expect([...a.h.owns].sort()).toEqual(['s1', 's2']);
  expect(a.leases.held().sort()).toEqual(['s1', 's2']);
  expect(b.h.events.map((e) => [e.what, e.id, e.detail])).toEqual([
    ['elsewhere', 's1', 'host-a:1'],
    ['elsewhere', 's2', 'host-a:1'],
  ]);
  const c = client();
  expect(await c.get(`${PREFIX}lease:session:s1`)).toBe('host-a:1');
  // several lease lifetimes later the owner still holds it: renewal works
  await sleep(TTL * 3);
  expect(b.h.owns.size).toBe(0);
  expect(a.h.events.filter((e) => e.what === 'release')).toEqual([]);
  expect(await c.pttl(`${PREFIX}lease:session:s1`)).toBeGreaterThan(0);
  expect((await a.metrics.leaseOwned.get()).values.map((v) => v.value)).toEqual([1, 1]);
});

test('an owner that can no longer reach Redis stops its sessions before another daemon takes them over', async () => {
  const a = daemon('host-a:1');
  const b = daemon('host-b:2');
  await a.leases.start(['s1']);
  await b.leases.start(['s1']);
  a.redis.disconnect(); // the owner is cut off (or frozen): its renewals fail
  await waitFor(() => b.h.owns.has('s1'), TTL * 4, 10, 'b takes s1 over');
  const released = a.h.events.find((e) => e.what === 'release');
  const claimed = b.h.events.find((e) => e.what === 'claim');
  expect(released?.detail).toMatch(/^could not renew the session lease for \d+ ms/);
  // never two owners: a gave it up before b took it
  expect(released!.at).toBeLessThanOrEqual(claimed!.at);
  expect(a.h.owns.size).toBe(0);
  expect((await a.metrics.leaseLost.get()).values[0].value).toBe(1);
});

test('a renewal refused (the lease went to someone else) stops the session at once', async () => {
  const a = daemon('host-a:1');
  await a.leases.start(['s1']);
  await client().set(`${PREFIX}lease:session:s1`, 'host-z:9', 'PX', 60_000);
  await waitFor(() => a.h.events.some((e) => e.what === 'release'), TTL, 10, 'a releases s1');
  expect(a.h.events.find((e) => e.what === 'release')!.detail).toBe('the session lease expired or was taken by another daemon');
  // and from then on a reports the new owner instead of claiming
  await waitFor(() => a.h.events.some((e) => e.what === 'elsewhere' && e.detail === 'host-z:9'), TTL * 2, 10, 'a sees host-z');
  expect(a.h.owns.size).toBe(0);
});

test('an owner that stops gives its leases back: the other daemon takes over without waiting out the ttl', async () => {
  const a = daemon('host-a:1');
  const b = daemon('host-b:2');
  await a.leases.start(['s1']);
  await b.leases.start(['s1']);
  await a.leases.stop();
  // given back, not left to expire: free, or already taken by b, told at once of the release
  expect([null, 'host-b:2']).toContain(await client().get(`${PREFIX}lease:session:s1`));
  await waitFor(() => b.h.owns.has('s1'), TTL, 10, 'b takes s1');
});

test('a daemon restarted under the same id takes its sessions back at once', async () => {
  const first = daemon('host-a:1');
  await first.leases.start(['s1']);
  // a crash: no release, the lease stays in Redis
  const crashed = first.leases as unknown as { stopped: boolean; leases: Map<string, { timer?: NodeJS.Timeout }> };
  crashed.stopped = true;
  for (const l of crashed.leases.values()) clearTimeout(l.timer);
  running.splice(running.indexOf(first.leases), 1);
  const again = daemon('host-a:1');
  const stranger = daemon('host-b:2');
  await stranger.leases.start(['s1']);
  await again.leases.start(['s1']);
  expect(again.h.owns.has('s1')).toBe(true);
  expect(stranger.h.owns.has('s1')).toBe(false);
});
