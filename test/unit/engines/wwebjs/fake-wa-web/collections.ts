/**
 * WhatsApp Web's in-memory collections (`WAWebCollections`: Msg, Chat, GroupMetadata, Contact) as the
 * library's page code reads them, over the raw records of a `WaWorld`. One set per page: a reloaded page
 * starts with only each chat's last message in memory, as WhatsApp Web does, and loads older ones on
 * demand (`WAWebChatLoadMessages.loadEarlierMsgs`).
 */
import { Emitter } from './emitter';
import { createWid, idOf, type Wid } from './wid';
import type { Raw } from '../raw';
import type { WaWorld } from './world';

/** Messages of a chat WhatsApp Web holds in memory after a page load: the one the chat list shows. */
export const PRELOADED_PER_CHAT = 1;
/** How many older messages one `loadEarlierMsgs` brings (a screenful of history). */
export const EARLIER_BATCH = 50;

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * A message model: its attributes read as properties (`msg.type`, `msg.mediaData`), `serialize()` a
 * copy (WAWebMsgModel), `set()` fires `change:<attr>` (model, value, previous) then `change`, on the
 * model and on the collection, after every attribute is written.
 */
export class MsgModel {
  readonly events: Emitter;
  constructor(
    readonly raw: Raw,
    private readonly collection: MsgCollection,
  ) {
    this.events = new Emitter(collection.onError);
    return new Proxy(this, {
      get: (target, key, receiver) =>
        key in target ? Reflect.get(target, key, receiver) : (target.raw as Record<string | symbol, unknown>)[key],
    });
  }

  get id(): Raw['id'] {
    return this.raw.id;
  }

  serialize(): Raw {
    return clone(this.raw);
  }

  unsafe(): this {
    return this;
  }

  on(event: string, fn: (...args: never[]) => unknown): this {
    this.events.on(event, fn);
    return this;
  }

  once(event: string, fn: (...args: never[]) => unknown): this {
    this.events.once(event, fn);
    return this;
  }

  /** WhatsApp Web's own download kicks off a fetch of media that is not resolved yet: here it stays as it is. */
  async downloadMedia(): Promise<void> {
    return undefined;
  }

  set(patch: Record<string, unknown>): void {
    const changes: Array<[string, unknown, unknown]> = [];
    for (const [key, value] of Object.entries(patch)) {
      const prev = (this.raw as Record<string, unknown>)[key];
      if (JSON.stringify(prev) === JSON.stringify(value)) continue;
      (this.raw as Record<string, unknown>)[key] = value;
      changes.push([key, value, prev]);
    }
    for (const [key, value, prev] of changes) {
      this.events.trigger(`change:${key}`, this, value, prev);
      this.collection.trigger(`change:${key}`, this, value, prev);
    }
    if (changes.length) {
      this.events.trigger('change', this);
      this.collection.trigger('change', this);
    }
  }
}

export class MsgCollection extends Emitter {
  private readonly models = new Map<string, MsgModel>();

  constructor(
    private readonly world: WaWorld,
    onError: (err: unknown) => void,
  ) {
    super(onError);
  }

  /** Any message WhatsApp has for this account (the fake keeps storage and memory in one place). */
  get(id: unknown): MsgModel | undefined {
    const key = idOf(id);
    const raw = this.world.messages.get(key);
    if (!raw) return undefined;
    let model = this.models.get(key);
    if (!model || model.raw !== raw) {
      model = new MsgModel(raw, this);
      this.models.set(key, model);
    }
    return model;
  }

  async getMessagesById(ids: unknown[]): Promise<{ messages: MsgModel[] }> {
    return { messages: ids.flatMap((id) => this.get(id) ?? []) };
  }

  getModelsArray(): MsgModel[] {
    return [...this.world.messages.keys()].map((id) => this.get(id)!);
  }

  /** A new message reached this page: WhatsApp Web adds it and fires 'add'. */
  add(raw: Raw): MsgModel {
    const model = this.get(raw.id._serialized)!;
    this.trigger('add', model);
    return model;
  }

  remove(model: MsgModel): void {
    this.world.messages.delete(model.id._serialized);
    this.models.delete(model.id._serialized);
    this.trigger('remove', model);
  }
}

/** A chat's messages in memory: the newest ones, more after each loadEarlierMsgs. */
class ChatMsgs {
  constructor(
    private readonly chat: ChatModel,
    private readonly page: PageCollections,
  ) {}

  getModelsArray(): MsgModel[] {
    const all = this.page.world.messagesOf(this.chat.id._serialized);
    return all.slice(this.page.hiddenOf(this.chat.id._serialized)).map((raw) => this.page.Msg.get(raw.id._serialized)!);
  }
}

export class ChatModel {
  readonly id: Wid;
  readonly msgs: ChatMsgs;
  readonly mute = { expiration: 0 };
  readonly groupMetadata?: { announce: boolean; participants: unknown[]; serialize(): object };

