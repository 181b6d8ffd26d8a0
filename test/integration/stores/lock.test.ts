import Redis from 'ioredis';
import { lockStep, RedisLock } from '../../../src/store/lock';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';

describe('the lock script (real redis-server)', () => {
  let server: TestRedis;
  let redis: Redis;
  let n = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  const key = () => `lock-test:${++n}`;

  test('a free lock is taken; a held one only by its own holder again (a restart under the same id)', async () => {
    const k = key();
    expect(await lockStep(redis, 'acquire', k, 'a', 5000)).toBe(true);
    expect(await lockStep(redis, 'acquire', k, 'b', 5000)).toBe(false);
    expect(await redis.get(k)).toBe('a');
    expect(await lockStep(redis, 'acquire', k, 'a', 9000)).toBe(true);
    expect(await redis.pttl(k)).toBeGreaterThan(5000);
  });

  test('only the holder extends or releases it: a lock that expired and went to another holder is left alone', async () => {
    const k = key();
    await lockStep(redis, 'acquire', k, 'a', 5000);
    expect(await lockStep(redis, 'extend', k, 'b', 60_000)).toBe(false);
    expect(await lockStep(redis, 'release', k, 'b')).toBe(false);
    expect(await redis.get(k)).toBe('a');
    expect(await lockStep(redis, 'extend', k, 'a', 60_000)).toBe(true);
    expect(await redis.pttl(k)).toBeGreaterThan(5000);
    expect(await lockStep(redis, 'release', k, 'a')).toBe(true);
    expect(await redis.exists(k)).toBe(0);
    expect(await lockStep(redis, 'extend', k, 'a', 5000)).toBe(false);
  });

  test('RedisLock: a second taker waits until the first lets go, and times out with the key named', async () => {
    const k = key();
    const first = (await RedisLock.tryAcquire(redis, k, 5000))!;
    expect(first).toBeDefined();
    expect(await RedisLock.tryAcquire(redis, k, 5000)).toBeUndefined();
    await expect(RedisLock.acquire(redis, k, 5000, 60)).rejects.toThrow(`waiting for lock ${k}`);
    let waited = 0;
    const second = RedisLock.acquire(redis, k, 5000, 5000, () => waited++);
    await new Promise((r) => setTimeout(r, 50));
    await first.release();
    const got = await second;
    expect(waited).toBe(1);
    expect(await redis.get(k)).toBe(got.token);
    expect(await first.renew(5000)).toBe(false);
  });

  test('a time to live that is not a positive whole number of ms is refused before Redis sees it', async () => {
    await expect(lockStep(redis, 'acquire', key(), 'a', 0)).rejects.toThrow('needs a time to live in whole ms above 0, got 0');
    await expect(lockStep(redis, 'extend', key(), 'a', 1.5)).rejects.toThrow('got 1.5');
  });
});
