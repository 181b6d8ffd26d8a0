import type { ChatId, RemoteMessage } from '../../core/messages';

/** In-memory WhatsApp account state of the simulator: per-chat history and downloadable media. */
export class SimulatorStore {
  private readonly chats = new Map<ChatId, RemoteMessage[]>();
  private readonly media = new Map<string, Buffer>();
  private readonly lidToPhone = new Map<string, string>();
  /** Ids WhatsApp has that are no message of a chat's history (an album's parent). */
  private readonly others = new Set<string>();
  /** Messages deleted for everyone: WhatsApp keeps a "deleted" stub that cannot be quoted. */
  private readonly revoked = new Set<string>();

  add(message: RemoteMessage, mediaBytes?: Buffer): void {
    const list = this.chats.get(message.chatId) ?? [];
    list.push(message);
    this.chats.set(message.chatId, list);
    if (mediaBytes) this.media.set(message.id, mediaBytes);
  }

  remember(id: string): void {
    this.others.add(id);
  }

  has(id: string): boolean {
    if (this.others.has(id)) return true;
    for (const list of this.chats.values()) if (list.some((m) => m.id === id)) return true;
    return false;
  }

  markRevoked(id: string): void {
    this.revoked.add(id);
  }

  /**
   * Whether a reply may quote `id`: wa-js throws `msg_not_found` for an id WhatsApp does not have (one of
   * Ponte's own notes) and `quoted_msg_can_not_reply` for a message deleted for everyone.
   */
  quotable(id: string): boolean {
    return this.has(id) && !this.revoked.has(id);
  }

  mediaOf(messageId: string): Buffer | undefined {
    return this.media.get(messageId);
  }

  linkLid(lid: string, phone: string): void {
    this.lidToPhone.set(lid, phone);
  }

  phoneOfLid(lid: string): string | undefined {
    return this.lidToPhone.get(lid);
  }

  since(chatId: ChatId, sinceTs: number, limit: number): RemoteMessage[] {
    return (this.chats.get(chatId) ?? []).filter((m) => m.timestamp >= sinceTs).slice(-limit);
  }

  activeSince(sinceTs: number): ChatId[] {
    const out: ChatId[] = [];
    for (const [chatId, list] of this.chats) if (list.some((m) => m.timestamp >= sinceTs)) out.push(chatId);
    return out;
  }
}
