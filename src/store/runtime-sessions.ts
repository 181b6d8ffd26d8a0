import type Redis from 'ioredis';
import type { Keys } from './keys';

/**
 * Sessions added at run time, kept in Redis as the admin typed them (before defaults), so a daemon that
 * starts later, or another one sharing the Redis, builds them with the same schema as the file's and
 * with the defaults of its own version. One hash, `<prefix>sessions:runtime`, field = session id.
 */
export class RuntimeSessionStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    keys: Keys,
  ) {
    this.key = keys.runtimeSessions();
  }

  /** Every stored session as its JSON text (compared as is to notice a change made by another daemon). */
  async all(): Promise<Map<string, string>> {
    return new Map(Object.entries(await this.redis.hgetall(this.key)));
  }

  async save(id: string, input: Record<string, unknown>): Promise<void> {
    await this.redis.hset(this.key, id, JSON.stringify(input));
  }

  async delete(id: string): Promise<void> {
    await this.redis.hdel(this.key, id);
  }
}
