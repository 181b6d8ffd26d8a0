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

export class WaWorld {
  readonly messages = new Map<string, Raw>();
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
    const ids = new Set<string>(this.emptyChats);
    for (const raw of this.messages.values()) ids.add(raw.id.remote);
    return [...ids];
  }

  ensureChat(id: string): void {
    if (!this.chatIds().includes(id)) this.emptyChats.add(id);
  }

  /** Oldest first. */
  messagesOf(chatId: string): Raw[] {
    return [...this.messages.values()].filter((m) => m.id.remote === chatId).sort((a, b) => a.t - b.t);
  }

  lastActivity(chatId: string): number {
    let t = 0;
    for (const raw of this.messages.values()) if (raw.id.remote === chatId && raw.t > t) t = raw.t;
    return t;
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
