import { randomBytes } from 'node:crypto';
import type { ChatId, ContactInfo, MediaRef, OutboundMessage, RemoteMessage, SendResult } from '../../core/messages';
import type { SimulatorConfig } from '../../config/schema';
import { settled } from '../../core/settled';
import { waWebAck } from '../wa-web-kinds';
import { isGroupId, isLidId, isPhoneId, phoneId, phoneOfId, userOf } from '../../core/whatsapp-ids';
import {
  EngineNotReadyError,
  MediaNotReadyError,
  type ConnectOptions,
  type EngineCapabilities,
  type EngineEvent,
  type EngineEventSink,
  type EngineHealth,
  type EngineSession,
  type PairingInfo,
  type RevokeOutcome,
  type SessionState,
} from '../types';
import type { SimulatorControl } from './simulator-control';
import { SimulatorLinkedIds } from './simulator-linked-ids';
import { SimulatorPairingFile } from './simulator-pairing-file';
import { SimulatorStore } from './simulator-store';
import { messageKindOf, toJid, type InboundInjection } from './simulator-customer';

/** What Ponte asked WhatsApp to send, flattened for inspection (media as base64). */
export interface SentRecord {
  id: string;
  at: number;
  message: {
    kind: OutboundMessage['kind'];
    chatId: string;
    text?: string;
    caption?: string;
    quotedId?: string;
    location?: { lat: number; lng: number; name?: string };
    vcard?: string;
    messageId?: string;
    emoji?: string;
    media?: { mimetype: string; filename?: string; size: number; base64: string };
  };
  revoked?: boolean;
  /** Deleted past the time limit: gone from this device only, the customer still has it. */
  deletedForMe?: boolean;
  /** WhatsApp did not have the quoted message: sent without the quote (`message.quotedId` is absent). */
  quoteDropped?: boolean;
}

const QR_TTL_MS = 60_000;
/** How long WhatsApp lets a sender delete a message for everyone (about two and a half days). */
const REVOKE_WINDOW_MS = 60 * 3600_000;

/**
 * A paired WhatsApp account in memory, driven over HTTP in tests and the demo. It behaves like the real
 * engines where Ponte can tell: login with rotating QR codes or a pairing code, acks on a timer, an
 * own-message echo for every send, a per-chat history for catch-up, media that can be gone.
 */
export class SimulatorEngine implements EngineSession {
  readonly engine = 'simulator';
  private current: SessionState = 'CONNECTING';
  private paired: boolean;
  private login?: PairingInfo;
  private sinks: EngineEventSink[] = [];
  /** While deliver() injects: the sinks' promises of the events being safe, collected for it to await. */
  private taking?: Array<Promise<boolean>>;
  private timers = new Set<NodeJS.Timeout>();
  private readonly store = new SimulatorStore();
  private readonly sentLog: SentRecord[] = [];
  private readonly typingLog: Array<{ chatId: string; on: boolean; at: number }> = [];
  private readonly readLog: Array<{ chatId: string; at: number }> = [];
  private seq = 0;
  private readonly rejectedLog: Array<{ callId: string; from: string; at: number }> = [];
  private readonly revokeLog: string[] = [];
  private readonly pairingFile?: SimulatorPairingFile;
  private readonly lids = new SimulatorLinkedIds();
  private readonly reuploading = new Set<string>();
  private failNext?: number;
  private revokeExpiredUpTo = 0;
  /** Sends fail with this error while set (tests of retries and failed statuses). */
  failSends?: string;
  /**
   * Sends return only once WhatsApp's server acked them: wa-js `defaultSendMessageOptions.waitForAck`
   * is true, so wppconnect's send waits for the ack with no time limit; with acks withheld it never
   * returns (wa-js issue 1187). whatsapp-web.js returns at once (false, the default here).
   */
  waitForAck = false;
  /** WhatsApp's server never acks the sends made while set (wa-js issue 1187). */
  acksWithheld = false;
  /** Rejecting calls fails on the page: whatsapp-web.js 1.34.7 `rejectCall` (upstream 201746). */
  callRejectionBroken = false;
  /**
   * A pairing-code request is refused, and, as whatsapp-web.js `Client.js` (~217) calls
   * `requestPairingCode()` without await or catch, the refusal is an unhandled rejection.
   */
  refusePairingCodes = false;
  /** Media downloads asked for, by message id, in order (tests wait for a retry with it). */
  readonly downloadAttempts: string[] = [];
  /** The simulated browser's page stops answering health checks (a hang); a new connect() clears it. */
  hung = false;
  /** The simulated browser is gone (health says not alive); a new connect() clears it. */
  crashed = false;
  /**
   * How the simulated WhatsApp knows numbers (digits -> chat id, or null: no account). A number not listed
   * is an account under its own digits.
   */
  readonly numbers = new Map<string, string | null>();
  /** Numbers looked up, in order. */
  readonly lookups: string[] = [];
  /** Pids health() reports as the browser's (tests point it at real processes to measure them). */
  browserPids: number[] = [];

