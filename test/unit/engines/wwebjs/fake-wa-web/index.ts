/**
 * WhatsApp Web and the phone, faked below the library instead of in place of it. The adapter gets the
 * library's real Client, and the library runs its own code end to end: `initialize()` (LocalAuth, the
 * web version cache, page.goto), `inject()` (QR and pairing-code login, the UNPAIRED_IDLE handler),
 * `attachEventListeners()`, and its page helpers (`LoadUtils`, util/Injected/Utils.js) inside a fake
 * WhatsApp Web page (document.ts). Only Chromium (page.ts, launch.ts), WhatsApp Web's internal modules
 * and the send pipeline (send.ts) are faked, each after the library source that uses it.
 */
import fs from 'node:fs';
import path from 'node:path';
import WAWebJS from 'whatsapp-web.js';
import { jid, message, msgKey, rawMedia, rawMessage, stanzaId, type Raw } from '../raw';
import { registerLauncher } from './launch';
import { WHATSAPP_QR_TIMELINE, type QrTimeline } from './login-modules';
import { FakeBrowser, type FakePage } from './page';
import { WaWorld } from './world';
import type { WaWebDocument } from './document';

const PAIRED_MARKER = 'ponte-fake-paired';
type Client = WAWebJS.Client & Record<string, unknown>;

export interface FakeWaOptions {
  /** Digits of the paired account. */
  me?: string;
  /** Shortens WhatsApp Web's QR timeline: every ref lives this long (still 1 + 5 refs, then UNPAIRED_IDLE). */
  qrRotateMs?: number;
  qrTimeline?: QrTimeline;
  /** page.goto rejects with this (no network, a refusing proxy). */
  startError?: unknown;
  /** false: WhatsApp Web's scripts never appear, so the library's inject() times out. */
  webLoads?: boolean;
  ackIntervalMs?: number;
  /** The page stops answering (a hung renderer). */
  pageHung?: boolean;
  /** How long the browser launch takes (the library has no browser to close meanwhile). */
  startDelayMs?: number;
  /** The live WhatsApp Web build (window.Debug.VERSION). */
  version?: string;
}

export const LIVE_VERSION = '2.3000.1031000000';

export class FakeWhatsAppWeb {
  readonly world: WaWorld;
  readonly clients: Client[] = [];
  readonly browsers: FakeBrowser[] = [];
  readonly options: WAWebJS.ClientOptions[] = [];
  opts: FakeWaOptions;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly unregister: () => void;

  constructor(opts: FakeWaOptions = {}) {
    this.opts = opts;
    this.world = new WaWorld(jid(opts.me ?? '351910000001'));
    this.unregister = registerLauncher({ launch: (o) => this.launch(o) });
  }

  get me(): string {
    return this.world.me;
  }

  /** The deps.createClient for WwebjsEngine: the real Client, nothing replaced. */
  readonly createClient = (options: WAWebJS.ClientOptions): WAWebJS.Client => {
    this.options.push(options);
    const client = new WAWebJS.Client(options) as Client;
    this.clients.push(client);
    return client;
  };

  get client(): Client {
    const c = this.clients.at(-1);
    if (!c) throw new Error('the adapter has not built a client yet');
    return c;
  }

  /** Browsers launched: one per initialize() that got that far. */
  get initializeCalls(): number {
    return this.browsers.length;
  }

  page(client: Client = this.client): FakePage {
    const browser = client.pupBrowser as unknown as FakeBrowser | null;
    if (!browser) throw new Error('this client has no browser');
    return browser.page;
  }

  doc(client: Client = this.client): WaWebDocument {
    const doc = this.page(client).document;
    if (!doc) throw new Error('the page has not loaded WhatsApp Web');
    return doc;
  }

  /** Every evaluate every page ran, in order. */
  pageCalls(): string[] {
    return this.browsers.flatMap((b) => b.page.evaluates);
  }

  /** Page errors (console), e.g. the library's QR handler failing in Node's scope. */
  pageErrors(): unknown[] {
    return this.browsers.flatMap((b) => b.page.errors);
  }

  private launch(options: Record<string, unknown>): Promise<FakeBrowser> | undefined {
    const client = [...this.clients]
      .reverse()
      .find((c) => (c.options as WAWebJS.ClientOptions).puppeteer?.userDataDir === options.userDataDir && !c.pupBrowser);
    if (!client) return undefined;
    return (async () => {
      // puppeteer.launch takes a while: until it returns, the library holds no browser to close.
      if (this.opts.startDelayMs) await new Promise((r) => setTimeout(r, this.opts.startDelayMs));
      const profile = String(options.userDataDir);
      const opts = this.opts;
      const browser = new FakeBrowser(
        {
          world: this.world,
          paired: () => fs.existsSync(path.join(profile, PAIRED_MARKER)),
          // Read at each page load: a test can make the next reload fail.
          get webLoads() {
            return opts.webLoads !== false;
          },
          version: this.opts.version ?? LIVE_VERSION,
          qrTimeline:
            this.opts.qrTimeline ??
            (this.opts.qrRotateMs
              ? { firstMs: this.opts.qrRotateMs, nextMs: this.opts.qrRotateMs, rotations: WHATSAPP_QR_TIMELINE.rotations }
              : WHATSAPP_QR_TIMELINE),
          publish: (raw) => this.publish(raw),
          endCall: (id) => this.liveDocs().forEach((d) => d.dropCall(id)),
          gotoError: () => this.opts.startError,
          hung: () => Boolean(this.opts.pageHung),
        },
        options,
      );
      this.browsers.push(browser);
      return browser;
    })();
  }

