/**
 * WhatsApp Web and the phone, faked at the one seam whatsapp-web.js talks through: `pupPage.evaluate`.
 * The adapter gets the library's real Client (real LocalAuth, real sendMessage/downloadMedia/logout/
 * destroy code, real Message objects); only what would need Chromium and WhatsApp's servers is faked:
 * `initialize()` (browser launch + page load) and the page's answers. Events are emitted the way the
 * library emits them (message_create then message, disconnected + destroy() on unaccepted states).
 */
import fs from 'node:fs';
import path from 'node:path';
import WAWebJS from 'whatsapp-web.js';
import { chatRaw, jid, message, msgKey, rawMedia, rawMessage, stanzaId, wid, type Raw } from './raw';

const PAIRED_MARKER = 'ponte-fake-paired';
type Client = WAWebJS.Client & Record<string, unknown>;

export interface FakeWaOptions {
  /** Digits of the paired account. */
  me?: string;
  /** Initial QR rotation interval (0: one QR only). */
  qrRotateMs?: number;
  /** initialize() rejects with this after "launching" (a page.goto or launch error). */
  startError?: unknown;
  /** false: WhatsApp Web's scripts never appear, so the library's real inject() times out. */
  webLoads?: boolean;
  ackIntervalMs?: number;
  /** The page stops answering (a hung renderer). */
  pageHung?: boolean;
  /** How long the browser launch takes (the library has no browser to close meanwhile). */
  startDelayMs?: number;
}

interface SentRecord {
  chatId: string;
  content: unknown;
  options: Record<string, unknown>;
  sendSeen: boolean;
}

export class FakeBrowser {
  connected = true;
  closes = 0;
  isConnected(): boolean {
    return this.connected;
  }
  async close(): Promise<void> {
    this.closes += 1;
    this.connected = false;
  }
  process(): null {
    return null;
  }
}

export class FakeWhatsAppWeb {
  readonly me: string;
  readonly clients: Client[] = [];
  readonly browsers: FakeBrowser[] = [];
  readonly options: WAWebJS.ClientOptions[] = [];
  readonly sent: SentRecord[] = [];
  readonly seen: string[] = [];
  readonly chatStates: Array<{ chatId: string; state: string }> = [];
  readonly reactions: Array<{ messageId: string; emoji: string }> = [];
  readonly revoked: string[] = [];
  readonly rejectedCalls: Array<{ from: string; id: string }> = [];
  readonly evaluates: string[] = [];
  initializeCalls = 0;
  /** Test switches. */
  opts: FakeWaOptions;
  readonly messages = new Map<string, Raw>();
  readonly media = new Map<string, { data: string; mimetype: string; filename?: string } | 'gone'>();
  readonly lids = new Map<string, string>();
  /** Numbers as WhatsApp knows them (digits -> serialized id, null: no account); others are accounts as given. */
  readonly accounts = new Map<string, string | null>();
  private timers = new Set<NodeJS.Timeout>();

  constructor(opts: FakeWaOptions = {}) {
    this.opts = opts;
    this.me = jid(opts.me ?? '351910000001');
  }

  /** The deps.createClient for WwebjsEngine. */
  readonly createClient = (options: WAWebJS.ClientOptions): WAWebJS.Client => {
    this.options.push(options);
    const client = new WAWebJS.Client(options) as Client;
    client.initialize = () => this.initialize(client);
    this.clients.push(client);
    return client;
  };

  get client(): Client {
    const c = this.clients.at(-1);
    if (!c) throw new Error('the adapter has not built a client yet');
    return c;
  }

  private async initialize(client: Client): Promise<void> {
    this.initializeCalls += 1;
    const auth = client.authStrategy as WAWebJS.AuthStrategy & { beforeBrowserInitialized(): Promise<void>; afterBrowserInitialized(): Promise<void> };
    // Real LocalAuth: throws when puppeteer.userDataDir is set too, otherwise creates the profile dir.
    await auth.beforeBrowserInitialized();
    // puppeteer.launch takes a while: until it returns, the library holds no browser to close
    if (this.opts.startDelayMs) await new Promise((r) => setTimeout(r, this.opts.startDelayMs));
    const browser = new FakeBrowser();
    this.browsers.push(browser);
    client.pupBrowser = browser as never;
    client.pupPage = this.page(browser) as never;
    await auth.afterBrowserInitialized();
    if (this.opts.startError !== undefined) throw this.opts.startError;
    if (this.opts.webLoads === false) await (client.inject as () => Promise<void>)();
    if (this.isPaired(client)) this.later(0, () => this.ready(client));
    else this.showLogin(client);
  }

  private profileDir(client: Client): string {
    return String((client.options as { puppeteer: { userDataDir: string } }).puppeteer.userDataDir);
  }

  isPaired(client: Client = this.client): boolean {
    return fs.existsSync(path.join(this.profileDir(client), PAIRED_MARKER));
  }

