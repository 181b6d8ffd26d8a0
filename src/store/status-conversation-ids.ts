import type Redis from 'ioredis';
import type { Keys } from './keys';

/**
 * The status conversation Ponte made in each inbox (`<prefix>status-conversation:<inbox>` = its id, no
 * expiry), so a restart finds it instead of making another.
 */
export class StatusConversationIds {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async get(inboxId: number): Promise<number | undefined> {
    const stored = await this.redis.get(this.keys.statusConversation(inboxId));
    return stored ? Number(stored) : undefined;
  }

  async set(inboxId: number, conversationId: number): Promise<void> {
    await this.redis.set(this.keys.statusConversation(inboxId), String(conversationId));
  }

  async forget(inboxId: number): Promise<void> {
    await this.redis.del(this.keys.statusConversation(inboxId));
  }
}
