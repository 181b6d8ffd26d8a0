import type Redis from 'ioredis';
import type { Keys } from './keys';
import { RedisLock } from './lock';

/** A WhatsApp chat's contact and conversation in one inbox, as the resolver last found or made them. */
export interface ConversationRef {
  contactId: number;
  conversationId: number;
  /** When this was last checked against Chatwoot (ms). */
  checkedAt: number;
  /** The linked id (@lid) already recorded on the contact (custom attribute whatsapp_lid). */
  lid?: string;
}

/**
 * The resolver's memory of each chat's conversation per inbox (`<prefix>conv:<inbox>:<chatKey>`, JSON,
 * no expiry: it is checked against Chatwoot instead) and the lock under which one is created
 * (`<prefix>lock:conv:<inbox>:<chatKey>`).
 */
export class ConversationCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async get(inboxId: number, chatKey: string): Promise<ConversationRef | undefined> {
    const v = await this.redis.get(this.keys.conversation(inboxId, chatKey));
    return v ? (JSON.parse(v) as ConversationRef) : undefined;
  }

  async put(inboxId: number, chatKey: string, ref: ConversationRef): Promise<void> {
    await this.redis.set(this.keys.conversation(inboxId, chatKey), JSON.stringify(ref));
  }

  async forget(inboxId: number, chatKey: string): Promise<void> {
    await this.redis.del(this.keys.conversation(inboxId, chatKey));
  }

  /** Waits up to `waitMs` for the chat's creation lock; `onWait` is told once when it had to wait at all. */
  lock(inboxId: number, chatKey: string, ttlMs: number, waitMs: number, onWait?: () => void): Promise<RedisLock> {
    return RedisLock.acquire(this.redis, this.keys.conversationLock(inboxId, chatKey), ttlMs, waitMs, onWait);
  }
}