  private profileDir(client: Client): string {
    return String((client.options as { puppeteer: { userDataDir: string } }).puppeteer.userDataDir);
  }

  isPaired(client: Client = this.client): boolean {
    return fs.existsSync(path.join(this.profileDir(client), PAIRED_MARKER));
  }

  /** The phone scans the QR / enters the code. */
  async pair(client: Client = this.client): Promise<void> {
    fs.writeFileSync(path.join(this.profileDir(client), PAIRED_MARKER), 'yes');
    this.doc(client).pair();
  }

  alive(client: Client = this.client): boolean {
    return Boolean((client.pupBrowser as unknown as FakeBrowser | undefined)?.connected);
  }

  private liveDocs(): WaWebDocument[] {
    return this.browsers.filter((b) => b.connected && b.page.document).map((b) => b.page.document!);
  }

  /** WhatsApp delivers a message (or our own send): stored, then added to every live page. */
  publish(raw: Raw): void {
    this.world.messages.set(raw.id._serialized, raw);
    for (const doc of this.liveDocs()) doc.add(raw);
    if (raw.id.fromMe && raw.ack === 0) this.scheduleAcks(raw);
  }

  /** A message a test built itself (raw.ts), delivered like any other. */
  deliver(raw: Raw): void {
    this.publish(raw);
  }

  injectText(from: string, text: string, extra: Partial<Parameters<typeof rawMessage>[0]> = {}): string {
    const raw = rawMessage({ chat: this.world.chatIdFor(jid(from)), me: this.me, body: text, ...extra });
    this.publish(raw);
    return raw.id._serialized;
  }

  injectMedia(
    from: string,
    media: { data: Buffer; mimetype: string; filename?: string; caption?: string },
    gone = false,
    type?: string,
  ): string {
    const kind =
      type ??
      (media.mimetype.startsWith('image/')
        ? 'image'
        : media.mimetype.startsWith('video/')
          ? 'video'
          : media.mimetype.startsWith('audio/')
            ? 'audio'
            : 'document');
    const raw = rawMedia({
      chat: this.world.chatIdFor(jid(from)),
      me: this.me,
      type: kind,
      mimetype: media.mimetype,
      filename: media.filename,
      caption: media.caption,
      size: media.data.length,
    });
    if (!gone)
      this.world.media.set(raw.id._serialized, { data: media.data.toString('base64'), mimetype: media.mimetype, filename: media.filename });
    this.publish(raw);
    return raw.id._serialized;
  }

  /** Any change WhatsApp makes to a message: every live page fires its change events. */
  update(id: string, patch: Record<string, unknown>): void {
    for (const doc of this.liveDocs()) doc.update(id, patch);
    if (!this.liveDocs().length) Object.assign(this.world.messages.get(id) ?? {}, patch);
  }

  /** The socket goes to a state: WhatsApp Web's 'change:state' (the library disconnects on the ones it does not accept). */
  dropWith(state: string, client: Client = this.client): void {
    this.doc(client).socket.setState(state);
  }

  /**
   * The phone unlinks this device: WhatsApp Web fires its 'logout' command (the library's onLogoutEvent),
   * clears its stored login and reloads at ?post_logout=1 (the library's framenavigated listener).
   */
  async unlinkFromPhone(client: Client = this.client): Promise<void> {
    const page = this.page(client);
    if (this.doc(client).window.require)
      (this.doc(client).window.require as (n: string) => { Cmd: { trigger(e: string): void } })('WAWebCmd').Cmd.trigger('logout');
    await new Promise((r) => setImmediate(r));
    fs.rmSync(path.join(this.profileDir(client), PAIRED_MARKER), { force: true });
    page.navigate('https://web.whatsapp.com/?post_logout=1');
  }

  /** The other phone deletes its message for everyone: WhatsApp Web turns it into type 'revoked' in place. */
  revokeFromPhone(messageId: string): void {
    this.update(messageId, { type: 'revoked', body: '' });
  }

  /** The other phone edits a text: the body changes and the message carries the edit's key. */
  editText(messageId: string, body: string): void {
    const raw = this.world.messages.get(messageId)!;
    this.update(messageId, { body, latestEditMsgKey: msgKey(raw.id.fromMe, raw.id.remote), latestEditSenderTimestampMs: Date.now() });
  }