  /**
   * With `dataDir`, a pairing of a `requireQr` session is remembered in `<dataDir>/simulator.json` and
   * a later engine (a restarted daemon) starts paired; logout deletes the directory.
   */
  constructor(
    readonly id: string,
    private readonly config: SimulatorConfig,
    options: { dataDir?: string } = {},
  ) {
    if (options.dataDir) this.pairingFile = new SimulatorPairingFile(options.dataDir);
    this.paired = !config.requireQr || this.pairingFile?.paired() === true;
  }

  // Chat-addressed calls go to the chat WhatsApp Web knows (as the adapters must do), through the page's
  // exact-id lookup (`pageChat`), so a simulator that forgot the mapping would fail like wa-js does.
  readonly capabilities: EngineCapabilities = {
    revoke: (chatId, messageId) =>
      settled((): RevokeOutcome => {
        this.requireConnected();
        const chat = this.pageChat(chatId);
        const rec = this.sentLog.find((s) => s.id === messageId);
        if (!rec) throw new Error(`no sent message ${messageId} to revoke`);
        // whatsapp-web.js `Message.delete(true)` quietly deletes for this device only once the sender may
        // no longer revoke (the time limit): the customer keeps the message.
        if (rec.at <= this.revokeExpiredUpTo || Date.now() - rec.at > REVOKE_WINDOW_MS) {
          rec.deletedForMe = true;
          return 'me';
        }
        rec.revoked = true;
        this.store.markRevoked(messageId);
        this.revokeLog.push(chat);
        return 'everyone';
      }),
    typing: (chatId, on) =>
      settled(() => {
        this.typingLog.push({ chatId: this.pageChat(chatId), on, at: Date.now() });
      }),
    markRead: (chatId) =>
      settled(() => {
        this.readLog.push({ chatId: this.pageChat(chatId), at: Date.now() });
      }),
    rejectCall: (callId, from) =>
      settled(() => {
        this.requireConnected();
        if (this.callRejectionBroken) throw new Error('rejectCall failed: the call was not found on the page (whatsapp-web.js 1.34.7)');
        this.rejectedLog.push({ callId, from, at: Date.now() });
      }),
    lookupNumber: (digits) =>
      settled(() => {
        this.requireConnected();
        this.lookups.push(digits);
        return this.numbers.has(digits) ? this.numbers.get(digits)! : phoneId(digits);
      }),
  };

  /** Never throws; while `hung`, never settles (the watchdog's timeout decides). */
  health(): Promise<EngineHealth> {
    if (this.hung) return new Promise<EngineHealth>(() => undefined);
    return Promise.resolve({ alive: !this.crashed, pids: [...this.browserPids] });
  }

  onEvent(sink: EngineEventSink): void {
    this.sinks.push(sink);
  }

  state(): SessionState {
    return this.current;
  }

  pairing(): PairingInfo | undefined {
    return this.current === 'QR_REQUIRED' ? this.login : undefined;
  }

  me(): string | undefined {
    return this.current === 'CONNECTED' ? this.config.phone : undefined;
  }

