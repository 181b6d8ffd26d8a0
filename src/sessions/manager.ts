import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { Logger } from '../observability/logger';
import { clearSessionState, setSessionState, type Metrics } from '../observability/metrics';
import { TERMINAL_STATES, type EngineEvent, type EngineSession, type PairingInfo, type SessionState } from '../engines/types';
import { within } from '../core/timeout';
import type { TreeMemory } from '../engines/browser/memory';
import { killProcesses, processTree, stillRunning } from '../engines/browser/process-tree';
import { backoffDelay, type BackoffPolicy } from '../core/backoff';
import { CallPolicy, type CallOutcome, type CallSettings } from './calls';
import type { CallEvent } from '../core/messages';
import { SessionNotOwnedError, UnknownSessionError } from './errors';
import { SessionWatchdog, type RestartReason, type WatchdogSettings, type WatchedSession } from './watchdog';
import { routeEngineEvent } from './engine-event-router';

export { SessionNotOwnedError, UnknownSessionError };

/** Which daemon runs a session: this one, another one sharing the Redis (see `ownerId`), or none yet. */
export type SessionOwner = 'this' | 'other' | 'none';

export interface SessionStatus {
  id: string;
  engine: string;
  /** The engine's state here; STANDBY while another daemon runs the session, or none does yet (leases). */
  state: SessionState | 'STANDBY';
  reason?: string;
  me?: string;
  pairing?: PairingInfo;
  reconnectAttempts: number;
  since: string;
  owner: SessionOwner;
  /** The owning daemon's lease id, when known (config lease.daemonId). */
  ownerId?: string;
  /** PSS of the session's browser processes at the last watchdog check. */
  memoryBytes?: number;
}

/** Per-session settings the manager acts on. */
export interface SessionOptions {
  calls?: CallSettings;
  memoryLimitMB?: number;
  /** The session's data directory: removed after an admin logout, so no login data stays behind. */
  dataDir?: string;
}

export interface SessionManagerOptions {
  watchdog?: WatchdogSettings;
  /** Sessions wait for a lease (SessionLeases calls claim/release) instead of connecting at start. */
  leased?: boolean;
  /** Memory of a process tree; reads /proc by default. */
  memoryOf?: (pids: number[]) => TreeMemory;
  /** Where a person pairs a session (the admin page, the CLI command): logged when a session needs it. */
  pairingHint?: (id: string) => string;
}

interface Entry {
  engine: EngineSession;
  options: SessionOptions;
  state: SessionState;
  reason?: string;
  since: number;
  attempts: number;
  timer?: NodeJS.Timeout;
  owner: SessionOwner;
  ownerId?: string;
  /** Why the session does not run here (lease), shown instead of the engine's reason. */
  leaseReason?: string;
  /** Left to other daemons (this one is full, cannot see its login, or it is being moved): not this one's to wait for. */
  passedOver?: boolean;
  restarting: boolean;
  /** Removed at run time: what its engine still says is no longer anyone's business. */
  removed?: boolean;
}

/**
 * Every event of a session still here, after the session's own routes (state, calls); the relays' wiring
 * routes the rest (wiring/engine-events.ts). What it returns (the promise of the event being safe, see
 * EngineEventSink) is handed back to the engine.
 */
export type SessionEventHandler = (sessionId: string, event: EngineEvent) => unknown;

/** No periodic checks unless configured; timeoutMs still bounds the close of a restart or a lost lease. */
const DEFAULT_WATCHDOG: WatchdogSettings = { intervalMs: 0, timeoutMs: 10_000, failures: 2 };

/**
 * Owns the engines: starts them, tracks their state, reconnects with backoff and jitter, restarts
 * browsers the watchdog finds hung, crashed or too large, and applies the call policy. A failing
 * session never stops another one or the daemon: every call into an engine is guarded.
 * Events: 'connected' (id), 'call' (id, CallEvent, CallOutcome), 'state' (id, SessionStatus, previous
 * state): every state event of a session running here, a rotated QR code or a new pairing code included.
 */
