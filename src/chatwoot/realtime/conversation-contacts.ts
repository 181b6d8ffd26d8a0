import { chatIdFor, type AgentEvent } from '../../core/agent-messages';
import type { CwConversation } from '../types';

interface Entry {
  chatKey?: string;
  phone?: string;
  until: number;
}

/**
 * A realtime message carries its conversation's `contact_inbox.source_id` but not the contact's phone.
 * When the source id is not a WhatsApp chat id (a conversation an agent started, with a UUID source id),
 * the phone comes from `GET /conversations/:id`, remembered for a while: one lookup per conversation,
 * not per message. Throws when Chatwoot cannot answer (the caller falls back to polling).
 */
export class ConversationContacts {
  private readonly cache = new Map<number, Entry>();

  constructor(
    private readonly client: { getConversation(id: number): Promise<CwConversation> },
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  async complete(event: AgentEvent): Promise<AgentEvent> {
    if (event.type !== 'send' && event.type !== 'typing') return event;
    const target = event.type === 'send' ? event.message : event;
    if (chatIdFor(target.chatKey, target.contactPhone)) return event;
    const found = await this.lookup(target.conversationId);
    const chatKey = target.chatKey ?? found.chatKey;
    const contactPhone = target.contactPhone ?? found.phone;
    return event.type === 'send' ? { ...event, message: { ...event.message, chatKey, contactPhone } } : { ...event, chatKey, contactPhone };
  }

  private async lookup(conversationId: number): Promise<Entry> {
    const hit = this.cache.get(conversationId);
    if (hit && hit.until > this.now()) return hit;
    const conv = await this.client.getConversation(conversationId);
    const entry: Entry = {
      chatKey: conv.contact_inbox?.source_id ?? undefined,
      phone: conv.meta?.sender?.phone_number ?? undefined,
      until: this.now() + this.ttlMs,
    };
    this.cache.delete(conversationId);
    this.cache.set(conversationId, entry);
    // Oldest first out: a Map iterates in insertion order.
    while (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value as number);
    return entry;
  }
}
