import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import { luaScript } from './lua';
import { evalScript } from './scripts';

const LOCK = luaScript('lock');

export type LockOperation = 'acquire' | 'extend' | 'release';

/**
 * One step of the lock script (lua/lock.lua), the one way a lock is taken, extended or let go by its
 * holder's token: true when done, false when the lock is another holder's (or, to extend or release,
 * nobody's).
 */
export async function lockStep(redis: Redis, op: LockOperation, key: string, token: string, ttlMs = 0): Promise<boolean> {
  if (op !== 'release' && !(Number.isInteger(ttlMs) && ttlMs > 0))
    throw new Error(`lock ${key}: ${op} needs a time to live in whole ms above 0, got ${ttlMs}`);
  return (await evalScript(redis, LOCK, 1, key, op, token, ttlMs)) === 1;
}

/** An atomic lock on one key, taken, renewed and released only with the holder's token (lua/lock.lua). */
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
    return (await lockStep(redis, 'acquire', key, token, ttlMs)) ? new RedisLock(redis, key, token) : undefined;
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
    return lockStep(this.redis, 'extend', this.key, this.token, ttlMs);
  }

  async release(): Promise<void> {
    await lockStep(this.redis, 'release', this.key, this.token);
  }
}
