import { randomBytes } from 'node:crypto';
import type { ChatId, ContactInfo, MediaRef, OutboundMessage, RemoteMessage, SendResult } from '../../core/messages';
import type { SimulatorConfig } from '../../config/schema';
import {
  EngineNotReadyError,
  type ConnectOptions,
  type EngineCapabilities,
  type EngineEvent,
  type EngineEventSink,
  type EngineHealth,
  type EngineSession,
  type PairingInfo,
  type SessionState,
} from '../types';
import { SimulatorPairingFile } from './simulator-pairing-file';
import { SimulatorStore } from './simulator-store';
import { isMessageType, toJid, type InboundInjection } from './simulator-inbound';

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
}

const QR_TTL_MS = 60_000;

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
  private timers = new Set<NodeJS.Timeout>();
  private readonly store = new SimulatorStore();
  private readonly sentLog: SentRecord[] = [];
  private readonly typingLog: Array<{ chatId: string; on: boolean; at: number }> = [];
  private readonly readLog: Array<{ chatId: string; at: number }> = [];
  private seq = 0;
  private readonly rejectedLog: Array<{ callId: string; from: string; at: number }> = [];
  private readonly pairingFile?: SimulatorPairingFile;
  /** Sends fail with this error while set (tests of retries and failed statuses). */
  failSends?: string;
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

  readonly capabilities: EngineCapabilities = {
    revoke: async (_chatId, messageId) => {
      this.requireConnected();
      const rec = this.sentLog.find((s) => s.id === messageId);
      if (!rec) throw new Error(`no sent message ${messageId} to revoke`);
      rec.revoked = true;
      return 'everyone';
    },
    typing: async (chatId, on) => {
      this.typingLog.push({ chatId, on, at: Date.now() });
    },
    markRead: async (chatId) => {
      this.readLog.push({ chatId, at: Date.now() });
    },
    rejectCall: async (callId, from) => {
      this.requireConnected();
      this.rejectedLog.push({ callId, from, at: Date.now() });
    },
    lookupNumber: async (digits) => {
      this.requireConnected();
      this.lookups.push(digits);
      return this.numbers.has(digits) ? this.numbers.get(digits)! : `${digits}@c.us`;
    },
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

  async connect(options: ConnectOptions = {}): Promise<void> {
    this.clearTimers();
    // A connect starts a fresh browser.
    this.hung = false;
    this.crashed = false;
    this.setState('CONNECTING');
    this.later(this.config.connectDelayMs, () => {
      if (this.paired) this.setState('CONNECTED');
      else this.startPairing(options.pairingPhone);
    });
  }

  async disconnect(): Promise<void> {
    this.clearTimers();
    if (this.current !== 'LOGGED_OUT' && this.current !== 'BAD_CREDENTIALS') this.setState('TRANSIENT_DISCONNECT', 'disconnected by Ponte');
  }

  async logout(): Promise<void> {
    this.clearTimers();
    this.paired = false;
    this.login = undefined;
    this.pairingFile?.forget();
    this.setState('LOGGED_OUT', 'logged out by an admin');
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

  private startPairing(phone?: string): void {
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
    const { media, ...rest } = message as OutboundMessage & { media?: { data: Buffer; mimetype: string; filename?: string } };
    this.sentLog.push({
      id,
      at: Date.now(),
      message: { ...(rest as Omit<SentRecord['message'], 'media'>), ...(media ? { media: { mimetype: media.mimetype, filename: media.filename, size: media.data.length, base64: media.data.toString('base64') } } : {}) },
    });
    if (message.kind !== 'reaction') {
      const echo: RemoteMessage = {
        id,
        chatId: message.chatId,
        from: toJid(this.config.phone),
        fromMe: true,
        timestamp,
        kind: message.kind,
        text: message.kind === 'text' ? message.text : 'caption' in message ? message.caption : undefined,
        media: media ? { mimetype: media.mimetype, filename: media.filename, size: media.data.length, handle: id } : undefined,
        quotedId: 'quotedId' in message ? message.quotedId : undefined,
        isGroup: message.chatId.endsWith('@g.us'),
      };
      this.store.add(echo, media?.data);
      // Real engines report our own sends back as fromMe messages; Ponte must recognise its echo.
      this.later(0, () => this.emit({ type: 'message', message: echo }));
      this.scheduleAcks(id, message.chatId);
    }
    return { remoteId: id, timestamp };
  }

  private scheduleAcks(messageId: string, chatId: ChatId): void {
    const step = this.config.ackIntervalMs;
    (['SENT', 'DELIVERED', 'READ'] as const).forEach((ack, i) => {
      this.later(step * (i + 1), () => this.emit({ type: 'ack', ack: { messageId, chatId, ack } }));
    });
  }

  async downloadMedia(_chatId: ChatId, messageId: string, ref: MediaRef): Promise<Buffer | undefined> {
    this.requireConnected();
    return this.store.mediaOf(ref.handle || messageId);
  }

  async recentMessages(chatId: ChatId, sinceTs: number, limit = 100): Promise<RemoteMessage[]> {
    this.requireConnected();
    return this.store.since(chatId, sinceTs, limit);
  }

  async activeChats(sinceTs: number): Promise<ChatId[]> {
    this.requireConnected();
    return this.store.activeSince(sinceTs);
  }

  async resolveContact(id: string): Promise<ContactInfo> {
    if (id.endsWith('@lid')) {
      const phone = this.store.phoneOfLid(id);
      return { id, lid: id, phone: phone ? `+${phone.replace(/\D/g, '')}` : undefined };
    }
    if (id.endsWith('@c.us')) return { id, phone: `+${id.split('@')[0]}` };
    return { id };
  }

  /** Injects what WhatsApp would deliver; returns the event's id. */
  inject(input: InboundInjection): string {
    const from = toJid(input.from);
    const chatId = input.chatId ? toJid(input.chatId) : input.fromMe ? toJid(input.from) : from;
    const timestamp = input.timestamp ?? Math.floor(Date.now() / 1000);
    const id = input.id ?? `IN${Date.now().toString(36).toUpperCase()}${(++this.seq).toString(36).toUpperCase()}`;
    if (input.phone && from.endsWith('@lid')) this.store.linkLid(from, input.phone);
    const author = input.author ? toJid(input.author) : undefined;
    const sender = chatId.endsWith('@g.us') ? (author ?? from) : from;
    const base = { chatId, from: sender, fromMe: input.fromMe, timestamp };
    let event: EngineEvent;
    if (input.type === 'reaction') {
      event = { type: 'reaction', reaction: { ...base, id, messageId: input.targetId!, emoji: input.emoji ?? '', pushName: input.pushName } };
    } else if (input.type === 'edit') {
      event = { type: 'edit', edit: { ...base, id, messageId: input.targetId!, text: input.text! } };
    } else if (input.type === 'revoke') {
      event = { type: 'revoke', revoke: { chatId, messageId: input.targetId!, fromMe: input.fromMe, timestamp } };
    } else if (input.type === 'call_offer') {
      event = { type: 'call', call: { id, from, isVideo: input.isVideo === true, isGroup: chatId.endsWith('@g.us'), timestamp } };
    } else if (isMessageType(input.type)) {
      const media = input.media
        ? { mimetype: input.media.mimetype, filename: input.media.filename, size: Buffer.byteLength(input.media.base64, 'base64'), handle: id }
        : undefined;
      const message: RemoteMessage = {
        ...base,
        id,
        kind: input.type,
        text: input.type === 'text' ? input.text : (input.caption ?? input.text),
        media,
        quotedId: input.quotedId,
        location: input.location,
        vcards: input.vcard ? [input.vcard] : undefined,
        pushName: input.pushName,
        chatName: input.chatName,
        isGroup: chatId.endsWith('@g.us'),
        rawType: input.rawType,
      };
      const bytes = input.media && !input.media.gone ? Buffer.from(input.media.base64, 'base64') : undefined;
      this.store.add(message, bytes);
      event = { type: 'message', message };
    } else {
      throw new Error(`unsupported type ${String(input.type)}`);
    }
    if (!input.silent && this.current === 'CONNECTED') this.emit(event);
    return id;
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

  reads(): Array<{ chatId: string; at: number }> {
    return [...this.readLog];
  }

  private requireConnected(): void {
    if (this.current !== 'CONNECTED') throw new EngineNotReadyError(this.id, this.current);
  }

  private setState(state: SessionState, reason?: string): void {
    this.current = state;
    this.emit({ type: 'state', change: { state, reason } });
  }

  private emit(event: EngineEvent): void {
    for (const sink of this.sinks) sink(event);
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
