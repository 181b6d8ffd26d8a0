import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeLauncher, type EvalHandler, type FakePage } from './fake-page';

/**
 * WhatsApp Web as wppconnect sees it through the page, for tests without a browser or a phone: an
 * account that can be paired, chats with messages, acks and own-message echoes for sends, and media
 * encrypted the way WhatsApp encrypts it, served from a loopback HTTP server (the CDN). Ids of acks
 * are MsgKey objects, as the real page hands them over.
 */
export type Raw = Record<string, any>;

const MEDIA_INFO: Record<string, string> = { image: 'Image', video: 'Video', audio: 'Audio', ptt: 'Audio', document: 'Document', sticker: 'Image' };

/** WhatsApp media encryption: HKDF-SHA256 expands the media key; AES-256-CBC; a 10-byte HMAC tail. */
export function encryptMedia(plain: Buffer, mediaKey: Buffer, type: string): Buffer {
  const expanded = Buffer.from(crypto.hkdfSync('sha256', mediaKey, Buffer.alloc(32), `WhatsApp ${MEDIA_INFO[type]} Keys`, 112));
  const iv = expanded.subarray(0, 16);
  const cipher = crypto.createCipheriv('aes-256-cbc', expanded.subarray(16, 48), iv);
  const enc = Buffer.concat([cipher.update(plain), cipher.final()]);
  const mac = crypto.createHmac('sha256', expanded.subarray(48, 80)).update(Buffer.concat([iv, enc])).digest().subarray(0, 10);
  return Buffer.concat([enc, mac]);
}

const wid = (id: string) => ({ server: id.split('@')[1], user: id.split('@')[0], _serialized: id });

export class FakeWhatsAppWeb {
  readonly me: string;
  registered: boolean;
  mainReady: boolean;
  qrSeq = 1;
  /** Gap between the acks of a send; 0 disables acks. */
  ackIntervalMs = 5;
  readonly launcher: FakeLauncher;
  /** Calls that change WhatsApp (sends, reads, typing, deletes, call rejections), in order. */
  readonly actions: Array<{ what: string; arg: any }> = [];
  readonly lidOf = new Map<string, string>();
  /** Requests the loopback CDN answered, by status. */
  readonly cdnHits: number[] = [];
  private readonly chats = new Map<string, Raw[]>();
  private readonly goneMedia = new Set<string>();
  private readonly cdn = new Map<string, Buffer>();
  private server?: http.Server;
  private seq = 0;
  private readonly timers = new Set<NodeJS.Timeout>();
  private handlers: Array<[string, EvalHandler]> = [];

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

  get page(): FakePage {
    return this.launcher.page;
  }

  /** Adds or overrides the answer to evaluates whose source contains `needle` (tried first). */
  on(needle: string, handler: EvalHandler): void {
    this.handlers.unshift([needle, handler]);
  }

  /** The phone scans the QR code (or enters the code). */
  pair(): void {
    this.registered = true;
    this.mainReady = true;
  }

  /** WhatsApp Web shows the next QR code. */
  rotateQr(): void {
    this.qrSeq += 1;
    this.page.fire('checkQrCode');
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
    const sender = from.includes('@') ? from : `${from}@c.us`;
    const chat = options.chat ?? sender;
    const stanza = `3EB0${(++this.seq).toString(16).toUpperCase().padStart(16, '0')}`;
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
  async incomingMedia(from: string, media: { data: Buffer; mimetype: string; filename?: string; caption?: string; type: string }, gone = false): Promise<Raw> {
    const url = await this.cdnUrl();
    const mediaKey = crypto.randomBytes(32);
    const token = crypto.randomBytes(8).toString('hex');
    if (!gone) this.cdn.set(token, encryptMedia(media.data, mediaKey, media.type));
    const raw = this.incoming(from, {
      type: media.type,
      // For media WhatsApp Web puts a base64 thumbnail into `body`.
      body: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD',
      caption: media.caption,
      mimetype: media.mimetype,
      filename: media.filename,
      size: media.data.length,
      mediaKey: mediaKey.toString('base64'),
      clientUrl: `${url}/m/${token}.enc`,
      deprecatedMms3Url: `${url}/m/${token}.enc`,
      directPath: `/m/${token}.enc`,
      isMedia: true,
    });
    if (gone) this.goneMedia.add(raw.id);
    return raw;
  }

  messages(chatId: string): Raw[] {
    return [...(this.chats.get(chatId) ?? [])];
  }

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
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
    this.server = undefined;
  }

