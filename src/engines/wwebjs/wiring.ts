import type WAWebJS from 'whatsapp-web.js';
import type { Logger } from '../../observability/logger';
import type { EngineEvent, PairingInfo } from '../types';
import { describeError, disconnectFailure, type Failure } from './failures';
import { toAckEvent, toCallEvent, toEditEvent, toReactionEvent, toRemoteMessage, toRevokeEvent, type NormaliseContext } from './normalise';

/** One Client's life: from connect() until it fails, is replaced, or is closed. */
export interface Attempt {
  seq: number;
  client?: WAWebJS.Client;
  ended: boolean;
  /** initialize() has settled: later re-injections are the library's own, not the start. */
  initialized?: boolean;
  /** Chromium's pid, kept so a failed start can be cleaned up even when the library lost its browser. */
  pid?: number;
  /** Watchdog of the current phase (start, loading after pairing, library reconnecting). */
  timer?: NodeJS.Timeout;
  pairingTimer?: NodeJS.Timeout;
  login?: PairingInfo;
  qrCount: number;
  /** Reached 'ready' at least once. */
  ready: boolean;
  /** Incoming calls by id, for rejectCall. */
  calls: Map<string, WAWebJS.Call>;
  /** Edits relayed lately (edit id -> text): one media edit changes body and caption, two library events. */
  edits: Map<string, string>;
}

export interface AttemptHandlers {
  login(login: { qr?: string; pairingCode?: string }): void;
  authenticated(): void;
  ready(): Promise<void>;
  waState(state: string): void;
  fail(failure: Failure): Promise<void>;
  emit(event: EngineEvent): void;
  self(): NormaliseContext;
}

const MAX_CALLS_KEPT = 50;
const MAX_EDITS_KEPT = 100;

/**
 * Subscribes to the library's events. Only 'message_create' carries messages: it fires for every new
 * message including our own (phone-typed or sent by Ponte), while 'message' repeats the incoming ones,
 * so listening to both would relay each incoming message twice.
 */
export function wireClient(client: WAWebJS.Client, attempt: Attempt, live: () => boolean, h: AttemptHandlers, logger: Logger): void {
  const on = (event: string, handler: (...args: never[]) => unknown) => {
    client.on(event, (...args: unknown[]) => {
      // A replaced or closed client may still emit while it dies: its events are not this session's any more.
      if (!live()) return;
      try {
        const result = (handler as (...a: unknown[]) => unknown)(...args);
        if (result instanceof Promise)
          result.catch((err: unknown) => logger.error({ err: describeError(err), event }, 'whatsapp-web.js event handler failed'));
      } catch (err) {
        logger.error({ err: describeError(err), event }, 'whatsapp-web.js event handler failed');
      }
    });
  };

  on('qr', (qr: string) => h.login({ qr }));
  on('code', (code: string) => h.login({ pairingCode: code }));
  on('authenticated', () => h.authenticated());
  on('ready', () => h.ready());
  on('auth_failure', (message: unknown) =>
    h.fail({
      state: 'BAD_CREDENTIALS',
      reason: `WhatsApp refused the stored login (${describeError(message)}): pair again with "ponte sessions pair"`,
    }),
  );
  on('change_state', (state: string) => h.waState(String(state)));
  // The library has already called destroy() on this client: only a new Client can reconnect.
  on('disconnected', (reason: unknown) => h.fail(disconnectFailure(reason)));

  on('message_create', (msg: WAWebJS.Message) => {
    const message = toRemoteMessage(msg, h.self());
    if (message) h.emit({ type: 'message', message });
  });
  on('message_ack', (msg: WAWebJS.Message, ack: number) => {
    const event = toAckEvent(msg, Number(ack));
    if (event) h.emit({ type: 'ack', ack: event });
  });
  on('message_revoke_everyone', (msg: WAWebJS.Message, before?: WAWebJS.Message | null) => {
    const revoke = toRevokeEvent(msg, before);
    if (revoke) h.emit({ type: 'revoke', revoke });
  });
  on('message_edit', (msg: WAWebJS.Message, newBody: string, prevBody: string) => {
    const edit = toEditEvent(msg, String(newBody ?? ''), String(prevBody ?? ''), h.self());
    if (!edit || attempt.edits.get(edit.id) === edit.text) return;
    attempt.edits.set(edit.id, edit.text);
    if (attempt.edits.size > MAX_EDITS_KEPT) attempt.edits.delete(attempt.edits.keys().next().value!);
    h.emit({ type: 'edit', edit });
  });
  on('message_reaction', (reaction: WAWebJS.Reaction) => {
    const event = toReactionEvent(reaction);
    if (event) h.emit({ type: 'reaction', reaction: event });
  });
  // Events.INCOMING_CALL is 'call' in 1.34.7 (the docs call it incoming_call).
  on('call', (call: WAWebJS.Call) => {
    const event = toCallEvent(call);
    if (!event) return;
    attempt.calls.set(event.id, call);
    if (attempt.calls.size > MAX_CALLS_KEPT) attempt.calls.delete(attempt.calls.keys().next().value!);
    h.emit({ type: 'call', call: event });
  });
}
