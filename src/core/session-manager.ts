import { EventEmitter } from 'node:events';
import type { Logger } from '../observability/logger';
import { setSessionState, type Metrics } from '../observability/metrics';
import { TERMINAL_STATES, type EngineEvent, type EngineSession, type PairingInfo, type SessionState } from '../engines/types';
import { backoffDelay, type BackoffPolicy } from './backoff';

export interface SessionStatus {
  id: string;
  engine: string;
  state: SessionState;
  reason?: string;
  me?: string;
  pairing?: PairingInfo;
  reconnectAttempts: number;
  since: string;
}

interface Entry {
  engine: EngineSession;
  state: SessionState;
  reason?: string;
  since: number;
  attempts: number;
  timer?: NodeJS.Timeout;
}

export type SessionEventHandler = (sessionId: string, event: EngineEvent) => void;

/**
 * Owns the engines: starts them, tracks their state, reconnects with backoff and jitter. A failing
 * session never stops another one or the daemon: every call into an engine is guarded.
 */
export class SessionManager extends EventEmitter {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly backoff: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 },
  ) {
    super();
  }

  add(engine: EngineSession, onEvent: SessionEventHandler): void {
    const entry: Entry = { engine, state: 'CONNECTING', since: Date.now(), attempts: 0 };
    this.entries.set(engine.id, entry);
    setSessionState(this.metrics, engine.id, 'CONNECTING');
    engine.onEvent((event) => {
      try {
        if (event.type === 'state') this.onState(entry, event.change.state, event.change.reason);
        onEvent(engine.id, event);
      } catch (err) {
        this.logger.error({ err, session: engine.id, event: event.type }, 'event handler failed');
      }
    });
  }

  async startAll(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => this.safeConnect(e)));
  }

  get(id: string): EngineSession | undefined {
    return this.entries.get(id)?.engine;
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  status(id: string): SessionStatus | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    return {
      id,
      engine: e.engine.engine,
      state: e.state,
      reason: e.reason,
      me: safe(() => e.engine.me()),
      pairing: safe(() => e.engine.pairing()),
      reconnectAttempts: e.attempts,
      since: new Date(e.since).toISOString(),
    };
  }

  list(): SessionStatus[] {
    return this.ids().map((id) => this.status(id)!);
  }

  /** Sessions still CONNECTING: the daemon is not ready while any is. */
  connecting(): string[] {
    return this.ids().filter((id) => this.entries.get(id)!.state === 'CONNECTING');
  }

  async login(id: string, pairingPhone?: string): Promise<SessionStatus> {
    const e = this.require(id);
    if (e.state !== 'CONNECTED') {
      clearTimeout(e.timer);
      e.attempts = 0;
      await this.safeConnect(e, pairingPhone);
    }
    return this.status(id)!;
  }

  async logout(id: string): Promise<SessionStatus> {
    const e = this.require(id);
    clearTimeout(e.timer);
    try {
      await e.engine.logout();
    } catch (err) {
      this.logger.error({ err, session: id }, 'logout failed');
      throw err;
    }
    return this.status(id)!;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    await Promise.all(
      [...this.entries.values()].map(async (e) => {
        clearTimeout(e.timer);
        try {
          await e.engine.disconnect();
        } catch (err) {
          this.logger.warn({ err, session: e.engine.id }, 'disconnect failed during shutdown');
        }
      }),
    );
  }

  private require(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new UnknownSessionError(id);
    return e;
  }

  private async safeConnect(e: Entry, pairingPhone?: string): Promise<void> {
    try {
      await e.engine.connect(pairingPhone ? { pairingPhone } : {});
    } catch (err) {
      // The seam says connect never throws; an engine that does is treated as a transient failure.
      this.logger.error({ err, session: e.engine.id }, 'engine connect threw');
      this.onState(e, 'TRANSIENT_DISCONNECT', (err as Error).message);
    }
  }

  private onState(e: Entry, state: SessionState, reason?: string): void {
    const id = e.engine.id;
    const previous = e.state;
    e.state = state;
    e.reason = reason;
    if (previous !== state) e.since = Date.now();
    setSessionState(this.metrics, id, state);
    const log = state === 'CONNECTED' || state === 'QR_REQUIRED' || state === 'CONNECTING' ? this.logger.info.bind(this.logger) : this.logger.warn.bind(this.logger);
    if (previous !== state) log({ session: id, previous, state, reason }, 'session state changed');
    if (state === 'CONNECTED') {
      e.attempts = 0;
      this.emit('connected', id);
    }
    if (state === 'TRANSIENT_DISCONNECT' && !this.stopping) this.scheduleReconnect(e);
    if (TERMINAL_STATES.includes(state)) clearTimeout(e.timer);
  }

  private scheduleReconnect(e: Entry): void {
    clearTimeout(e.timer);
    const delay = backoffDelay(e.attempts, this.backoff);
    e.attempts += 1;
    this.metrics.sessionReconnects.labels(e.engine.id).inc();
    this.logger.info({ session: e.engine.id, attempt: e.attempts, inMs: delay }, 'reconnect scheduled');
    e.timer = setTimeout(() => {
      if (!this.stopping) void this.safeConnect(e);
    }, delay);
  }
}

export class UnknownSessionError extends Error {
  constructor(readonly sessionId: string) {
    super(`no session "${sessionId}" is configured`);
    this.name = 'UnknownSessionError';
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
