import { FakeMediaCdn } from './fake-media-cdn';
import { FakeLauncher, type EvalHandler, type FakePage } from './fake-page';
import { pageAnswers } from './fake-page-answers';
import { FakeWaJs } from './fake-wa-js';

/**
 * WhatsApp Web as wppconnect sees it through the page, for tests without a browser or a phone: an
 * account that can be paired (and then syncs for a while), chats with messages, acks and own-message
 * echoes for sends, contacts known by linked id, and media encrypted the way WhatsApp encrypts it,
 * served from a loopback HTTP server (the CDN). Ids of acks are MsgKey objects, as the real page hands
 * them over. What the page's wa-js does is in fake-wa-js.ts; what each library function run in the
 * page asks of it, in fake-page-answers.ts.
 */
export type Raw = Record<string, any>;

export const wid = (id: string) => ({ server: id.split('@')[1], user: id.split('@')[0], _serialized: id });

/** For media WhatsApp Web puts a base64 thumbnail into `body`, in edits too. */
export const THUMBNAIL =
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD';

export interface MediaInput {
  data: Buffer;
  mimetype: string;
  filename?: string;
  caption?: string;
  type: string;
}

export class FakeWhatsAppWeb {
  readonly me: string;
  registered: boolean;
  mainReady: boolean;
  qrSeq = 1;
  /** Gap between the acks of a send. */
  ackIntervalMs = 5;
  readonly launcher: FakeLauncher;
  /** Calls that change WhatsApp (sends, reads, typing, deletes, call rejections), in order. */
  readonly actions: Array<{ what: string; arg: any }> = [];
  /** WhatsApp Web's phone -> linked id cache (what getPnLidEntry knows). */
  readonly lidOf = new Map<string, string>();
  /** Chats marked read: by a call, or by a send's `markIsRead`. */
  readonly readMarks: string[] = [];
  /** Chats typing was shown in, as addressed. */
  readonly typingTargets: string[] = [];
  /** Chats of revokes (delete for everyone), as addressed. */
  readonly revokeTargets: string[] = [];
  /** Calls ringing now (rejectable). */
  readonly ringing = new Set<string>();
  callRejectionBroken = false;
  /** WhatsApp's media CDN, on loopback. */
  readonly cdn = new FakeMediaCdn();
  private readonly chats = new Map<string, Raw[]>();
  /** Phones whose chat WhatsApp Web keeps under their linked id. */
  private readonly byLid = new Set<string>();
  private readonly goneMedia = new Set<string>();
  /** Messages whose media the phone is uploading again (WhatsApp Web media stage REUPLOADING). */
  private readonly reuploading = new Set<string>();
  private readonly revokeWindowOver = new Set<string>();
  private acksWithheld = false;
  private nextFailure?: number;
  private seq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly handlers: Array<[string, EvalHandler]> = [];
  readonly wa = new FakeWaJs(this);

  constructor(options: { paired?: boolean; me?: string } = {}) {
    this.me = options.me ?? '351910000000';
    this.registered = options.paired ?? true;
    this.mainReady = this.registered;
    this.launcher = new FakeLauncher((src) => this.handlers.find(([needle]) => src.includes(needle))?.[1]);
    this.install();
  }

  get meId(): string {
    return `${this.me}@c.us`;
  }

  /** Our own linked id: the sender of what we send into `@lid` chats (wa-js `prepareRawMessage`). */
  get meLid(): string {
    return `${this.me.slice(-9)}00001@lid`;
  }

  get page(): FakePage {
    return this.launcher.page;
  }

  /** Adds or overrides the answer to evaluates whose source contains `needle` (tried first). */
  on(needle: string, handler: EvalHandler): void {
    this.handlers.unshift([needle, handler]);
  }

  /**
   * The phone scans the QR code (or enters the code). WhatsApp Web is then registered at once but
   * shows the chats (`isMainReady`, which wppconnect's `waitForInChat` polls against its
   * `deviceSyncTimeout`) only once the phone has synced them, `syncMs` later.
   */
  pair(options: { syncMs?: number } = {}): void {
    this.registered = true;
    if (!options.syncMs) {
      this.mainReady = true;
      return;
    }
    this.later(options.syncMs, () => {
      this.mainReady = true;
    });
  }

