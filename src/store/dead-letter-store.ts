import type Redis from 'ioredis';
import type { Keys } from './keys';

export interface DeadLetter<T = unknown> {
  id: string;
  queue: string;
  lane: string;
  data: T;
  reason: string;
  attempts: number;
  enqueuedAt: number;
  failedAt: number;
}

/**
 * What could not be relayed, with why; kept until replayed, so a failure is never silent. One hash per
 * queue (keys.ts `dlq`): item id -> the dead letter as JSON.
 */
export class DeadLetters {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async add(entry: DeadLetter): Promise<void> {
    await this.redis.hset(this.keys.dlq(entry.queue), entry.id, JSON.stringify(entry));
  }

  /** Oldest failure first. */
  async list(queue: string): Promise<DeadLetter[]> {
    const all = await this.redis.hvals(this.keys.dlq(queue));
    return all.map((v) => JSON.parse(v) as DeadLetter).sort((a, b) => a.failedAt - b.failedAt);
  }

  async get(queue: string, id: string): Promise<DeadLetter | undefined> {
    const v = await this.redis.hget(this.keys.dlq(queue), id);
    return v ? (JSON.parse(v) as DeadLetter) : undefined;
  }

  async remove(queue: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.dlq(queue), id)) === 1;
  }

  async size(queue: string): Promise<number> {
    return this.redis.hlen(this.keys.dlq(queue));
  }
}
