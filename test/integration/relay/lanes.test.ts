import Redis from 'ioredis';
import pino from 'pino';
import { DeadLetters } from '../../../src/queue/dead-letters';
import { NotOwnerError, PermanentError, RetryableError } from '../../../src/queue/errors';
import { Lanes, type LanePolicy } from '../../../src/queue/lanes';
import { Keys } from '../../../src/store/keys';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { sleep, waitFor } from '../../helpers/wait';

interface Item {
  v: string;
}

const POLICY: LanePolicy = { concurrency: 8, maxAttempts: 3, baseMs: 10, maxMs: 40, maxAgeMs: 3_600_000, lockTtlMs: 300 };

describe('Lanes (real redis-server)', () => {
  let server: TestRedis;
  let redis: Redis;
  const open: Array<Lanes<Item>> = [];
  let n = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close(1000)));
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  /** A lane set on its own key prefix, so tests do not see each other's items. */
  function make(
    prefix: string,
    events: { dead?: string[]; drainsHere?: (lane: string) => boolean } = {},
    policy: LanePolicy = POLICY,
  ): { lanes: Lanes<Item>; keys: Keys; dlq: DeadLetters } {
    const keys = new Keys(prefix);
    const dlq = new DeadLetters(redis, keys);
    const lanes = new Lanes<Item>({
      name: 't',
      redis,
      redisUrl: server.url,
      keys,
      deadLetters: dlq,
      policy,
      logger: pino({ level: 'silent' }),
      events: {
        onDeadLetter: (reason) => events.dead?.push(reason),
        drainsHere: events.drainsHere,
      },
    });
    open.push(lanes);
    return { lanes, keys, dlq };
  }
  const prefix = () => `lt${++n}:`;

  test('never more lanes drained at once than the concurrency, however the wake-ups come', async () => {
    const { lanes } = make(prefix(), {}, { ...POLICY, concurrency: 2, lockTtlMs: 5000 });
    let running = 0;
    let most = 0;
    const done: string[] = [];
    lanes.start(async ({ v }) => {
      running += 1;
      most = Math.max(most, running);
      await sleep(40);
      running -= 1;
      done.push(v);
    });
    // Six idle lanes woken at once: two are drained here and now, the rest wait in the queue.
    await Promise.all(['A', 'B', 'C', 'D', 'E', 'F'].map((lane) => lanes.push(lane, { v: lane })));
    await waitFor(() => done.length === 6, 5000);
    expect(most).toBe(2);
    expect([...done].sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });

  test('a lane whose session runs in another daemon is left to that daemon, not drained where it was pushed', async () => {
    const p = prefix();
    const here = make(p, { drainsHere: (lane) => !lane.startsWith('other|') });
    const there = make(p);
    const seenHere: string[] = [];
    const seenThere: string[] = [];
    // Only the second daemon takes queue jobs (the first is busy elsewhere): the first may handle a lane
    // only by draining it itself.
    here.lanes.start(async ({ v }) => void seenHere.push(v));
    await (here.lanes as unknown as { queue: { close(): Promise<void> } }).queue.close();
    there.lanes.start(async ({ v }) => void seenThere.push(v));
    await here.lanes.push('mine|1', { v: 'mine' });
    await here.lanes.push('other|1', { v: 'theirs' });
    await waitFor(() => seenHere.length === 1 && seenThere.length === 1, 5000);
    expect(seenHere).toEqual(['mine']);
    expect(seenThere).toEqual(['theirs']);
  });

  test('a lane is let go with its last item, processed or dead-lettered: the next push is drained at once, not after the lock expires', async () => {
    const { lanes, keys } = make(prefix(), {}, { ...POLICY, lockTtlMs: 10_000 });
    const done: string[] = [];
    lanes.start(async ({ v }) => {
      if (v.startsWith('bad')) throw new PermanentError('refused');
      done.push(v);
    });
    for (const [i, v] of ['ok1', 'bad1', 'ok2', 'bad2', 'ok3'].entries()) {
      await lanes.push('A', { v });
      if (v.startsWith('ok')) await waitFor(() => done.length === (i + 2) / 2, 1000);
      else await waitFor(async () => (await redis.llen(keys.lane('t', 'A'))) === 0, 1000);
      await waitFor(async () => (await redis.exists(keys.laneLock('t', 'A'))) === 0, 1000);
    }
    expect(done).toEqual(['ok1', 'ok2', 'ok3']);
  });

  test('an item whose "unless" key exists is not pushed, yet its mark is set; a guard key is claimed once', async () => {
    const { lanes, keys } = make(prefix());
    const done: string[] = [];
    lanes.start(async ({ v }) => void done.push(v));
    const mark = (id: string) => ({ key: `${keys.prefix}known:${id}`, ttlS: 60 });
    await redis.set(`${keys.prefix}sent:e1`, '1');
    expect(await lanes.pushOnce('A', { v: 'echo' }, { mark: mark('e1'), unless: [`${keys.prefix}sent:e1`] })).toBeUndefined();
    expect(await redis.exists(`${keys.prefix}known:e1`)).toBe(1);
    expect(await lanes.pushOnce('A', { v: 'typed' }, { mark: mark('e2'), unless: [`${keys.prefix}sent:e2`] })).toEqual(expect.any(String));
    const guard = { keys: [`${keys.prefix}delivery:d1`], ttlS: 60 };
    expect(await lanes.pushOnce('A', { v: 'webhook' }, { guard })).toEqual(expect.any(String));
    expect(await lanes.pushOnce('A', { v: 'webhook again' }, { guard })).toBeUndefined();
    await waitFor(() => done.length === 2, 5000);
    await sleep(100);
    expect(done).toEqual(['typed', 'webhook']);
  });

  test('an item of a session another daemon runs is handed back without using up its attempts', async () => {
    const dead: string[] = [];
    const { lanes, dlq } = make(prefix(), { dead });
    const done: string[] = [];
    let bounces = 0;
    await lanes.push('A', { v: 'x1' });
    await lanes.push('A', { v: 'x2' });
    lanes.start(async ({ v }) => {
      // POLICY.maxAttempts is 3: more bounces than that must not dead-letter anything.
      if (bounces < 5) {
        bounces += 1;
        throw new NotOwnerError('main', 10);
      }
      done.push(v);
    });
    await waitFor(() => done.length === 2, 5000);
    expect(done).toEqual(['x1', 'x2']);
    expect(dead).toEqual([]);
    expect(await dlq.list('t')).toEqual([]);
  });

  test('a failing head is retried in place: the lane keeps its order, other lanes are not held up', async () => {
    const { lanes } = make(prefix());
    const done: string[] = [];
    const tries = new Map<string, number>();
    for (const v of ['a1', 'a2', 'a3', 'a4']) await lanes.push('A', { v });
    await lanes.push('B', { v: 'b1' });
    lanes.start(async ({ v }) => {
      tries.set(v, (tries.get(v) ?? 0) + 1);
      if (v === 'a2' && tries.get(v)! < 3) throw new RetryableError('Chatwoot 503');
      done.push(v);
    });
    await waitFor(() => done.length === 5, 5000);
    expect(done.filter((v) => v.startsWith('a'))).toEqual(['a1', 'a2', 'a3', 'a4']);
    expect(tries.get('a2')).toBe(3);
    expect(done).toContain('b1');
    expect(await lanes.depth()).toBe(0);
  });

  test('an item still failing after maxAttempts is dead-lettered with its reason; the lane moves on', async () => {
    const dead: string[] = [];
    const { lanes, dlq } = make(prefix(), { dead });
    const tries = new Map<string, number>();
    const done: string[] = [];
    await lanes.push('A', { v: 'doomed' });
    await lanes.push('A', { v: 'after' });
    lanes.start(async ({ v }) => {
      tries.set(v, (tries.get(v) ?? 0) + 1);
      if (v === 'doomed') throw new Error('Chatwoot 500');
      done.push(v);
    });
    await waitFor(() => done.includes('after'), 5000);
    expect(tries.get('doomed')).toBe(3);
    const entries = await dlq.list('t');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      queue: 't',
      lane: 'A',
      data: { v: 'doomed' },
      attempts: 3,
      reason: 'Chatwoot 500 (gave up after 3 attempts)',
    });
    expect(dead).toEqual(['Chatwoot 500 (gave up after 3 attempts)']);
  });

  test('a PermanentError is dead-lettered at once; replay puts it back and it is processed', async () => {
    const { lanes, dlq } = make(prefix());
    const tries = new Map<string, number>();
    const done: string[] = [];
    let refuse = true;
    await lanes.push('A', { v: 'bad' });
    await lanes.push('A', { v: 'good' });
    lanes.start(async ({ v }) => {
      tries.set(v, (tries.get(v) ?? 0) + 1);
      if (v === 'bad' && refuse) throw new PermanentError('HTTP 422: invalid');
      done.push(v);
    });
    await waitFor(() => done.includes('good'), 5000);
    expect(tries.get('bad')).toBe(1);
    const [entry] = await dlq.list('t');
    expect(entry).toMatchObject({ attempts: 1, reason: 'HTTP 422: invalid', data: { v: 'bad' } });

    expect(await lanes.replay('no-such-id')).toBe(false);
    refuse = false;
    expect(await lanes.replay(entry.id)).toBe(true);
    await waitFor(() => done.includes('bad'), 5000);
    expect(done).toEqual(['good', 'bad']);
    expect(await dlq.size('t')).toBe(0);
    expect(tries.get('bad')).toBe(2);
  });

  test('items persisted before a crash are drained on start, also from a lane a dead worker left locked', async () => {
    const p = prefix();
    const first = make(p);
    for (let i = 0; i < 5; i++) await first.lanes.push('A', { v: `a${i}` });
    for (let i = 0; i < 3; i++) await first.lanes.push('B', { v: `b${i}` });
    // The worker that held lane A died without releasing it (SIGKILL): its lock just stops being renewed.
    await redis.set(first.keys.laneLock('t', 'A'), 'token-of-a-dead-worker', 'PX', POLICY.lockTtlMs!);
    await first.lanes.close(100);

    const second = make(p);
    const done: string[] = [];
    second.lanes.start(async ({ v }) => {
      done.push(v);
    });
    await waitFor(() => done.length === 8, 8000);
    expect(done.filter((v) => v.startsWith('a'))).toEqual(['a0', 'a1', 'a2', 'a3', 'a4']);
    expect(done.filter((v) => v.startsWith('b'))).toEqual(['b0', 'b1', 'b2']);
  });

  test('the sweep finds every waiting lane, however many, except those locked or waiting for a retry', async () => {
    const { lanes, keys } = make(prefix());
    const names = Array.from({ length: 1_100 }, (_, i) => `L${i}`);
    await Promise.all(names.map((lane) => lanes.push(lane, { v: lane })));
    await redis.set(keys.laneLock('t', 'L7'), 'a-live-worker', 'PX', 10_000);
    await redis.set(keys.laneRetryAt('t', 'L1042'), Date.now() + 60_000, 'PX', 60_000);
    expect(await lanes.sweep()).toBe(1_098);
  });

  test('a worker whose lock was taken over stops, instead of redoing the head forever', async () => {
    const { lanes, keys } = make(prefix());
    const calls = new Map<string, number>();
    await lanes.push('A', { v: 'x1' });
    await lanes.push('A', { v: 'x2' });
    lanes.start(async ({ v }) => {
      calls.set(v, (calls.get(v) ?? 0) + 1);
      if (v === 'x1' && calls.get(v) === 1) {
        // While x1 is worked on, the lock expires and another worker takes the lane (a long GC pause).
        await redis.set(keys.laneLock('t', 'A'), 'someone-else', 'PX', 200);
      }
    });
    // The lane is taken over once the other worker's lock lapses (the sweep wakes it), and finishes.
    await waitFor(async () => (await lanes.depth()) === 0, 8000);
    await sleep(100);
    expect(calls.get('x1')).toBe(2); // once by us, once by the lane's next holder; the relay dedupes
    expect(calls.get('x2')).toBe(1);
  });
});