  /** WhatsApp Web shows the next QR code. */
  rotateQr(): void {
    this.qrSeq += 1;
    this.page.fire('checkQrCode');
  }

  // ----- chats -----

  hasChat(id: string): boolean {
    return this.chats.has(id);
  }

  /**
   * The chat a send to `to` lands in (wa-js `assertFindChat`, which creates it): for a contact WhatsApp
   * Web knows by linked id that is `<lid>@lid`, and the new message is keyed under it (wa-js
   * `prepareRawMessage` takes `to` and the key's remote from the chat found).
   */
  findOrCreateChat(to: string): string {
    const chat = this.byLid.has(to) ? this.lidOf.get(to)! : to;
    if (!this.chats.has(chat)) this.chats.set(chat, []);
    return chat;
  }

  /**
   * From now on WhatsApp Web knows `phone` (digits) by a linked id: its chat, old messages included,
   * lives under `<lid>@lid`, and what the contact sends comes from the LID.
   */
  knowByLid(phone: string): string {
    const pn = `${phone}@c.us`;
    const lid = this.lidOf.get(pn) ?? `${(BigInt(phone) * 7n + 12345n).toString().slice(-14)}@lid`;
    this.lidOf.set(pn, lid);
    this.byLid.add(pn);
    const old = this.chats.get(pn);
    this.chats.delete(pn);
    this.chats.set(lid, [...(this.chats.get(lid) ?? []), ...(old ?? [])]);
    return lid;
  }

  /** A message arrives, as WhatsApp Web reports it: onMessage and onAnyMessage for incoming ones. */
  deliver(raw: Raw, options: { silent?: boolean } = {}): Raw {
    const chatId = raw.chatId._serialized ?? raw.chatId;
    const list = this.chats.get(chatId) ?? [];
    list.push(raw);
    this.chats.set(chatId, list);
    if (!options.silent) {
      if (!raw.fromMe) this.page.fire('onMessage', raw);
      this.page.fire('onAnyMessage', raw);
    }
    return raw;
  }

  incoming(from: string, fields: Raw, options: { silent?: boolean; chat?: string; t?: number } = {}): Raw {
    const phoneForm = from.includes('@') ? from : `${from}@c.us`;
    const sender = this.byLid.has(phoneForm) ? this.lidOf.get(phoneForm)! : phoneForm;
    const chat = options.chat ?? sender;
    const stanza = this.stanza();
    const isGroup = chat.endsWith('@g.us');
    const id = `false_${chat}_${stanza}${isGroup ? `_${sender}` : ''}`;
    return this.deliver(
      {
        id,
        from: isGroup ? chat : sender,
        to: this.meId,
        author: isGroup ? sender : undefined,
        chatId: wid(chat),
        fromMe: false,
        t: options.t ?? Math.floor(Date.now() / 1000),
        timestamp: options.t ?? Math.floor(Date.now() / 1000),
        notifyName: 'Peer Push',
        sender: { id: sender, pushname: 'Peer Push', isMe: false },
        isGroupMsg: isGroup,
        isNotification: false,
        ...fields,
      },
      options,
    );
  }

  /** A media message: encrypted bytes on the loopback CDN, or a 404 there and no copy on the phone when gone. */
  async incomingMedia(from: string, media: MediaInput, gone = false, extra: Raw = {}): Promise<Raw> {
    const fields = await this.mediaFields(media, gone);
    const raw = this.incoming(from, { ...fields, ...extra });
    if (gone) this.goneMedia.add(raw.id);
    return raw;
  }

  /**
   * Media whose CDN copy has expired and that the phone uploads again once asked (WhatsApp Web's own
   * download, wa-js `downloadMedia` with `rmrReason`): until `finish()` the message's media stage is
   * REUPLOADING and nothing is downloadable; then it has a fresh CDN address.
   */
  async incomingReuploadingMedia(from: string, media: MediaInput): Promise<{ raw: Raw; finish(): void }> {
    const raw = await this.incomingMedia(from, media, true);
    this.goneMedia.delete(raw.id);
    this.reuploading.add(raw.id);
    const fresh = await this.mediaFields(media, false);
    return {
      raw,
      finish: () => {
        this.reuploading.delete(raw.id);
        const { mediaKey, clientUrl, deprecatedMms3Url, directPath } = fresh;
        Object.assign(raw, { mediaKey, clientUrl, deprecatedMms3Url, directPath });
      },
    };
  }