  connect(options: ConnectOptions = {}): Promise<void> {
    return settled(() => {
      this.clearTimers();
      // A connect starts a fresh browser.
      this.hung = false;
      this.crashed = false;
      this.setState('CONNECTING');
      this.later(this.config.connectDelayMs, () => {
        if (this.paired) this.setState('CONNECTED');
        else this.startPairing(options.pairingPhone);
      });
    });
  }

  disconnect(): Promise<void> {
    return settled(() => {
      this.clearTimers();
      if (this.current !== 'LOGGED_OUT' && this.current !== 'BAD_CREDENTIALS')
        this.setState('TRANSIENT_DISCONNECT', 'disconnected by Ponte');
    });
  }

  logout(): Promise<void> {
    return settled(() => {
      this.clearTimers();
      this.paired = false;
      this.login = undefined;
      this.pairingFile?.forget();
      this.setState('LOGGED_OUT', 'logged out by an admin');
    });
  }

  /** Test/admin control: what the phone or the network does to the session. */
  force(state: SessionState, reason?: string): void {
    if (state === 'CONNECTED') {
      // Scanning the QR (or reconnecting): the account is paired from now on.
      this.clearTimers();
      if (!this.paired && this.config.requireQr) this.pairingFile?.rememberPaired();
      this.paired = true;
      this.login = undefined;
      this.setState('CONNECTED');
      return;
    }
    this.clearTimers();
    if (state === 'LOGGED_OUT' || state === 'BAD_CREDENTIALS') {
      // The phone unlinked the device or the number was banned: the stored login is worthless.
      this.paired = false;
      this.pairingFile?.forget();
    }
    this.setState(state, reason ?? `forced by the simulator control (${state})`);
  }

