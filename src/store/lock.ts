import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { evalScript } from './scripts';

const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** An atomic lock: `SET key token NX PX ttl`, released and renewed only by the holder's token. */
export class RedisLock {
  private constructor(
    private readonly redis: Redis,
    readonly key: string,
    readonly token: string,
  ) {}

  /** A lock taken by a script of the caller's (with this token), to renew and release as usual. */
  static adopt(redis: Redis, key: string, token: string): RedisLock {
    return new RedisLock(redis, key, token);
  }

  static async tryAcquire(redis: Redis, key: string, ttlMs: number): Promise<RedisLock | undefined> {
    const token = randomUUID();
    const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? new RedisLock(redis, key, token) : undefined;
  }

  /** Waits for the lock, polling; `onWait` is told once when it had to wait at all. */
  static async acquire(redis: Redis, key: string, ttlMs: number, timeoutMs: number, onWait?: () => void): Promise<RedisLock> {
    const deadline = Date.now() + timeoutMs;
    let waited = false;
    for (;;) {
      const lock = await RedisLock.tryAcquire(redis, key, ttlMs);
      if (lock) return lock;
      if (!waited) onWait?.();
      waited = true;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for lock ${key}`);
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));
    }
  }

  async renew(ttlMs: number): Promise<boolean> {
    return (await evalScript(this.redis, RENEW, 1, this.key, this.token, ttlMs)) === 1;
  }

  async release(): Promise<void> {
    await evalScript(this.redis, RELEASE, 1, this.key, this.token);
  }
}