  private showLogin(client: Client): void {
    const phone = (client.options as WAWebJS.ClientOptions).pairWithPhoneNumber?.phoneNumber;
    let n = 0;
    const show = () => {
      if (!this.alive(client) || this.isPaired(client)) return;
      n += 1;
      if (phone) client.emit('code', `K${n}PQ2R7W`.slice(0, 8));
      else client.emit('qr', `2@${stanzaId()},${Buffer.from(`key-${n}`).toString('base64')},${n}`);
      if (!phone && this.opts.qrRotateMs) this.later(this.opts.qrRotateMs, show);
    };
    this.later(0, show);
  }

  /** The phone scans the QR / enters the code. */
  async pair(client: Client = this.client): Promise<void> {
    fs.writeFileSync(path.join(this.profileDir(client), PAIRED_MARKER), 'yes');
    this.ready(client);
  }

  private ready(client: Client): void {
    if (!this.alive(client)) return;
    client.emit('authenticated');
    const ClientInfo = (WAWebJS as unknown as { ClientInfo: new (c: WAWebJS.Client, d: object) => WAWebJS.ClientInfo }).ClientInfo;
    client.info = new ClientInfo(client, { wid: wid(this.me), pushname: 'Ponte test account', platform: 'web' });
    client.emit('ready');
  }

  alive(client: Client = this.client): boolean {
    return Boolean((client.pupBrowser as unknown as FakeBrowser | undefined)?.connected);
  }

  /** Emits a new message like the library: message_create always, message only when not fromMe. */
  deliver(raw: Raw, client: Client = this.client): WAWebJS.Message {
    this.messages.set(raw.id._serialized, raw);
    const msg = message(client, raw);
    client.emit('message_create', msg);
    if (!raw.id.fromMe) client.emit('message', msg);
    return msg;
  }

  injectText(from: string, text: string, extra: Partial<Parameters<typeof rawMessage>[0]> = {}): string {
    const raw = rawMessage({ chat: jid(from), me: this.me, body: text, ...extra });
    this.deliver(raw);
    return raw.id._serialized;
  }

  injectMedia(from: string, media: { data: Buffer; mimetype: string; filename?: string; caption?: string }, gone = false): string {
    const type = media.mimetype.startsWith('image/') ? 'image' : media.mimetype.startsWith('video/') ? 'video' : media.mimetype.startsWith('audio/') ? 'audio' : 'document';
    const raw = rawMedia({ chat: jid(from), me: this.me, type, mimetype: media.mimetype, filename: media.filename, caption: media.caption, size: media.data.length });
    this.media.set(raw.id._serialized, gone ? 'gone' : { data: media.data.toString('base64'), mimetype: media.mimetype, filename: media.filename });
    this.deliver(raw);
    return raw.id._serialized;
  }

  /** What the library does on a socket state it does not accept: change_state, disconnected, destroy(). */
  dropWith(state: string, client: Client = this.client): void {
    client.emit('change_state', state);
    client.emit('disconnected', state);
    void client.destroy();
  }

  /** The phone unlinks the device: the library's framenavigated path (LOGOUT, data deleted, re-inject). */
  async unlinkFromPhone(client: Client = this.client): Promise<void> {
    client.emit('disconnected', 'LOGOUT');
    const auth = client.authStrategy as unknown as { logout(): Promise<void>; beforeBrowserInitialized(): Promise<void>; afterBrowserInitialized(): Promise<void> };
    await auth.logout();
    await auth.beforeBrowserInitialized();
    await auth.afterBrowserInitialized();
    await (client.inject as () => Promise<void>)();
  }

  private onSend(client: Client, chatId: string, content: unknown, options: Record<string, unknown>, sendSeen: boolean): Raw | null {
    this.sent.push({ chatId, content, options, sendSeen });
    if (sendSeen) this.seen.push(chatId);
    if (chatId.startsWith('0')) return null; // no such chat
    const extra: Record<string, unknown> = {};
    let type = 'chat';
    let body = typeof content === 'string' ? content : '';
    const media = options.media as { mimetype: string; data: string; filename?: string } | undefined;
    if (media) {
      type = options.sendAudioAsVoice ? 'ptt' : options.sendMediaAsDocument ? 'document' : options.sendMediaAsSticker ? 'sticker' : media.mimetype.split('/')[0];
      if (!['image', 'video', 'audio', 'ptt', 'sticker'].includes(type)) type = 'document';
      Object.assign(extra, { mimetype: media.mimetype, filename: media.filename, caption: options.caption, directPath: '/v/sent.enc', size: Buffer.from(media.data, 'base64').length });
      body = '';
    } else if (options.location) {
      const loc = options.location as { latitude: number; longitude: number; description?: string };
      type = 'location';
      Object.assign(extra, { lat: loc.latitude, lng: loc.longitude, loc: loc.description });
    } else if (options.parseVCards && body.startsWith('BEGIN:VCARD')) {
      type = 'vcard';
    }
    if (options.quotedMessageId) {
      const quoted = this.messages.get(String(options.quotedMessageId));
      if (!quoted && !options.ignoreQuoteErrors) throw new Error('Could not get the quoted message.');
      if (quoted) Object.assign(extra, { quotedMsg: { type: quoted.type, body: quoted.body }, quotedStanzaID: quoted.id.id, quotedParticipant: quoted.from });
    }
    const raw = rawMessage({ chat: chatId, me: this.me, fromMe: true, type, body, extra });
    if (media) this.media.set(raw.id._serialized, { data: media.data, mimetype: media.mimetype, filename: media.filename });
    // WhatsApp Web adds our message to its collection before sendMessage returns: the echo comes first.
    this.deliver(raw, client);
    this.scheduleAcks(client, raw);
    return raw;
  }