  constructor(
    id: string,
    private readonly page: PageCollections,
  ) {
    this.id = createWid(id);
    this.msgs = new ChatMsgs(this, page);
    if (this.id.isGroup()) {
      this.groupMetadata = {
        announce: false,
        participants: [],
        serialize: () => ({ id: { _serialized: id }, subject: this.formattedTitle, participants: [] }),
      };
    }
  }

  get t(): number {
    return this.page.world.lastActivity(this.id._serialized);
  }

  get formattedTitle(): string {
    return this.page.world.chatNames.get(this.id._serialized) ?? this.id.user;
  }

  get unreadCount(): number {
    return 0;
  }

  serialize(): Record<string, unknown> {
    return {
      id: { server: this.id.server, user: this.id.user, _serialized: this.id._serialized },
      t: this.t,
      unreadCount: this.unreadCount,
      archive: false,
      pin: 0,
    };
  }
}

export class ChatCollection extends Emitter {
  private readonly models = new Map<string, ChatModel>();

  constructor(private readonly page: PageCollections) {
    super(page.onError);
  }

  /** Exact ids only: a contact WhatsApp Web knows by lid has no chat under its phone form. */
  get(id: unknown): ChatModel | undefined {
    const key = idOf(id);
    if (!this.page.world.hasChat(key)) return undefined;
    let model = this.models.get(key);
    if (!model) {
      model = new ChatModel(key, this.page);
      this.models.set(key, model);
    }
    return model;
  }

  async find(id: unknown): Promise<ChatModel | undefined> {
    return this.get(id);
  }

  /** Newest activity first, like the chat list. */
  getModelsArray(): ChatModel[] {
    return this.page.world
      .chatIds()
      .map((id) => this.get(id)!)
      .sort((a, b) => b.t - a.t);
  }
}

/** Group metadata lives on the server: every `update` is a round trip to WhatsApp (counted). */
export class GroupMetadataCollection {
  constructor(private readonly page: PageCollections) {}

  async update(wid: unknown): Promise<void> {
    this.page.world.counters.groupMetadataRefreshes += 1;
    this.page.world.counters.groupsRefreshed.push(idOf(wid));
  }
}

export class ContactCollection {
  constructor(private readonly page: PageCollections) {}

  async find(wid: unknown): Promise<object> {
    const id = idOf(wid);
    const world = this.page.world;
    return {
      id: createWid(id),
      pushname: 'Peer Pushname',
      name: undefined,
      isBusiness: false,
      isEnterprise: false,
      phoneNumber: id.endsWith('@lid') && world.pnOfLid.get(id) ? createWid(world.pnOfLid.get(id)!) : undefined,
      isContactBlocked: false,
      serialize: () => ({ id: { server: id.split('@')[1], user: id.split('@')[0], _serialized: id }, pushname: 'Peer Pushname' }),
    };
  }
}

/** The collections of one page (one WhatsApp Web document). */
export class PageCollections {
  readonly Msg: MsgCollection;
  readonly Chat: ChatCollection;
  readonly GroupMetadata: GroupMetadataCollection;
  readonly Contact: ContactCollection;
  readonly Blocklist = { get: () => undefined };
  readonly BusinessProfile = { find: async () => ({}) };
  /** Per chat: how many of its oldest messages are still only in storage. */
  private readonly hidden = new Map<string, number>();

  constructor(
    readonly world: WaWorld,
    readonly onError: (err: unknown) => void,
  ) {
    this.Msg = new MsgCollection(world, onError);
    this.Chat = new ChatCollection(this);
    this.GroupMetadata = new GroupMetadataCollection(this);
    this.Contact = new ContactCollection(this);
    for (const id of world.chatIds()) this.hidden.set(id, Math.max(0, world.messagesOf(id).length - PRELOADED_PER_CHAT));
  }

  hiddenOf(chatId: string): number {
    return this.hidden.get(chatId) ?? 0;
  }

  /** Older messages written to storage behind this page's back (history seeded by a test). */
  addHidden(chatId: string, count: number): void {
    this.hidden.set(chatId, this.hiddenOf(chatId) + count);
  }

  /** `WAWebChatLoadMessages.loadEarlierMsgs`: the next older batch, or nothing when the history is all loaded. */
  loadEarlier(chat: ChatModel): MsgModel[] {
    this.world.counters.earlierLoads += 1;
    const id = chat.id._serialized;
    const hidden = this.hiddenOf(id);
    if (!hidden) return [];
    const from = Math.max(0, hidden - EARLIER_BATCH);
    this.hidden.set(id, from);
    return this.world
      .messagesOf(id)
      .slice(from, hidden)
      .map((raw) => this.Msg.get(raw.id._serialized)!);
  }

  /** `Chat.get` by the id WhatsApp Web uses, creating the chat as `findOrCreateLatestChat` does. */
  findOrCreate(id: string): ChatModel {
    const known = this.world.chatIdFor(id);
    this.world.ensureChat(known);
    return this.Chat.get(known)!;
  }
}