  /**
   * The other phone edits (or adds) the caption of a media message. The edit brings its own thumbnail in
   * `body` (ENGINES.md "Second look": for media, body is the base64 thumbnail, in edits too) and the new
   * caption in `caption`: WhatsApp Web writes both, so the library's 'change:body change:caption'
   * listener (Client.js attachEventListeners) fires once for each.
   */
  editCaption(messageId: string, caption: string): void {
    const raw = this.world.messages.get(messageId)!;
    const thumbnail = Buffer.from(`thumbnail of the edit ${stanzaId()}`).toString('base64');
    this.update(messageId, {
      body: thumbnail,
      caption,
      latestEditMsgKey: msgKey(raw.id.fromMe, raw.id.remote),
      latestEditSenderTimestampMs: Date.now(),
    });
  }

  /** The other phone reacts: WhatsApp Web writes its reaction table, whose bulkUpsert the library hooks. */
  reactFromPhone(from: string, messageId: string, emoji: string): void {
    const chat = this.world.chatIdFor(jid(from));
    const parent = this.world.messages.get(messageId)!;
    for (const doc of this.liveDocs()) {
      doc.reactionTable().bulkUpsert([
        {
          id: msgKey(false, chat),
          reactionParentKey: parent.id,
          from: { _serialized: chat },
          reactionText: emoji,
          reactionTimestamp: Date.now(),
          orphan: 0,
          read: false,
        },
      ]);
    }
  }

  /** `from` calls: WhatsApp Web puts the call in its call collection, whose Map.set the library hooks. */
  ring(from: string, options: { isVideo?: boolean; id?: string } = {}): string {
    const id = options.id ?? `CALL${stanzaId()}`;
    for (const doc of this.liveDocs())
      doc.ring({ id, peerJid: this.world.chatIdFor(jid(from)), isVideo: Boolean(options.isVideo), isGroup: false });
    return id;
  }

  /** Is the call still ringing on the page (not ended by a rejection)? */
  ringing(callId: string): boolean {
    return this.liveDocs().some((d) => d.calls.has(callId));
  }

  /** From now on WhatsApp Web knows `from` by a linked id; returns it. */
  knowByLid(from: string): string {
    const pn = jid(from);
    const lid = `${(BigInt(pn.split('@')[0]) * 7n + 3n).toString().slice(0, 15)}@lid`;
    this.world.learnLid(pn, lid);
    return lid;
  }

  /** Several photos sent at once: an `album` parent without media, then one image message per picture. */
  injectAlbum(
    from: string,
    pictures: Array<{ data: Buffer; mimetype: string; caption?: string }>,
  ): { albumId: string; pictureIds: string[] } {
    const album = rawMessage({
      chat: this.world.chatIdFor(jid(from)),
      me: this.me,
      type: 'album',
      body: '',
      extra: { albumMediaCount: pictures.length },
    });
    this.publish(album);
    return { albumId: album.id._serialized, pictureIds: pictures.map((p) => this.injectMedia(from, p)) };
  }

  /** A round video note: type `ptv`, a video with media of its own. */
  injectRoundVideo(from: string, media: { data: Buffer; mimetype: string }): string {
    return this.injectMedia(from, media, false, 'ptv');
  }

  /** Media the phone must re-upload before anyone can download it (mediaStage REUPLOADING) until `finish()`. */
  injectReuploadingMedia(
    from: string,
    media: { data: Buffer; mimetype: string; filename?: string; caption?: string },
  ): { id: string; finish(): void } {
    const id = this.injectMedia(from, media);
    this.update(id, { mediaData: { mediaStage: 'REUPLOADING' } });
    return { id, finish: () => this.update(id, { mediaData: { mediaStage: 'RESOLVED' } }) };
  }

  /** WhatsApp's time limit for deleting for everyone has passed for everything sent so far. */
  expireRevokeWindow(): void {
    for (const raw of this.world.messages.values()) if (raw.id.fromMe) this.world.revokeExpired.add(raw.id._serialized);
  }

  /** Old history in storage (not in any page's memory until loaded): `count` messages in `chatId` before `beforeTs`. */
  seedHistory(chatId: string, count: number, beforeTs: number): void {
    for (let i = count; i > 0; i--) {
      const raw = rawMessage({
        chat: chatId,
        me: this.me,
        body: `old ${i}`,
        t: beforeTs - i * 60,
        author: chatId.endsWith('@g.us') ? '351912000999@c.us' : undefined,
        extra: { isNewMsg: false },
      });
      this.world.messages.set(raw.id._serialized, raw);
    }
    for (const b of this.browsers) b.page.document?.collections.addHidden(chatId, count);
  }

  private scheduleAcks(raw: Raw): void {
    const step = this.opts.ackIntervalMs ?? 10;
    const failure = this.world.nextSendAck;
    this.world.nextSendAck = undefined;
    if (failure !== undefined) return this.later(step, () => this.update(raw.id._serialized, { ack: failure }));
    if (this.world.acksWithheld) return;
    [1, 2, 3].forEach((ack, i) => this.later(step * (i + 1), () => this.update(raw.id._serialized, { ack })));
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
    for (const b of this.browsers) if (b.connected) void Promise.resolve(b.close()).catch(() => undefined);
    this.unregister();
  }
}

export { message, msgKey, stanzaId };
