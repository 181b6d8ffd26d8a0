/**
 * One loaded WhatsApp Web page: its `window` (with `window.require` of the modules the library's page
 * code uses, and nothing else: any other module throws, as a renamed module does in a new WhatsApp Web
 * build), the login machinery, the collections, and the routes by which WhatsApp pushes messages, acks,
 * edits and calls into the listeners the library registered. A page navigation builds a new document.
 */
import { PageCollections, type ChatModel, type MsgModel } from './collections';
import { Cmd, Conn, QrRotation, Socket, altDeviceLinkingApi, type PageClock, type QrTimeline } from './login-modules';
import { fakeSendMessage } from './send';
import { createWid, idOf, type Wid } from './wid';
import type { WaWorld } from './world';
import type { Raw } from '../raw';

export interface DocumentHost {
  world: WaWorld;
  clock: PageClock;
  /** A page error: what a browser prints on its console (an exception in a listener, an unhandled rejection). */
  onError(err: unknown): void;
  paired(): boolean;
  /** WhatsApp Web's own scripts loaded (false: `window.Debug` never appears). */
  webLoads: boolean;
  version: string;
  qrTimeline: QrTimeline;
  /** Every live document, so a message published by one reaches all (WhatsApp's server fan-out). */
  publish(raw: Raw): void;
  /** A call ended on the server: every document drops it. */
  endCall(callId: string): void;
}

export class WaWebDocument {
  readonly window: Record<string, unknown>;
  readonly socket: Socket;
  readonly conn: Conn;
  readonly qr: QrRotation;
  readonly collections: PageCollections;
  /** WAWebCallCollection's own Map: the library wraps its `set` to hear incoming calls (Client.js attachEventListeners). */
  readonly calls = new Map<string, object>();
  private readonly modules: Record<string, unknown>;
  private sendPatched = false;
  private syncScheduled = false;

  constructor(private readonly host: DocumentHost) {
    const { world } = host;
    this.collections = new PageCollections(world, host.onError);
    const paired = host.paired();
    this.socket = new Socket(
      paired ? 'CONNECTED' : 'UNPAIRED',
      host.onError,
      () => this.scheduleSync(),
      () => (world.loggedOut += 1),
    );
    this.conn = new Conn(world.me, host.onError);
    this.qr = new QrRotation(this.socket, this.conn, host.clock, host.qrTimeline);
    if (!paired) this.qr.start();
    this.modules = this.buildModules();
    this.window = {
      require: (name: string) => {
        if (!(name in this.modules)) throw new Error(`fake WhatsApp Web: no module ${name}`);
        return this.modules[name];
      },
      ...(host.webLoads ? { Debug: { VERSION: host.version } } : {}),
    };
  }

  /** The phone scanned the QR or entered the code: the socket connects and the chats sync. */
  pair(): void {
    this.qr.stop();
    this.socket.setState('CONNECTED');
    this.sync();
  }

  /** A message WhatsApp delivered (or our own send): WhatsApp Web's Msg 'add'. */
  add(raw: Raw): void {
    this.collections.Msg.add(raw);
  }

  update(id: string, patch: Record<string, unknown>): void {
    this.collections.Msg.get(id)?.set(patch);
  }

  ring(call: { id: string; peerJid: string; isVideo: boolean; isGroup: boolean }): void {
    this.calls.set(call.id, { ...call, canHandleLocally: true, outgoing: false, webClientShouldHandle: true, participants: [] });
  }

  dropCall(callId: string): void {
    this.calls.delete(callId);
  }

  /** Phone reactions reach WhatsApp Web through its reaction table (the library hooks its bulkUpsert). */
  reactionTable(): { bulkUpsert(rows: unknown[]): unknown } {
    return (this.modules.WAWebAddonReactionTableMode as { reactionTableMode: { bulkUpsert(rows: unknown[]): unknown } }).reactionTableMode;
  }

  /**
   * whatsapp-web.js's LoadUtils ran for real in this window (window.WWebJS); its send helper is the one
   * part replaced (see send.ts).
   */
  afterEvaluate(): void {
    const helpers = this.window.WWebJS as Record<string, unknown> | undefined;
    if (!helpers || this.sendPatched || typeof helpers.sendMessage !== 'function') return;
    this.sendPatched = true;
    helpers.sendMessage = fakeSendMessage({
      me: this.host.world.me,
      collections: this.collections,
      publish: (raw) => this.host.publish(raw),
      storeMedia: (id, media) => this.host.world.media.set(id, media),
      sends: this.host.world.sends,
    });
  }