export class SessionManager extends EventEmitter {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;
  private readonly watchdogSettings: WatchdogSettings;
  private readonly watchdog: SessionWatchdog;
  private readonly calls: CallPolicy;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly backoff: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 },
    private readonly options: SessionManagerOptions = {},
  ) {
    super();
    this.watchdogSettings = options.watchdog ?? DEFAULT_WATCHDOG;
    this.watchdog = new SessionWatchdog(
      this.watchdogSettings,
      { watched: () => this.watched(), restart: (id, reason, pids) => this.restart(this.require(id), reason, pids) },
      metrics,
      logger,
      options.memoryOf,
    );
    this.calls = new CallPolicy(logger);
  }

  add(engine: EngineSession, onEvent: SessionEventHandler, options: SessionOptions = {}): void {
    const owner: SessionOwner = this.options.leased ? 'none' : 'this';
    const entry: Entry = { engine, options, state: 'CONNECTING', since: Date.now(), attempts: 0, owner, restarting: false };
    if (owner === 'none') entry.leaseReason = 'waiting for the session lease';
    this.entries.set(engine.id, entry);
    setSessionState(this.metrics, engine.id, 'CONNECTING');
    engine.onEvent((event) => {
      if (entry.removed) return undefined;
      try {
        // The session's own routes first: a failing handler downstream never stops its bookkeeping.
        routeEngineEvent(engine.id, event, {
          state: (_id, change) => this.onState(entry, change.state, change.reason),
          call: (_id, call) => void this.onCall(entry, call),
        });
        return onEvent(engine.id, event);
      } catch (err) {
        this.logger.error({ err, session: engine.id, event: event.type }, 'event handler failed');
        return undefined;
      }
    });
  }

  /** Connects a session added while the daemon runs, when it runs here (without leases; else its lease decides). */
  async start(id: string): Promise<void> {
    const e = this.require(id);
    if (e.owner === 'this' && !this.stopping) await this.safeConnect(e);
  }

  /**
   * Takes a session out of the daemon: its browser is closed, and with `logout` the phone is unpaired and
   * the session's data deleted first. A session another daemon runs cannot be logged out from here.
   */
  async remove(id: string, options: { logout: boolean; deleteData?: boolean }): Promise<void> {
    const e = this.require(id);
    if (options.logout && e.owner === 'other') throw new SessionNotOwnedError(id, e.ownerId);
    clearTimeout(e.timer);
    this.watchdog.forget(id);
    if (options.logout) await this.logout(id);
    e.removed = true;
    this.entries.delete(id);
    clearSessionState(this.metrics, id);
    if (!options.logout && e.owner === 'this') {
      try {
        const closed = await within(
          e.engine.disconnect().then(() => true),
          this.watchdogSettings.timeoutMs,
        );
        if (!closed) this.logger.error({ session: id }, 'closing a removed session did not finish');
      } catch (err) {
        this.logger.warn({ err, session: id }, 'closing a removed session failed');
      }
    }
    if (!options.logout && options.deleteData && e.options.dataDir)
      await fs.promises.rm(e.options.dataDir, { recursive: true, force: true });
    this.logger.info({ session: id, loggedOut: options.logout }, 'session removed');
  }

  /** Connects the sessions this daemon owns (all of them without leases) and starts the watchdog. */
  async startAll(): Promise<void> {
    this.watchdog.start();
    await Promise.all([...this.entries.values()].filter((e) => e.owner === 'this').map((e) => this.safeConnect(e)));
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
    const memoryBytes = this.watchdog.memory(id);
    return {
      id,
      engine: e.engine.engine,
      state: e.owner === 'this' ? e.state : 'STANDBY',
      reason: e.owner === 'this' ? e.reason : (e.leaseReason ?? e.reason),
      me: e.owner === 'this' ? safe(() => e.engine.me()) : undefined,
      pairing: e.owner === 'this' ? safe(() => e.engine.pairing()) : undefined,
      reconnectAttempts: e.attempts,
      since: new Date(e.since).toISOString(),
      owner: e.owner,
      ...(e.ownerId ? { ownerId: e.ownerId } : {}),
      ...(memoryBytes !== undefined ? { memoryBytes } : {}),
    };
  }

  list(): SessionStatus[] {
    return this.ids().map((id) => this.status(id)!);
  }

  /** Sessions still CONNECTING here: the daemon is not ready while any is (those other daemons run or will run do not count). */
  connecting(): string[] {
    return this.ids().filter((id) => {
      const e = this.entries.get(id)!;
      return e.owner !== 'other' && !(e.owner === 'none' && e.passedOver) && e.state === 'CONNECTING';
    });
  }

  async login(id: string, pairingPhone?: string): Promise<SessionStatus> {
    const e = this.requireOwned(id);
    if (e.state !== 'CONNECTED') {
      clearTimeout(e.timer);
      e.attempts = 0;
      await this.safeConnect(e, pairingPhone);
    }
    return this.status(id)!;
  }

  /** Unpairs the phone and deletes the session's data (a later login shows a new QR code). */
  async logout(id: string): Promise<SessionStatus> {
    const e = this.requireOwned(id);
    clearTimeout(e.timer);
    try {
      await e.engine.logout();
    } catch (err) {
      this.logger.error({ err, session: id }, 'logout failed');
      throw err;
    }
    if (e.options.dataDir) {
      try {
        await fs.promises.rm(e.options.dataDir, { recursive: true, force: true });
        this.logger.info({ session: id }, 'session data deleted');
      } catch (err) {
        this.logger.error({ err, session: id, dir: e.options.dataDir }, 'could not delete the session data');
        throw new Error(
          `session ${id} is logged out but its data in ${e.options.dataDir} could not be deleted: ${(err as Error).message}`,
          { cause: err },
        );
      }
    }
    return this.status(id)!;
  }

  async stopAll(): Promise<void> {
    this.stopping = true;
    this.watchdog.stop();
    await Promise.all(
      [...this.entries.values()].map(async (e) => {
        clearTimeout(e.timer);
        if (e.owner !== 'this') return;
        try {
          await e.engine.disconnect();
        } catch (err) {
          this.logger.warn({ err, session: e.engine.id }, 'disconnect failed during shutdown');
        }
      }),
    );
  }

  /** The lease is ours: run the session here. */
  async claim(id: string, daemonId: string): Promise<void> {
    const e = this.require(id);
    e.owner = 'this';
    e.ownerId = daemonId;
    e.leaseReason = undefined;
    e.passedOver = false;
    setSessionState(this.metrics, id, e.state);
    if (this.stopping) return;
    this.logger.info({ session: id }, 'session lease taken: starting the session here');
    clearTimeout(e.timer);
    e.attempts = 0;
    await this.safeConnect(e);
  }

  /** The lease is gone (renewal refused, Redis unreachable): stop at once, another daemon may start it. */
  async release(id: string, reason: string): Promise<void> {
    const e = this.require(id);
    if (e.owner !== 'this') return;
    e.owner = 'none';
    e.ownerId = undefined;
    e.leaseReason = reason;
    clearTimeout(e.timer);
    this.watchdog.forget(id);
    this.logger.warn({ session: id, reason }, 'session lease lost: stopping the session here');
    try {
      const closed = await within(
        e.engine.disconnect().then(() => true),
        this.watchdogSettings.timeoutMs,
      );
      if (!closed) this.logger.error({ session: id }, 'disconnect after losing the lease did not finish');
    } catch (err) {
      this.logger.warn({ err, session: id }, 'disconnect after losing the lease failed');
    }
  }

  /** Another daemon holds the lease (`ownerId`), or nobody does (undefined; `reason`: why not this daemon). */
  ownedElsewhere(id: string, ownerId: string | undefined, reason?: string): void {
    const e = this.require(id);
    if (e.owner === 'this') return;
    e.owner = ownerId ? 'other' : 'none';
    e.ownerId = ownerId;
    e.passedOver = reason !== undefined;
    e.leaseReason = ownerId ? `owned by daemon ${ownerId}` : (reason ?? 'waiting for the session lease');
    if (ownerId) clearSessionState(this.metrics, id);
    else setSessionState(this.metrics, id, e.state);
  }

  /**
   * Sessions this daemon runs, each with whether it is in a risky stretch right now: logging in
   * (CONNECTING, QR_REQUIRED: the libraries' pairing code runs then) or being restarted. The process
   * guard asks, to tell whose library failed.
   */
  running(): Array<{ id: string; engine: string; atRisk: boolean }> {
    return [...this.entries.values()]
      .filter((e) => e.owner === 'this')
      .map((e) => ({
        id: e.engine.id,
        engine: e.engine.engine,
        atRisk: e.restarting || e.state === 'CONNECTING' || e.state === 'QR_REQUIRED',
      }));
  }

  /** Closes the session's browser (and what survives of it) and connects again, as the watchdog does. */
  async restartSession(id: string, reason: RestartReason): Promise<void> {
    const e = this.require(id);
    let pids: number[] = [];
    try {
      pids = (await within(e.engine.health?.() ?? Promise.resolve(undefined), this.watchdogSettings.timeoutMs))?.pids ?? [];
    } catch {
      // A broken engine may not say where its browser is: the close alone has to do.
    }
    await this.restart(e, reason, pids);
  }

  /** One watchdog round now (tests; the timer does this every watchdog.intervalMs). */
  checkHealth(): Promise<void> {
    return this.watchdog.tick();
  }

  private watched(): WatchedSession[] {
    if (this.stopping) return [];
    const out: WatchedSession[] = [];
    for (const e of this.entries.values()) {
      if (e.owner !== 'this' || e.restarting || !e.engine.health) continue;
      out.push({
        id: e.engine.id,
        engine: e.engine as WatchedSession['engine'],
        state: () => e.state,
        memoryLimitMB: e.options.memoryLimitMB,
      });
    }
    return out;
  }

  /** Closes the browser (killing whatever of it survives the close) and connects again. */
  private async restart(e: Entry, reason: RestartReason, pids: number[]): Promise<void> {
    if (e.restarting || this.stopping || e.owner !== 'this') return;
    const id = e.engine.id;
    e.restarting = true;
    clearTimeout(e.timer);
    this.metrics.sessionRestarts.labels(id, reason).inc();
    // Taken before closing: children of a killed browser are re-parented and cannot be found later.
    const tree = processTree(pids);
    try {
      const closed = await within(
        e.engine.disconnect().then(
          () => true,
          (err) => {
            this.logger.warn({ err, session: id }, 'closing the browser for a restart failed');
            return false;
          },
        ),
        this.watchdogSettings.timeoutMs,
      );
      const left = tree.filter(stillRunning);
      if (left.length) {
        // Waited for: a new Chromium on the same profile refuses to start while the old one holds it.
        const survivors = await killProcesses(left);
        this.logger.warn(
          { session: id, processes: left.length, survivors: survivors.length, closed: closed === true },
          'killed browser processes left after the close',
        );
      }
    } finally {
      e.restarting = false;
    }
    if (e.owner === 'this' && !this.stopping && !TERMINAL_STATES.includes(e.state)) {
      e.attempts = 0;
      await this.safeConnect(e);
    }
  }

  private async onCall(e: Entry, call: CallEvent): Promise<void> {
    const id = e.engine.id;
    let outcome: CallOutcome | undefined;
    try {
      outcome = await this.calls.handle(e.engine, call, e.options.calls ?? { reject: false });
    } catch (err) {
      this.logger.error({ err, session: id }, 'call policy failed');
      outcome = { rejected: false, replied: false, error: (err as Error).message };
    }
    if (!outcome) return;
    this.metrics.calls.labels(id, outcome.error ? 'failed' : outcome.rejected ? 'rejected' : 'allowed').inc();
    try {
      this.emit('call', id, call, outcome);
    } catch (err) {
      this.logger.error({ err, session: id }, 'call listener failed');
    }
  }

  private require(id: string): Entry {
    const e = this.entries.get(id);
    if (!e) throw new UnknownSessionError(id);
    return e;
  }

  private requireOwned(id: string): Entry {
    const e = this.require(id);
    if (e.owner !== 'this') throw new SessionNotOwnedError(id, e.ownerId);
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
    if (e.owner !== 'other') setSessionState(this.metrics, id, state);
    const log =
      state === 'CONNECTED' || state === 'QR_REQUIRED' || state === 'CONNECTING'
        ? this.logger.info.bind(this.logger)
        : this.logger.warn.bind(this.logger);
    if (previous !== state) log({ session: id, previous, state, reason }, 'session state changed');
    if (e.owner === 'this') {
      try {
        this.emit('state', id, this.status(id), previous);
      } catch (err) {
        this.logger.error({ err, session: id }, 'state listener failed');
      }
    }
    if (previous !== state && state === 'QR_REQUIRED' && this.options.pairingHint) {
      this.logger.info({ session: id, pairAt: this.options.pairingHint(id) }, 'session needs pairing with a phone');
    }
    if (state === 'CONNECTED') {
      e.attempts = 0;
      this.emit('connected', id);
    }
    // A restart connects by itself; a session that runs elsewhere is not reconnected here.
    if (state === 'TRANSIENT_DISCONNECT' && !this.stopping && !e.restarting && e.owner === 'this') this.scheduleReconnect(e);
    if (TERMINAL_STATES.includes(state)) clearTimeout(e.timer);
  }

  private scheduleReconnect(e: Entry): void {
    clearTimeout(e.timer);
    const delay = backoffDelay(e.attempts, this.backoff);
    e.attempts += 1;
    this.metrics.sessionReconnects.labels(e.engine.id).inc();
    this.logger.info({ session: e.engine.id, attempt: e.attempts, inMs: delay }, 'reconnect scheduled');
    e.timer = setTimeout(() => {
      if (!this.stopping && e.owner === 'this') void this.safeConnect(e);
    }, delay);
  }
}

function safe<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