  /** WhatsApp Web's `mediaData.mediaStage` of a message with media, as far as the fake knows it. */
  mediaStage(id: string): string | null {
    const msg = this.find(id);
    if (!msg?.isMedia) return null;
    if (this.reuploading.has(id)) return 'REUPLOADING';
    return this.goneMedia.has(id) ? 'ERROR_MISSING' : 'RESOLVED';
  }

  /**
   * Several photos sent at once: one `album` message with no media of its own, then one image message
   * per picture (ENGINES.md "Second look").
   */
  async incomingAlbum(from: string, pictures: MediaInput[]): Promise<{ album: Raw; pictures: Raw[] }> {
    const album = this.incoming(from, { type: 'album', body: '', isMedia: false });
    const out: Raw[] = [];
    for (const p of pictures) out.push(await this.incomingMedia(from, { ...p, type: 'image' }));
    return { album, pictures: out };
  }

  /**
   * The sender edits the caption of media message `messageId` (it may have had none): WhatsApp Web
   * reports the message as it now is, `body` still the thumbnail and the caption in `caption`
   * (wppconnect's onMessageEdit: `{chat, id, msg}` from wa-js `chat.msg_edited`).
   */
  editCaption(messageId: string, caption: string): void {
    const msg = this.find(messageId);
    if (!msg) throw new Error(`no message ${messageId}`);
    msg.caption = caption;
    msg.body = THUMBNAIL;
    const chat = msg.chatId._serialized ?? msg.chatId;
    const stamp = Date.now();
    msg.latestEditMsgKey = { fromMe: msg.fromMe, remote: wid(chat), id: this.stanza() };
    msg.latestEditSenderTimestampMs = stamp;
    this.page.fire('onMessageEdit', { chat: wid(chat), id: messageId, msg });
  }

  messages(chatId: string): Raw[] {
    return [...(this.chats.get(chatId) ?? [])];
  }

  find(id: string): Raw | undefined {
    for (const list of this.chats.values()) {
      const hit = list.find((m) => m.id === id);
      if (hit) return hit;
    }
    return undefined;
  }

  remove(id: string): void {
    for (const list of this.chats.values()) {
      const i = list.findIndex((m) => m.id === id);
      if (i >= 0) list.splice(i, 1);
    }
  }

  // ----- our own sends -----

  /** WhatsApp's server never acks the sends made from now on (wa-js issue 1187). */
  withholdAcks(): void {
    this.acksWithheld = true;
  }

  /** The next send is acked with this failure code (-1 … -7) and nothing else. */
  failNextSend(code: number): void {
    this.nextFailure = code;
  }

  /** WhatsApp's time limit for deleting for everyone has passed for every message sent so far. */
  expireRevokeWindow(): void {
    for (const list of this.chats.values()) for (const m of list) if (m.fromMe) this.revokeWindowOver.add(m.id);
  }

  pastRevokeWindow(id: string): boolean {
    return this.revokeWindowOver.has(id);
  }

  /**
   * Our own message as WhatsApp Web stores it once a send queued it, echoed as a new message; then
   * the server acks it (SENT, DELIVERED, READ), or fails it, or never answers. `serverAck` settles with
   * the server's first answer, as a wa-js send waiting for its ack does.
   */
  queueOwn(chat: string, fields: Raw): { raw: Raw; serverAck: Promise<void> } {
    const stanza = this.stanza();
    const key = { fromMe: true, remote: wid(chat), id: stanza };
    const from = chat.endsWith('@lid') ? this.meLid : this.meId;
    const raw = this.deliver({
      id: `true_${chat}_${stanza}`,
      from,
      to: chat,
      chatId: wid(chat),
      fromMe: true,
      t: Math.floor(Date.now() / 1000),
      ack: 0,
      ...fields,
    });
    if (this.acksWithheld) return { raw, serverAck: new Promise<void>(() => undefined) };
    const failure = this.nextFailure;
    this.nextFailure = undefined;
    const codes = failure !== undefined ? [failure] : [1, 2, 3];
    const serverAck = new Promise<void>((resolve) => {
      codes.forEach((ack, i) =>
        this.later(this.ackIntervalMs * (i + 1), () => {
          raw.ack = ack;
          this.page.fire('onAck', { id: key, ack, from: this.meId, to: chat });
          if (i === 0) resolve();
        }),
      );
    });
    return { raw, serverAck };
  }