  private startPairing(requested?: string): void {
    let phone = requested;
    if (phone && this.refusePairingCodes) {
      // whatsapp-web.js calls requestPairingCode() without await or catch (Client.js ~217): the refusal
      // escapes as an unhandled rejection and the page stays on its QR code.
      void Promise.resolve().then(() => {
        throw new Error('pairing code request refused by WhatsApp');
      });
      phone = undefined;
    }
    let attempt = 0;
    const show = () => {
      attempt += 1;
      const expiresAt = Date.now() + (phone ? QR_TTL_MS * 3 : Math.max(this.config.qrRotateMs, 1000));
      this.login = phone
        ? { pairingCode: pairingCode(), attempt, expiresAt }
        : { qr: `2@${randomBytes(24).toString('base64')},${this.id},${attempt}`, attempt, expiresAt };
      this.setState('QR_REQUIRED', phone ? 'enter the pairing code on the phone' : 'scan the QR code with the phone');
      if (!phone && this.config.qrRotateMs > 0) this.later(this.config.qrRotateMs, show);
    };
    show();
    if (this.config.pairAfterMs > 0) this.later(this.config.pairAfterMs, () => this.force('CONNECTED'));
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    this.requireConnected();
    if (this.failSends) throw new Error(this.failSends);
    const id = `SIM${Date.now().toString(36).toUpperCase()}${(++this.seq).toString(36).toUpperCase()}${randomBytes(3).toString('hex').toUpperCase()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    // Keyed under the chat the number resolves to: a number known by linked id echoes and acks under it.
    const chatId = this.lids.chatOf(message.chatId);
    const { media, ...rest } = message as OutboundMessage & { media?: { data: Buffer; mimetype: string; filename?: string } };
    // The real engines hand the page a file as base64 text (a data URL): that copy exists while it is sent.
    const onThePage = media ? Buffer.byteLength(media.data.toString('base64'), 'base64') : 0;
    // A quote of a message WhatsApp does not have: whatsapp-web.js sends without it (`ignoreQuoteErrors`),
    // where wa-js throws `msg_not_found` / `invalid_quoted_msg`; an engine sends without it and says so.
    const asked = 'quotedId' in message ? message.quotedId : undefined;
    const quoteDropped = asked !== undefined && !this.store.quotable(asked);
    const quotedId = quoteDropped ? undefined : asked;
    const { quotedId: _asked, ...unquoted } = rest as typeof rest & { quotedId?: string };
    this.sentLog.push({
      id,
      at: Date.now(),
      message: {
        ...(unquoted as Omit<SentRecord['message'], 'media'>),
        ...(quotedId ? { quotedId } : {}),
        // Encoded when read: the phone keeps each file sent once (its bytes, below), not a base64 copy besides.
        ...(media
          ? {
              media: {
                mimetype: media.mimetype,
                filename: media.filename,
                size: onThePage,
                get base64() {
                  return media.data.toString('base64');
                },
              },
            }
          : {}),
      },
      ...(quoteDropped ? { quoteDropped } : {}),
    });
    const result: SendResult = { remoteId: id, timestamp, ...(quoteDropped ? { quoteDropped } : {}) };
    if (message.kind === 'reaction') return result;
    const echo: RemoteMessage = {
      id,
      chatId,
      from: toJid(this.config.phone),
      fromMe: true,
      timestamp,
      kind: message.kind,
      text: message.kind === 'text' ? message.text : 'caption' in message ? message.caption : undefined,
      media: media ? { mimetype: media.mimetype, filename: media.filename, size: media.data.length, handle: id } : undefined,
      quotedId,
      isGroup: isGroupId(chatId),
    };
    this.store.add(echo, media?.data);
    // Real engines report our own sends back as fromMe messages; Ponte must recognise its echo.
    this.later(0, () => this.emit({ type: 'message', message: echo }));
    const acked = this.scheduleAcks(id, chatId);
    if (this.waitForAck) await acked;
    return result;
  }

  /** Resolves when the server's first ack (SENT, or a failure) is out; never while acks are withheld. */
  private scheduleAcks(messageId: string, chatId: ChatId): Promise<void> {
    if (this.acksWithheld) return new Promise<void>(() => undefined);
    const step = this.config.ackIntervalMs;
    const failure = this.failNext;
    this.failNext = undefined;
    return new Promise<void>((firstAck) => {
      if (failure !== undefined) {
        // whatsapp-web.js reports -1 … -7, wppconnect folds them into FAILED: one table reads both.
        this.later(step, () => {
          this.emit({ type: 'ack', ack: { messageId, chatId, ack: waWebAck(failure)! } });
          firstAck();
        });
        return;
      }
      (['SENT', 'DELIVERED', 'READ'] as const).forEach((ack, i) => {
        this.later(step * (i + 1), () => {
          this.emit({ type: 'ack', ack: { messageId, chatId, ack } });
          if (i === 0) firstAck();
        });
      });
    });
  }

  downloadMedia(_chatId: ChatId, messageId: string, ref: MediaRef): Promise<Buffer | undefined> {
    return settled(() => {
      this.requireConnected();
      const id = ref.handle || messageId;
      this.downloadAttempts.push(id);
      // whatsapp-web.js `downloadMedia()` gives undefined while the phone re-uploads old media
      // (REUPLOADING): not gone, only not yet; engines say so with MediaNotReadyError.
      if (this.reuploading.has(id)) throw new MediaNotReadyError(messageId);
      // As the real engines hand it over (Ponte can tell by its memory): WhatsApp Web gives the library the
      // file as base64 text, decoded into a Buffer of the adapter's own, a new one per download.
      const stored = this.store.mediaOf(id);
      return stored && Buffer.from(stored.toString('base64'), 'base64');
    });
  }

  /** The chat's history, under the chat WhatsApp Web keeps it (a phone form known by lid reads the lid chat). */
  recentMessages(chatId: ChatId, sinceTs: number, limit = 100): Promise<RemoteMessage[]> {
    return settled(() => {
      this.requireConnected();
      return this.store.since(this.lids.chatOf(chatId), sinceTs, limit);
    });
  }

  activeChats(sinceTs: number): Promise<ChatId[]> {
    return settled(() => {
      this.requireConnected();
      return this.store.activeSince(sinceTs);
    });
  }

  resolveContact(id: string): Promise<ContactInfo> {
    return settled((): ContactInfo => {
      if (isLidId(id)) {
        const phone = this.store.phoneOfLid(id);
        return { id, lid: id, phone: phone ? `+${phone.replace(/\D/g, '')}` : undefined };
      }
      if (isPhoneId(id)) return { id, phone: phoneOfId(id) };
      return { id };
    });
  }

  /** Injects what WhatsApp would deliver; returns the event's id (an album's: its parent's). */
  inject(input: InboundInjection): string {
    if (input.type === 'album') return this.injectAlbum(input).albumId;
    const group = input.chatId !== undefined && isGroupId(input.chatId);
    // A number WhatsApp Web knows by linked id writes from its lid chat.
    const from = group ? toJid(input.from) : this.lids.chatOf(toJid(input.from));
    const chatId = input.chatId ? toJid(input.chatId) : input.fromMe ? this.lids.chatOf(toJid(input.from)) : from;
    const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
    const id = input.id ?? `IN${Date.now().toString(36).toUpperCase()}${(++this.seq).toString(36).toUpperCase()}`;
    if (input.phone && isLidId(from)) this.store.linkLid(from, input.phone);
    const author = input.author ? toJid(input.author) : undefined;
    const sender = isGroupId(chatId) ? (author ?? from) : from;
    const base = { chatId, from: sender, fromMe: input.fromMe, timestamp };
    const kind = messageKindOf(input.type);
    let event: EngineEvent;
    if (input.type === 'reaction') {
      event = {
        type: 'reaction',
        reaction: { ...base, id, messageId: input.targetId!, emoji: input.emoji ?? '', pushName: input.pushName },
      };
    } else if (input.type === 'edit') {
      // An edited media caption: WhatsApp Web puts the thumbnail in `body` and the caption in `caption`;
      // the engine's edit carries the caption as its text.
      event = { type: 'edit', edit: { ...base, id, messageId: input.targetId!, text: (input.text ?? input.caption)! } };
    } else if (input.type === 'revoke') {
      this.store.markRevoked(input.targetId!);
      event = { type: 'revoke', revoke: { chatId, messageId: input.targetId!, fromMe: input.fromMe, timestamp } };
    } else if (input.type === 'call_offer') {
      event = { type: 'call', call: { id, from, isVideo: input.isVideo === true, isGroup: isGroupId(chatId), timestamp } };
    } else if (kind) {
      const media = input.media
        ? {
            mimetype: input.media.mimetype,
            filename: input.media.filename,
            size: Buffer.byteLength(input.media.base64, 'base64'),
            handle: id,
          }
        : undefined;
      const message: RemoteMessage = {
        ...base,
        id,
        kind,
        text: input.type === 'text' ? input.text : (input.caption ?? input.text),
        media,
        quotedId: input.quotedId,
        location: input.location,
        vcards: input.vcard ? [input.vcard] : undefined,
        pushName: input.pushName,
        chatName: input.chatName,
        isGroup: isGroupId(chatId),
        // A round video note is WhatsApp Web's `ptv`: relayed as a video with its media.
        rawType: input.type === 'ptv' ? 'ptv' : input.rawType,
      };
      const bytes = input.media && !input.media.gone ? Buffer.from(input.media.base64, 'base64') : undefined;
      if (input.media?.reuploading) this.reuploading.add(id);
      this.store.add(message, bytes);
      event = { type: 'message', message };
    } else {
      throw new Error(`unsupported type ${String(input.type)}`);
    }
    if (!input.silent && this.current === 'CONNECTED') this.emit(event);
    return id;
  }

  /**
   * Injects like inject() and resolves once the sinks have the events it emitted durably (`persisted`
   * false: some were held in memory only). The HTTP route answers only then, so what it acknowledged
   * survives a kill -9 of the daemon. Nothing emitted (silent, not connected): resolves at once.
   */
  async deliver(input: InboundInjection): Promise<{ id: string; persisted: boolean }> {
    const taken: Array<Promise<boolean>> = [];
    this.taking = taken;
    let id: string;
    try {
      id = this.inject(input);
    } finally {
      this.taking = undefined;
    }
    const outcomes = await Promise.all(taken);
    return { id, persisted: outcomes.every((ok) => ok !== false) };
  }

  /**
   * Several photos sent at once: WhatsApp Web adds a message of type `album` without media, then one
   * image per picture. The parent is one of WhatsApp Web's system entries (wa-web-kinds), which engines
   * never report; the pictures arrive as images with ids `<album id>-1`, `-2`, ...
   */
  injectAlbum(input: InboundInjection): { albumId: string; pictureIds: string[] } {
    const albumId = input.id ?? `IN${Date.now().toString(36).toUpperCase()}${(++this.seq).toString(36).toUpperCase()}`;
    this.store.remember(albumId);
    const { pictures = [], ...rest } = input;
    const pictureIds = pictures.map(({ caption, ...media }, i) =>
      this.inject({ ...rest, type: 'image', id: `${albumId}-${i + 1}`, caption, text: undefined, media, pictures: undefined }),
    );
    return { albumId, pictureIds };
  }

  /** What a control request asks of the simulated WhatsApp (simulator-control.ts); tells the lid it made, if any. */
  control(c: SimulatorControl): { lid?: string } {
    if (c.waitForAck !== undefined) this.waitForAck = c.waitForAck;
    if (c.withholdAcks !== undefined) this.acksWithheld = c.withholdAcks;
    if (c.failNextSend !== undefined) this.failNextSend(c.failNextSend);
    if (c.expireRevokeWindow) this.expireRevokeWindow();
    if (c.breakCallRejection !== undefined) this.callRejectionBroken = c.breakCallRejection;
    if (c.refusePairingCodes !== undefined) this.refusePairingCodes = c.refusePairingCodes;
    if (c.finishReupload) this.finishReupload(c.finishReupload);
    return c.knowByLid ? { lid: this.knowByLid(c.knowByLid) } : {};
  }

  /** WhatsApp Web knows this number (E.164, digits or `@c.us`) by a linked id from now on; returns the lid chat. */
  knowByLid(phone: string, lid?: string): string {
    const phoneJid = toJid(phone);
    const known = this.lids.know(phoneJid, lid);
    this.store.linkLid(known, `+${userOf(phoneJid)}`);
    return known;
  }

  /** The next send is acked with this failure code (-1 … -7) instead of SENT. */
  failNextSend(code: number): void {
    this.failNext = code;
  }

  /** The time limit for deleting for everyone has passed for every message sent so far. */
  expireRevokeWindow(): void {
    this.revokeExpiredUpTo = Date.now();
  }

  /** The phone finished re-uploading the media of `messageId`: it downloads from now on. */
  finishReupload(messageId: string): void {
    this.reuploading.delete(messageId);
  }

  sent(): SentRecord[] {
    return this.sentLog.map((s) => ({ ...s }));
  }

  /** Calls Ponte rejected. */
  rejectedCalls(): Array<{ callId: string; from: string; at: number }> {
    return [...this.rejectedLog];
  }

  typing(): Array<{ chatId: string; on: boolean; at: number }> {
    return [...this.typingLog];
  }

  /** Chats of the page's deletes for everyone, as the page was given them. */
  revokes(): string[] {
    return [...this.revokeLog];
  }

  reads(): Array<{ chatId: string; at: number }> {
    return [...this.readLog];
  }

  /** The chat as the page is given it: mapped like the adapters map it, then looked up like wa-js does. */
  private pageChat(chatId: string): string {
    const chat = this.lids.chatOf(chatId);
    this.lids.assertChat(chat);
    return chat;
  }

  private requireConnected(): void {
    if (this.current !== 'CONNECTED') throw new EngineNotReadyError(this.id, this.current);
  }

  private setState(state: SessionState, reason?: string): void {
    this.current = state;
    this.emit({ type: 'state', change: { state, reason } });
  }

  private emit(event: EngineEvent): void {
    for (const sink of this.sinks) {
      const safe = sink(event);
      if (this.taking && safe instanceof Promise) this.taking.push(safe as Promise<boolean>);
    }
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private clearTimers(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** WhatsApp pairing codes: 8 characters from an alphabet without look-alikes. */
function pairingCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTVWXYZ23456789';
  return Array.from(randomBytes(8), (b) => alphabet[b % alphabet.length]).join('');
}