  private scheduleAcks(client: Client, raw: Raw): void {
    const step = this.opts.ackIntervalMs ?? 10;
    [1, 2, 3].forEach((ack, i) =>
      this.later(step * (i + 1), () => {
        if (!this.alive(client)) return;
        raw.ack = ack;
        client.emit('message_ack', message(client, raw), ack);
      }),
    );
  }

  private chatsRaw(): Array<Record<string, unknown>> {
    const last = new Map<string, number>();
    for (const m of this.messages.values()) last.set(m.id.remote, Math.max(last.get(m.id.remote) ?? 0, m.t));
    return [...last].map(([id, t]) => chatRaw(id, t));
  }

  /** The page: answers the library's evaluate calls, recognised by what their code does. */
  private page(browser: FakeBrowser) {
    const client = () => this.clients.find((c) => (c.pupBrowser as unknown) === browser)!;
    return {
      isClosed: () => !browser.connected,
      evaluate: async (fn: unknown, ...args: unknown[]): Promise<unknown> => {
        const src = typeof fn === 'string' ? fn : String(fn);
        if (!browser.connected) throw new Error('Protocol error (Runtime.callFunctionOn): Target closed');
        if (/^\(\) => 1$/.test(src)) return this.opts.pageHung ? new Promise(() => undefined) : 1; // a health probe
        if (src.includes('window.Debug?.VERSION != undefined')) return this.opts.webLoads !== false;
        if (src.includes('window.WWebJS.sendMessage(')) {
          const [chatId, content, options, sendSeen] = args as [string, unknown, Record<string, unknown>, boolean];
          return this.onSend(client(), chatId, content, options, sendSeen);
        }
        this.evaluates.push(src.slice(0, 60));
        if (src.includes('Invalid serialized message id specified')) return this.messages.get(String(args[0]));
        if (src.includes('downloadAndMaybeDecrypt')) {
          const m = this.media.get(String(args[0]));
          if (!m) return null;
          return m === 'gone' ? undefined : { data: m.data, mimetype: m.mimetype, filename: m.filename, filesize: Buffer.from(m.data, 'base64').length };
        }
        if (src.includes('queryWidExists')) {
          const id = String(args[0]);
          const digits = id.split('@')[0];
          const known = this.accounts.has(digits) ? this.accounts.get(digits)! : id;
          return known ? { server: 'c.us', user: known.split('@')[0], _serialized: known } : null;
        }
        if (src.includes('sendReactionToMsg')) return void this.reactions.push({ messageId: String(args[0]), emoji: String(args[1]) });
        if (src.includes('sendRevokeMsgs')) return void this.revoked.push(String(args[0]));
        if (src.includes('loadEarlierMsgs')) {
          const [chatId, search] = args as [string, { limit?: number } | undefined];
          const list = [...this.messages.values()].filter((m) => m.id.remote === chatId).sort((a, b) => a.t - b.t);
          return search?.limit ? list.slice(-search.limit) : list;
        }
        if (src.includes('window.WWebJS.getChats()')) return this.chatsRaw();
        if (src.includes('window.WWebJS.getChat(chatId)')) return this.chatsRaw().find((c) => (c.id as { _serialized: string })._serialized === args[0]) ?? chatRaw(String(args[0]), 0);
        if (src.includes('enforceLidAndPnRetrieval')) {
          return (args[0] as string[]).map((id) => (id.endsWith('@lid') ? { lid: id, pn: this.lids.get(id) } : { lid: [...this.lids].find(([, pn]) => pn === id)?.[0], pn: id }));
        }
        if (src.includes('window.WWebJS.getContact(contactId)')) return { id: wid(String(args[0])), pushname: 'Peer Pushname', isUser: true };
        if (src.includes('requestProfilePicFromServer')) return { eurl: `https://pps.whatsapp.net/v/${String(args[0]).split('@')[0]}.jpg` };
        if (src.includes('window.WWebJS.sendSeen(chatId)')) return void this.seen.push(String(args[0]));
        if (src.includes('sendChatstate')) return void this.chatStates.push({ chatId: String(args[0]), state: /'typing'/.test(src) ? 'typing' : 'stop' });
        if (src.includes('Socket.logout')) return undefined;
        if (src.includes('rejectCall')) return void this.rejectedCalls.push({ from: String(args[0]), id: String(args[1]) });
        throw new Error(`fake WhatsApp Web: unexpected evaluate ${src.slice(0, 120)}`);
      },
    };
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

export { msgKey };
