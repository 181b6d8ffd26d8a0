/**
 * The WhatsApp engine seam. Three implementations (simulator, wppconnect, whatsapp-web.js) and one
 * conformance suite (test/conformance) run against all of them. Engines import only src/core types.
 */
import type {
  AckEvent,
  CallEvent,
  ChatId,
  ContactInfo,
  EditEvent,
  MediaRef,
  OutboundMessage,
  ReactionEvent,
  RemoteMessage,
  RevokeEvent,
  SendResult,
} from '../core/messages';
import type { SessionState } from '../core/session-states';

export { SESSION_STATES, type SessionState } from '../core/session-states';

/** States from which an automatic reconnect must not be attempted: a human has to pair again. */
export const TERMINAL_STATES: readonly SessionState[] = ['LOGGED_OUT', 'BAD_CREDENTIALS'];

export interface StateChange {
  state: SessionState;
  reason?: string;
}

export type EngineEvent =
  | { type: 'message'; message: RemoteMessage }
  | { type: 'ack'; ack: AckEvent }
  | { type: 'revoke'; revoke: RevokeEvent }
  | { type: 'edit'; edit: EditEvent }
  | { type: 'reaction'; reaction: ReactionEvent }
  | { type: 'call'; call: CallEvent }
  | { type: 'state'; change: StateChange };

/** What people did in a chat: a message, its deletion for everyone, its edit, a reaction to it. */
export type ChatContentEvent = Extract<EngineEvent, { type: 'message' | 'revoke' | 'edit' | 'reaction' }>;

/**
 * Receives an engine's events. A sink may return the promise of the event being safe (the inbound
 * relay's: true once persisted in Redis, false when held in memory only); the simulator's HTTP route
 * waits for it before answering (README "Nothing lost"). Real engines ignore what sinks return, so their
 * library's emitter is never held up; any other sink may return anything.
 */
export type EngineEventSink = (event: EngineEvent) => unknown;

/** What a person needs to pair the phone right now. */
export interface PairingInfo {
  /** Raw QR payload (render it yourself). */
  qr?: string;
  /** 8-character code, when pairing by phone number. */
  pairingCode?: string;
  /** 1-based count of QR codes shown in this login. */
  attempt: number;
  /** Unix ms when this QR/code stops being valid. */
  expiresAt?: number;
}

export interface ConnectOptions {
  /** Pair with a phone number (8-character code) instead of a QR code. E.164. */
  pairingPhone?: string;
}

/** What the watchdog learns from one health check of an engine. */
export interface EngineHealth {
  /** The browser page answered a trivial script; false when the browser crashed or the page closed. */
  alive: boolean;
  /**
   * Pids of the session's browser processes: the browser's own pid is enough, the watchdog adds its
   * descendants (renderers, GPU, zygotes). `[]` while no browser runs.
   */
  pids: number[];
}

export interface EngineSession {
  readonly id: string;
  readonly engine: string;
  /** Starts or resumes the session. Never throws: failures are reported as state events. */
  connect(options?: ConnectOptions): Promise<void>;
  /** Closes the connection, keeping the pairing (a later connect restores it). */
  disconnect(): Promise<void>;
  /** Unpairs the phone and deletes the session's data. */
  logout(): Promise<void>;
  state(): SessionState;
  pairing(): PairingInfo | undefined;
  /** The paired account's own number (E.164), once connected. */
  me(): string | undefined;
  onEvent(sink: EngineEventSink): void;
  send(message: OutboundMessage): Promise<SendResult>;
  /** `undefined` when WhatsApp no longer has the media. */
  downloadMedia(chatId: ChatId, messageId: string, ref: MediaRef): Promise<Buffer | undefined>;
  /** Messages in a chat at or after `sinceTs` (unix seconds), oldest first, for catch-up (dedupe makes overlap safe). */
  recentMessages(chatId: ChatId, sinceTs: number, limit?: number): Promise<RemoteMessage[]>;
  /** Chats with activity after `sinceTs`. */
  activeChats(sinceTs: number): Promise<ChatId[]>;
  resolveContact(id: string): Promise<ContactInfo>;
  readonly capabilities: EngineCapabilities;
  /**
   * Optional probe for the SessionManager's watchdog (config `watchdog`). Should answer fast (e.g.
   * `page.evaluate(() => 1)`) and never throw for a dead browser (`alive: false`). A probe that does not
   * settle within `watchdog.timeoutMs` counts as a hung browser. While the session is CONNECTED or
   * QR_REQUIRED, `watchdog.failures` bad checks in a row restart it (disconnect, then connect); in every
   * state `pids` feed `ponte_session_memory_bytes` and the `memoryLimitMB` restart. Without it the
   * session is neither watched nor measured.
   */
  health?(): Promise<EngineHealth>;
}

/**
 * What a revoke achieved. WhatsApp lets a sender delete for everyone only for a while; past that
 * whatsapp-web.js quietly deletes for this device only (`Message.delete(true)`), so 'me' tells the agent
 * the customer still has the message.
 */
export type RevokeOutcome = 'everyone' | 'me';

/** Optional abilities; absent when the engine cannot do it. */
export interface EngineCapabilities {
  revoke?: (chatId: ChatId, messageId: string) => Promise<RevokeOutcome>;
  typing?: (chatId: ChatId, on: boolean) => Promise<void>;
  markRead?: (chatId: ChatId) => Promise<void>;
  rejectCall?: (callId: string, from: string) => Promise<void>;
  /**
   * The chat id WhatsApp has for a phone number (digits only), which may be another form of it (an account
   * older than Brazil's ninth digit); null when the number has no WhatsApp account.
   */
  lookupNumber?: (digits: string) => Promise<ChatId | null>;
}

/**
 * Raised by `downloadMedia` while the phone is still re-uploading old media to WhatsApp's servers
 * (whatsapp-web.js REUPLOADING): the media is not gone, the caller tries again later.
 */
export class MediaNotReadyError extends Error {
  constructor(
    readonly messageId: string,
    reason = 'the phone is still re-uploading it',
  ) {
    super(`media of ${messageId} is not available yet: ${reason}`);
    this.name = 'MediaNotReadyError';
  }
}

/** Raised by `send` and friends when the session is not connected: callers retry later. */
export class EngineNotReadyError extends Error {
  constructor(
    readonly sessionId: string,
    readonly state: SessionState,
  ) {
    super(`session ${sessionId} is ${state}, not CONNECTED`);
    this.name = 'EngineNotReadyError';
  }
}
