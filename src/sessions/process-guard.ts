import type { Logger } from '../observability/logger';
import type { RestartReason } from './watchdog';

/** What the guard needs of the SessionManager. */
export interface GuardedSessions {
  /** Sessions this daemon runs, and whether each is logging in or restarting right now. */
  running(): Array<{ id: string; engine: string; atRisk: boolean }>;
  restartSession(id: string, reason: RestartReason): Promise<void>;
}

export interface ProcessGuardOptions {
  sessions: GuardedSessions;
  logger: Logger;
  /** Where each engine's code lives (library and adapter paths), to tell from a stack whose it is. */
  engineSources: Readonly<Record<string, readonly RegExp[]>>;
  /** Least time between two restarts of one session by the guard: a library failing on every start must not loop. */
  minRestartGapMs?: number;
  /** The process (tests pass an emitter). */
  target?: NodeJS.EventEmitter;
  /** How the daemon ends after an uncaught exception nobody can account for. */
  exit?: (code: number) => void;
}

/** Who failed, and how the guard could tell. */
export interface Attribution {
  session?: string;
  engine?: string;
  by: 'error' | 'stack' | 'risky' | 'none';
}

const MIN_RESTART_GAP_MS = 60_000;
/** A stack frame of a package: library code, as opposed to Ponte's own. */
const LIBRARY_FRAME = /[\\/]node_modules[\\/]/;

/**
 * The one process-wide handler of failures nobody caught. WhatsApp libraries leak them (whatsapp-web.js
 * calls `requestPairingCode()` without await or catch; wppconnect leaks rejections from its page timers),
 * and Node ends the process on an unhandled rejection by default, taking every session with it. The guard
 * keeps the daemon running, tells which session's library failed when it can (the error names the
 * session, the stack names one engine in use, or a single session is logging in), logs it and restarts
 * that session. An uncaught exception is survived only when it comes from a session's engine; one from
 * Ponte's own code still ends the process (its state may be broken), after being logged.
 */
export class ProcessGuard {
  private readonly target: NodeJS.EventEmitter;
  private readonly lastRestart = new Map<string, number>();
  private installed = false;

  constructor(private readonly options: ProcessGuardOptions) {
    this.target = options.target ?? process;
  }

  install(): void {
    if (this.installed) return;
    this.installed = true;
    this.target.on('unhandledRejection', this.onRejection);
    this.target.on('uncaughtException', this.onException);
  }

  uninstall(): void {
    this.installed = false;
    this.target.off('unhandledRejection', this.onRejection);
    this.target.off('uncaughtException', this.onException);
  }

  attribute(reason: unknown): Attribution {
    const running = this.options.sessions.running();
    const named = (reason as { sessionId?: unknown } | undefined)?.sessionId;
    if (typeof named === 'string' && running.some((s) => s.id === named))
      return { session: named, engine: running.find((s) => s.id === named)!.engine, by: 'error' };
    const stack = stackOf(reason);
    const engines = Object.entries(this.options.engineSources)
      .filter(([engine, sources]) => running.some((s) => s.engine === engine) && sources.some((re) => re.test(stack)))
      .map(([engine]) => engine);
    const ofEngine = engines.length ? running.filter((s) => engines.includes(s.engine)) : [];
    if (ofEngine.length === 1) return { session: ofEngine[0].id, engine: ofEngine[0].engine, by: 'stack' };
    // Ponte's own code, with no library frame and no engine named: no session to blame.
    if (!engines.length && stack.includes('\n') && !LIBRARY_FRAME.test(stack)) return { by: 'none' };
    const risky = (ofEngine.length ? ofEngine : running).filter((s) => s.atRisk);
    if (risky.length === 1) return { session: risky[0].id, engine: risky[0].engine, by: 'risky' };
    return { engine: engines.length === 1 ? engines[0] : undefined, by: 'none' };
  }

  private readonly onRejection = (reason: unknown): void => {
    this.handle('unhandled rejection', reason, false);
  };

  private readonly onException = (err: unknown): void => {
    this.handle('uncaught exception', err, true);
  };

  private handle(what: string, reason: unknown, fatalIfUnknown: boolean): void {
    let who: Attribution = { by: 'none' };
    try {
      who = this.attribute(reason);
    } catch {
      // Attributing must never be what ends the daemon.
    }
    const log = { session: who.session, engine: who.engine, attributedBy: who.by, err: errorSummary(reason) };
    if (!who.session) {
      if (fatalIfUnknown) {
        this.options.logger.fatal(log, `${what} in no session's engine: exiting`);
        (this.options.exit ?? ((code: number) => process.exit(code)))(1);
        return;
      }
      this.options.logger.error(log, `${what} kept from ending the daemon; no session to restart for it`);
      return;
    }
    const last = this.lastRestart.get(who.session);
    const gap = this.options.minRestartGapMs ?? MIN_RESTART_GAP_MS;
    if (last !== undefined && Date.now() - last < gap) {
      this.options.logger.error(
        log,
        `${what} in a session's engine, kept from ending the daemon; the session was restarted for one moments ago`,
      );
      return;
    }
    this.lastRestart.set(who.session, Date.now());
    this.options.logger.error(log, `${what} in a session's engine, kept from ending the daemon: restarting the session`);
    const session = who.session;
    this.options.sessions.restartSession(session, 'library_error').catch((err: unknown) => {
      this.options.logger.error({ session, err: errorSummary(err) }, 'restarting a session after a library failure failed');
    });
  }
}

function stackOf(reason: unknown): string {
  if (reason instanceof Error) return reason.stack ?? `${reason.name}: ${reason.message}`;
  return String(reason);
}

/** Name, message (short) and the top of the stack: enough to find the bug, no message content or payloads. */
function errorSummary(reason: unknown): Record<string, unknown> {
  if (!(reason instanceof Error)) return { type: typeof reason, message: String(reason).slice(0, 200) };
  return {
    name: reason.name,
    message: reason.message.slice(0, 300),
    stack: (reason.stack ?? '')
      .split('\n')
      .slice(1, 8)
      .map((l) => l.trim()),
  };
}
