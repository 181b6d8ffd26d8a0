import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from '../observability/logger';

/** Reconnect delay: exponential from 100 ms, capped at 5 s; ioredis retries forever while we run. */
export function redisRetryDelay(attempt: number): number {
  return Math.min(100 * 2 ** Math.min(attempt, 10), 5000);
}

export function connectRedis(url: string, logger: Logger, extra: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    retryStrategy: redisRetryDelay,
    maxRetriesPerRequest: 3,
    enableReadyCheck: true,
    lazyConnect: true,
    // Commands issued in the same tick leave in one write: every socket write is a system call, the
    // largest single cost of a relayed message on a small box. Order on the connection is kept, except
    // that MULTI/pipeline blocks skip the batch: never fire one right after an un-awaited command it
    // depends on.
    enableAutoPipelining: true,
    ...extra,
  });
  client.on('error', (err) => logger.warn({ err: { message: err.message } }, 'redis connection problem'));
  client.on('ready', () => logger.info('redis ready'));
  client.on('reconnecting', (ms: number) => logger.warn({ inMs: ms }, 'redis reconnecting'));
  return client;
}

export function redisReady(client: Redis): boolean {
  return client.status === 'ready';
}
