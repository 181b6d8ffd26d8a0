import type Redis from 'ioredis';
import type { Keys } from './keys';

const NAME = 'chatwoot-status-unsupported';

/**
 * Set while Chatwoot is known not to take message status updates (`<prefix>flag:chatwoot-status-unsupported`,
 * expiring): shared by every daemon on this Redis, so one probe answers for all.
 */
export class StatusUpdatesFlag {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** True while set. A flag without expiry was set by an older Ponte, maybe by one bad message: not trusted, deleted. */
  async isSet(): Promise<boolean> {
    const key = this.keys.flag(NAME);
    const ttl = await this.redis.pttl(key);
    if (ttl === -1) await this.redis.del(key);
    return ttl > 0;
  }

  async set(ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.flag(NAME), '1', 'PX', ttlMs);
  }
}
