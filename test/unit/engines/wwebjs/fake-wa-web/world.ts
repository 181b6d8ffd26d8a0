/**
 * What lives outside any one page: WhatsApp's servers and the phone. Messages, media, the linked-id book,
 * accounts, calls, and the records of what pages asked WhatsApp to do (read marks, typing, revokes).
 * Every page of a FakeWhatsAppWeb reads and writes the same world, as successive WhatsApp Web sessions
 * of one account would.
 */
import type { Raw } from '../raw';

export interface MediaEntry {
  data: string;
  mimetype: string;
  filename?: string;
}

export interface WorldCounters {
  /** `GroupMetadata.update`: a server round trip per group (Utils.js getChatModel does one per group). */
  groupMetadataRefreshes: number;
  groupsRefreshed: string[];
  /** `loadEarlierMsgs` calls: older history loaded from storage or the phone. */
  earlierLoads: number;
}

/** Every message, with a per-chat index rebuilt only after a change (an account can hold 60 000). */
class MessageStore extends Map<string, Raw> {
  private version = 0;
  private indexed = -1;
  private byChat = new Map<string, Raw[]>();

  override set(id: string, raw: Raw): this {
    this.version += 1;
    return super.set(id, raw);
  }

  override delete(id: string): boolean {
    this.version += 1;
    return super.delete(id);
  }

  /** Oldest first. */
  ofChat(chatId: string): Raw[] {
    return this.index().get(chatId) ?? [];
  }

  chats(): string[] {
    return [...this.index().keys()];
  }

  private index(): Map<string, Raw[]> {
    if (this.indexed === this.version) return this.byChat;
    this.byChat = new Map();
    for (const raw of this.values()) {
      const list = this.byChat.get(raw.id.remote) ?? [];
      list.push(raw);
      this.byChat.set(raw.id.remote, list);
    }
    for (const list of this.byChat.values()) list.sort((a, b) => a.t - b.t);
    this.indexed = this.version;
    return this.byChat;
  }
}

export class WaWorld {
  readonly messages = new MessageStore();
  readonly media = new Map<string, MediaEntry>();
  /** Linked ids WhatsApp Web knows, both ways. */
  readonly pnOfLid = new Map<string, string>();
  readonly lidOfPn = new Map<string, string>();
  /** Numbers as WhatsApp's server knows them (digits -> serialised id, null: no account); others exist as given. */
  readonly accounts = new Map<string, string | null>();
  readonly chatNames = new Map<string, string>();
  /** Chats with no message yet (opened by findOrCreateLatestChat). */
  private readonly emptyChats = new Set<string>();
  /** Messages the sender may no longer delete for everyone (WhatsApp's time limit passed). */
  readonly revokeExpired = new Set<string>();
  readonly counters: WorldCounters = { groupMetadataRefreshes: 0, groupsRefreshed: [], earlierLoads: 0 };

  /** What pages asked of WhatsApp, by the id they addressed. */
  readonly readMarks: string[] = [];
  readonly sends: Array<{ chatId: string; options: Record<string, unknown> }> = [];
  readonly typing: Array<{ chatId: string; state: 'typing' | 'recording' | 'stop' }> = [];
  readonly revokes: Array<{ chatId: string; messageId: string }> = [];
  readonly deletesForMe: Array<{ chatId: string; messageId: string }> = [];
  readonly reactions: Array<{ messageId: string; emoji: string }> = [];
  readonly callRejections: Array<{ to: string; callId: string }> = [];
  loggedOut = 0;

  /** Switches a test flips. */
  acksWithheld = false;
  nextSendAck?: number;
  callRejectionBroken = false;
  pairingRefusal?: unknown;

  constructor(readonly me: string) {}

  /** The chat id WhatsApp Web uses for `id`: the linked id once it knows one. */
  chatIdFor(id: string): string {
    return this.lidOfPn.get(id) ?? id;
  }

  chatIds(): string[] {
    return [...new Set<string>([...this.emptyChats, ...this.messages.chats()])];
  }

  hasChat(id: string): boolean {
    return this.emptyChats.has(id) || this.messages.ofChat(id).length > 0;
  }

  ensureChat(id: string): void {
    if (!this.hasChat(id)) this.emptyChats.add(id);
  }

  /** Oldest first. */
  messagesOf(chatId: string): Raw[] {
    return this.messages.ofChat(chatId);
  }

  lastActivity(chatId: string): number {
    return this.messages.ofChat(chatId).at(-1)?.t ?? 0;
  }

  /** WhatsApp Web now knows `pn` by `lid`: its chat (and every message in it) moves to the lid. */
  learnLid(pn: string, lid: string): void {
    this.pnOfLid.set(lid, pn);
    this.lidOfPn.set(pn, lid);
    for (const [id, raw] of [...this.messages]) {
      if (raw.id.remote !== pn) continue;
      const moved = { ...raw, id: { ...raw.id, remote: lid, _serialized: raw.id._serialized.replace(`_${pn}_`, `_${lid}_`) } } as Raw;
      if (raw.from === pn) moved.from = lid;
      if (raw.to === pn) moved.to = lid;
      this.messages.delete(id);
      this.messages.set(moved.id._serialized, moved);
    }
    if (this.emptyChats.delete(pn)) this.emptyChats.add(lid);
  }
}
