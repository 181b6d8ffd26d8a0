import { within } from '../core/timeout';
import { processTreeMemory, type TreeMemory } from '../engines/browser/memory';
import type { EngineHealth, EngineSession, SessionState } from '../engines/types';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/** Config `watchdog`. */
export interface WatchdogSettings {
  /** 0 turns the watchdog off. */
  intervalMs: number;
  timeoutMs: number;
  /** Bad checks in a row before a restart. */
  failures: number;
}

/** Why a session's browser was restarted: the watchdog's findings, or a library failure the process guard caught. */
export type RestartReason = 'hung' | 'crashed' | 'memory' | 'library_error';

/** A session the watchdog may look at right now (owned by this daemon, not being restarted). */
export interface WatchedSession {
  id: string;
  engine: EngineSession & Required<Pick<EngineSession, 'health'>>;
  /** Read after the check: the state may change while the browser is asked. */
  state(): SessionState;
  memoryLimitMB?: number;
}

export interface WatchdogHost {
  watched(): WatchedSession[];
  /** Closes the session's browser (killing what is left of `pids`) and connects it again. */
  restart(id: string, reason: RestartReason, pids: number[]): Promise<void>;
}

/** Only a session that should have a working page is judged; a starting or reconnecting one is not. */
const JUDGED_STATES: readonly SessionState[] = ['CONNECTED', 'QR_REQUIRED'];
const MIB = 1024 * 1024;

interface Track {
  failures: number;
  overLimit: number;
  pids: number[];
  bytes?: number;
  checking: boolean;
}

/**
 * Every `intervalMs`, asks each session's engine for its health: a browser that crashed or does not
 * answer within `timeoutMs`, or whose processes stay above `memoryLimitMB`, is restarted after
 * `failures` bad checks in a row (one slow answer during a GC pause is not a hang). Logged-out and
 * banned sessions are never restarted: they are not judged at all.
 */
export class SessionWatchdog {
  private timer?: NodeJS.Timeout;
  private readonly tracks = new Map<string, Track>();

  constructor(
    private readonly settings: WatchdogSettings,
    private readonly host: WatchdogHost,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
    private readonly memoryOf: (pids: number[]) => TreeMemory = processTreeMemory,
  ) {}

  start(): void {
    if (this.settings.intervalMs <= 0 || this.timer) return;
    this.timer = setInterval(() => void this.tick(), this.settings.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One round over every watched session (the timer calls it; tests may too). */
  async tick(): Promise<void> {
    await Promise.all(this.host.watched().map((w) => this.check(w)));
  }

  /** PSS of the session's browser at the last check. */
  memory(id: string): number | undefined {
    return this.tracks.get(id)?.bytes;
  }

  /** The session stopped running here: its counters start over and its memory reads 0. */
  forget(id: string): void {
    this.tracks.delete(id);
    this.metrics.sessionMemory.labels(id).set(0);
  }

  private track(id: string): Track {
    let t = this.tracks.get(id);
    if (!t) this.tracks.set(id, (t = { failures: 0, overLimit: 0, pids: [], checking: false }));
    return t;
  }

  private async check(w: WatchedSession): Promise<void> {
    const t = this.track(w.id);
    if (t.checking) return;
    t.checking = true;
    try {
      let health: EngineHealth | undefined;
      try {
        health = await within(w.engine.health(), this.settings.timeoutMs);
      } catch {
        // The seam says health() does not throw; one that does has no working browser to report.
        health = { alive: false, pids: t.pids };
      }
      if (health) t.pids = health.pids;
      // A hung browser still has its processes: measure the pids it gave last time.
      const mem = this.memoryOf(t.pids);
      t.bytes = mem.bytes;
      this.metrics.sessionMemory.labels(w.id).set(mem.bytes);
      if (!JUDGED_STATES.includes(w.state())) {
        t.failures = 0;
        t.overLimit = 0;
        return;
      }
      t.failures = health?.alive ? 0 : t.failures + 1;
      const limit = w.memoryLimitMB ? w.memoryLimitMB * MIB : undefined;
      t.overLimit = limit !== undefined && mem.bytes > limit ? t.overLimit + 1 : 0;
      let reason: RestartReason | undefined;
      if (t.failures >= this.settings.failures) reason = health ? 'crashed' : 'hung';
      else if (t.overLimit >= this.settings.failures) reason = 'memory';
      if (!reason) return;
      this.logger.warn(
        {
          session: w.id,
          reason,
          checks: this.settings.failures,
          memoryMB: Math.round(mem.bytes / MIB),
          limitMB: w.memoryLimitMB,
          processes: mem.pids.length,
        },
        reason === 'memory' ? 'browser above memoryLimitMB; restarting it' : `browser ${reason}; restarting it`,
      );
      t.failures = 0;
      t.overLimit = 0;
      await this.host.restart(w.id, reason, t.pids);
    } finally {
      t.checking = false;
    }
  }
}