  // ----- calls -----

  /** Someone calls: WhatsApp Web's CallStore gets the call, wppconnect reports it. */
  incomingCall(from: string, id = `CALL-${++this.seq}`): string {
    this.ringing.add(id);
    this.page.fire('onIncomingCall', {
      id,
      peerJid: wid(from.includes('@') ? from : `${from}@c.us`),
      offerTime: Math.floor(Date.now() / 1000),
      isVideo: false,
      isGroup: false,
      outgoing: false,
    });
    return id;
  }

  /** Rejecting calls fails on the page from now on (the call is gone by the time the reject runs). */
  breakCallRejection(): void {
    this.callRejectionBroken = true;
  }

  // ----- plumbing -----

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const b of this.launcher.open()) await b.close();
    await this.cdn.close();
  }

  private stanza(): string {
    return `3EB0${(++this.seq).toString(16).toUpperCase().padStart(16, '0')}`;
  }

  private async mediaFields(media: MediaInput, gone: boolean): Promise<Raw> {
    const location = await this.cdn.store(media.data, media.type, gone);
    return {
      type: media.type,
      body: THUMBNAIL,
      caption: media.caption,
      mimetype: media.mimetype,
      filename: media.filename,
      size: media.data.length,
      ...location,
      isMedia: true,
    };
  }

  private install(): void {
    const h = (needle: string, fn: EvalHandler) => this.handlers.push([needle, fn]);
    h('WPP.conn.isRegistered', () => this.registered);
    h('WPP.conn.isMainReady', () => this.mainReady);
    h('window.WAPI', () => true); // injectApi: "already injected"
    h('typeof window[func]', () => false);
    h('toDataURL', () =>
      this.registered
        ? undefined
        : { base64Image: 'data:image/png;base64,iVBORw0KGgo=', urlCode: `2@fake-qr-${this.qrSeq},key,${this.me}` },
    );
    h('WAPI.getWAVersion', () => '2.3000.0');
    h('WPP.version', () => '3.0.0');
    h('startLinkDeviceCodeForPhoneNumber', ({ phone }) => {
      this.actions.push({ what: 'linkByCode', arg: phone });
      this.later(1, () => this.page.fire('onLinkCode', 'K7QJ-R2XM'.replace('-', '')));
    });
    h('WAPI.getWid', () => this.meId);
    h('WAPI.getHost', () => ({ id: wid(this.meId) }));
    for (const [needle, fn] of pageAnswers(this, this.wa)) h(needle, fn);
    // WAPI.getMessages -> wa-js `getMessages`, which finds the chat with `assertGetChat`.
    h('WAPI.getMessages', ({ chatId, params }) => {
      const list = this.messages(this.wa.assertGetChat(chatId));
      return params?.count > 0 ? list.slice(-params.count) : list;
    });
    h('WPP.chat.list', () =>
      [...this.chats.entries()]
        .filter(([, list]) => list.length)
        .map(([id, list]) => ({ id: wid(id), t: Math.max(...list.map((m) => m.t)) })),
    );
    // wppconnect downloadMedia -> wa-js `downloadMedia`: when WhatsApp Web ends up without the bytes it
    // throws a plain object (which puppeteer turns into an Error "Object", see fake-page.ts).
    h('WPP.chat.downloadMedia', (id: string) => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- wa-js throws this plain object, see above
      if (this.goneMedia.has(id) || this.reuploading.has(id)) throw { error: true, code: 'media_not_found', message: 'Media not found' };
      throw new Error('fake: the in-page download is not expected while the CDN has the file');
    });
    h('WPP.conn.logout', () => {
      this.actions.push({ what: 'logout', arg: null });
      this.registered = false;
      this.mainReady = false;
      return true;
    });
    h('WAPI.getContact', (id: string) => ({ id, name: undefined, pushname: 'Peer Push' }));
    h('WAPI.takeOver', () => void this.actions.push({ what: 'useHere', arg: null }));
  }
}