  private async cdnUrl(): Promise<string> {
    if (!this.server) {
      this.server = http.createServer((req, res) => {
        const token = /^\/m\/([0-9a-f]+)\.enc$/.exec(req.url ?? '')?.[1];
        const body = token ? this.cdn.get(token) : undefined;
        this.cdnHits.push(body ? 200 : 404);
        if (!body) return res.writeHead(404).end();
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
      });
      await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    }
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Our own message as WhatsApp Web stores it after a send; echoed, then acked SENT, DELIVERED, READ. */
  private sent(chatId: string, fields: Raw, what: string, arg: unknown): Raw {
    this.actions.push({ what, arg });
    const stanza = `3EB0${(++this.seq).toString(16).toUpperCase().padStart(16, '0')}`;
    const key = { fromMe: true, remote: wid(chatId), id: stanza };
    const raw = this.deliver({ id: `true_${chatId}_${stanza}`, from: this.meId, to: chatId, chatId: wid(chatId), fromMe: true, t: Math.floor(Date.now() / 1000), ack: 0, ...fields });
    if (this.ackIntervalMs > 0) {
      [1, 2, 3].forEach((ack, i) => this.later(this.ackIntervalMs * (i + 1), () => this.page.fire('onAck', { id: key, ack, from: this.meId, to: chatId })));
    }
    return raw;
  }

  private find(id: string): Raw | undefined {
    for (const list of this.chats.values()) {
      const hit = list.find((m) => m.id === id);
      if (hit) return hit;
    }
    return undefined;
  }

  private install(): void {
    const h = (needle: string, fn: EvalHandler) => this.handlers.push([needle, fn]);
    h('WPP.conn.isRegistered', () => this.registered);
    h('WPP.conn.isMainReady', () => this.mainReady);
    h('window.WAPI', () => true); // injectApi: "already injected"
    h('typeof window[func]', () => false);
    h('toDataURL', () => (this.registered ? undefined : { base64Image: 'data:image/png;base64,iVBORw0KGgo=', urlCode: `2@fake-qr-${this.qrSeq},key,${this.me}` }));
    h('WAPI.getWAVersion', () => '2.3000.0');
    h('WPP.version', () => '3.0.0');
    h('startLinkDeviceCodeForPhoneNumber', ({ phone }) => {
      this.actions.push({ what: 'linkByCode', arg: phone });
      this.later(1, () => this.page.fire('onLinkCode', 'K7QJ-R2XM'.replace('-', '')));
    });
    h('WAPI.getWid', () => this.meId);
    h('WAPI.getHost', () => ({ id: wid(this.meId) }));
    h('WPP.contact.getPnLidEntry', (id: string) => {
      const lid = id.endsWith('@lid') ? id : this.lidOf.get(id);
      const pn = id.endsWith('@c.us') ? id : [...this.lidOf.entries()].find(([, l]) => l === id)?.[0];
      return { ...(lid ? { lid: { id: lid.split('@')[0], server: 'lid', _serialized: lid } } : {}), ...(pn ? { phoneNumber: { id: pn.split('@')[0], server: 'c.us', _serialized: pn } } : {}) };
    });
    h('WPP.chat.sendTextMessage', ({ to, content, options }) => ({ id: this.sent(to, { type: 'chat', body: content, quotedMsgId: options?.quotedMsg }, 'sendText', { to, content, options }).id, ack: 1 }));
    h('WAPI.getMessageById', (arg: any) => {
      const id = typeof arg === 'string' ? arg : arg.messageId;
      const hit = this.find(id);
      if (!hit) throw new Error(`Message ${id} not found`);
      return hit;
    });
    h('WPP.chat.sendFileMessage', ({ to, base64, webpBase64, filename, caption, quotedMessageId, options, isPtt }) => {
      const type = options?.type ?? (isPtt ? 'ptt' : webpBase64 ? 'sticker' : 'image');
      const data = String(base64 ?? webpBase64);
      const mimetype = /^data:([^;]+);/.exec(data)?.[1];
      const raw = this.sent(to, { type: type === 'audio' && (isPtt || options?.isPtt) ? 'ptt' : type, caption: caption ?? options?.caption, filename: filename ?? options?.filename, mimetype, quotedMsgId: quotedMessageId ?? options?.quotedMsg }, 'sendFile', { to, filename: filename ?? options?.filename, caption: caption ?? options?.caption, options, isPtt, size: data.length });
      return { ack: 1, id: raw.id };
    });
    h('WPP.chat.sendLocationMessage', ({ to, options }) => ({ ack: 1, id: this.sent(to, { type: 'location', lat: options.lat, lng: options.lng, loc: options.name }, 'sendLocation', { to, options }).id }));
    h('WPP.chat.sendVCardContactMessage', ({ to, contactsId, name, contacts }) => {
      this.sent(to, { type: contacts ? 'multi_vcard' : 'vcard' }, 'sendContact', { to, contactsId, name, contacts });
      // The real answer carries a non-serialisable result and reaches Node as undefined.
      return undefined;
    });
    h('WPP.chat.sendReactionToMessage', ({ msgId, reaction }) => {
      this.actions.push({ what: 'react', arg: { msgId, reaction } });
      return { sendMsgResult: 'OK' };
    });
    h('WPP.chat.deleteMessage', (arg) => void this.actions.push({ what: 'delete', arg }));
    h('WPP.chat.markIsComposing', (arg) => void this.actions.push({ what: 'typing', arg }));
    h('WPP.chat.markIsPaused', (arg) => void this.actions.push({ what: 'paused', arg }));
    h('WPP.chat.markIsRead', (arg) => {
      this.actions.push({ what: 'read', arg });
      return { wid: arg, unreadCount: 0 };
    });
    h('WPP.call.rejectCall', (arg) => {
      this.actions.push({ what: 'rejectCall', arg });
      return 1;
    });
    h('WAPI.getMessages', ({ chatId, params }) => {
      const list = this.messages(chatId);
      return params?.count > 0 ? list.slice(-params.count) : list;
    });
    h('WPP.chat.list', () => [...this.chats.entries()].map(([id, list]) => ({ id: wid(id), t: Math.max(...list.map((m) => m.t)) })));
    h('WPP.chat.downloadMedia', (id: string) => {
      if (this.goneMedia.has(id)) throw new Error('Media not found (404)');
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