  private scheduleSync(): void {
    if (this.syncScheduled || !this.host.paired() || this.socket.hasSynced) return;
    this.syncScheduled = true;
    this.host.clock.setTimeout(() => this.sync(), 0);
  }

  private sync(): void {
    if (this.socket.hasSynced) return;
    this.socket.hasSynced = true;
    this.socket.trigger('change:hasSynced', this.socket, true);
  }

  private buildModules(): Record<string, unknown> {
    const { world } = this.host;
    const collections = this.collections;
    const me = () => createWid(world.me);
    const registration = { identityKeyPair: { pubKey: 'aWRlbnRpdHk=' } };
    const cmd = new Cmd(this.host.onError, {
      revoke: async (chat, what) => {
        for (const msg of (what as { list: MsgModel[] }).list) {
          world.revokes.push({ chatId: idOf((chat as ChatModel).id), messageId: msg.id._serialized });
          msg.set({ type: 'revoked', body: '', caption: undefined });
        }
      },
      deleteForMe: async (chat, what) => {
        for (const msg of (what as { list: MsgModel[] }).list) {
          world.deletesForMe.push({ chatId: idOf((chat as ChatModel).id), messageId: msg.id._serialized });
          collections.Msg.remove(msg);
        }
      },
    });
    let stanzas = 0;
    const callCollection = { on: () => undefined, callMap: this.calls };
    return {
      // Login (Client.js inject, AuthStore.js)
      WAWebSocketModel: { Socket: this.socket },
      WAWebConnModel: { Conn: this.conn },
      WAWebCmd: { Cmd: cmd },
      WAWebLaunchSocketUtils: { refreshQR: () => this.qr.refresh() },
      WAWebOfflineHandler: { OfflineMessageHandler: { getOfflineDeliveryProgress: () => 100 } },
      WAWebAltDeviceLinkingApi: altDeviceLinkingApi(() => world.pairingRefusal),
      WABase64: { encodeB64: (v: unknown) => Buffer.from(String(v)).toString('base64') },
      WAWebCompanionRegClientUtils: { DEVICE_PLATFORM: 'Chrome' },
      WAWebAdvSignatureApi: {},
      WAWebUserPrefsInfoStore: { waNoiseInfo: { get: async () => ({ staticKeyPair: { pubKey: 'c3RhdGlj' } }) } },
      WAWebSignalStoreApi: { waSignalStore: { getRegistrationInfo: async () => registration } },
      WAWebUserPrefsMultiDevice: { getADVSecretKey: () => 'YWR2LXNlY3JldA==' },
      WAWebMiscBrowserUtils: { info: () => ({ os: 'Linux', name: 'Chrome' }) },
      WAWebUserPrefsMeUser: { getMaybeMePnUser: me, getMaybeMeLidUser: () => undefined },
      // Event wiring (Client.js attachEventListeners)
      WAWebCollections: collections,
      WAWebSyncGatingUtils: {},
      WAWebCallCollection: callCollection,
      WAWebAddonReactionTableMode: { reactionTableMode: { bulkUpsert: (rows: unknown[]) => rows.length } },
      // Data (Utils.js helpers, Client.js / Chat.js / Message.js evaluates)
      WAWebWidFactory: { createWid, createWidFromWidLike: (w: unknown) => createWid(idOf(w)) },
      WAWebFindChatAction: {
        // The chat a number resolves to: the lid chat for a contact WhatsApp Web knows by linked id;
        // nothing for a number with no WhatsApp account.
        findOrCreateLatestChat: async (wid: Wid) => {
          const digits = wid.user;
          if (wid.server === 'c.us' && world.accounts.get(digits) === null) return undefined;
          return { chat: collections.findOrCreate(wid._serialized) };
        },
      },
      WAWebLidMigrationUtils: { toPn: (id: unknown) => world.pnOfLid.get(idOf(id)) },
      WAWebStreamModel: { Stream: { markAvailable: () => undefined, markUnavailable: () => undefined } },
      WAWebUpdateUnreadChatAction: { sendSeen: async ({ chat }: { chat: ChatModel }) => void world.readMarks.push(chat.id._serialized) },
      WAWebChatStateBridge: {
        sendChatStateComposing: async (wid: Wid) => void world.typing.push({ chatId: idOf(wid), state: 'typing' }),
        sendChatStateRecording: async (wid: Wid) => void world.typing.push({ chatId: idOf(wid), state: 'recording' }),
        sendChatStatePaused: async (wid: Wid) => void world.typing.push({ chatId: idOf(wid), state: 'stop' }),
      },
      WAWap: {
        wap: (tag: string, attrs: Record<string, string>, content?: unknown) => ({ tag, attrs, content }),
        generateId: () => `stanza-${++stanzas}`,
      },
      // Call stanzas are cast, not sent: WhatsApp Web never learns whether the server acted on them.
      WADeprecatedSendIq: {
        deprecatedCastStanza: async (stanza: {
          tag: string;
          attrs: Record<string, string>;
          content?: Array<{ tag: string; attrs: Record<string, string> }>;
        }) => {
          const reject = stanza.content?.find((c) => c.tag === 'reject');
          if (stanza.tag !== 'call' || !reject) return;
          world.callRejections.push({ to: stanza.attrs.to, callId: reject.attrs['call-id'] });
          // whatsapp-web.js 1.34.7 (upstream 201746): the server ignores the stanza and the phone keeps ringing.
          if (!world.callRejectionBroken) this.host.endCall(reject.attrs['call-id']);
        },
      },
      WAWebApiContact: {
        getCurrentLid: (wid: unknown) => {
          const lid = world.lidOfPn.get(idOf(wid));
          return lid ? createWid(lid) : undefined;
        },
        getPhoneNumber: (wid: unknown) => {
          const pn = world.pnOfLid.get(idOf(wid));
          return pn ? createWid(pn) : undefined;
        },
        getAlternateUserWid: () => undefined,
      },
      WAWebQueryExistsJob: {
        queryWidExists: async (wid: Wid) => {
          const known = world.accounts.has(wid.user) ? world.accounts.get(wid.user) : wid._serialized;
          return known ? { wid: createWid(known) } : null;
        },
      },
      WAWebContactGetters: contactGetters(world.me),
      WAWebFrontendContactGetters: { getIsMyContact: () => false },
      WAWebContactProfilePicThumbBridge: {
        requestProfilePicFromServer: async (chat: ChatModel) => ({ eurl: `https://pps.whatsapp.net/v/${chat.id.user}.jpg` }),
      },
      WAWebSendReactionMsgAction: {
        sendReactionToMsg: async (msg: MsgModel, emoji: string) => void world.reactions.push({ messageId: msg.id._serialized, emoji }),
      },
      WAWebChatLoadMessages: { loadEarlierMsgs: async ({ chat }: { chat: ChatModel }) => collections.loadEarlier(chat) },
      // Who may still delete a message for everyone: its sender, within WhatsApp's time limit.
      WAWebMsgActionCapability: {
        canSenderRevokeMsg: (msg: MsgModel) => Boolean(msg.id.fromMe) && !world.revokeExpired.has(msg.id._serialized),
        canAdminRevokeMsg: () => false,
      },
      WAWebDownloadManager: {
        downloadManager: {
          downloadAndMaybeDecrypt: async ({ directPath }: { directPath: string }) => {
            const msg = [...world.messages.values()].find((m) => m.directPath === directPath);
            const media = msg && world.media.get(msg.id._serialized);
            // WhatsApp's media servers no longer have the file.
            if (!media) throw Object.assign(new Error('media not found'), { status: 404 });
            const bytes = Buffer.from(media.data, 'base64');
            return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
          },
        },
      },
      WALinkify: { findLinks: () => [], findLink: () => undefined },
    };
  }
}

/** WAWebContactGetters, as getContactModel (Utils.js) reads a contact. */
function contactGetters(me: string) {
  const id = (c: { id: Wid }) => c.id._serialized;
  return {
    getIsMe: (c: { id: Wid }) => id(c) === me,
    getIsUser: (c: { id: Wid }) => c.id.server !== 'g.us',
    getIsGroup: (c: { id: Wid }) => c.id.server === 'g.us',
    getIsWAContact: () => true,
    getUserid: (c: { id: Wid }) => c.id.user,
    getVerifiedName: () => undefined,
    getVerifiedLevel: () => undefined,
    getStatusMute: () => false,
    getName: (c: { name?: string }) => c.name,
    getShortName: () => undefined,
    getPushname: (c: { pushname?: string }) => c.pushname,
    getIsEnterprise: () => false,
  };
}
