import type { PonteConfig, SessionConfig } from '../config/schema';
import type { SessionLeases } from '../sessions/lease';
import { SessionNotOwnedError, type SessionManager } from '../sessions/manager';
import type { SessionRunner } from '../sessions/runtime-sessions';
import { createEngine, engineContext } from '../engines/factory';
import type { EngineEvent } from '../engines/types';
import { moduleLogger, type Logger } from '../observability/logger';

export interface SessionRunnerDeps {
  config: PonteConfig;
  sessions: SessionManager;
  logger: Logger;
  /** Where the engines' events go (the relays). */
  onEngineEvent: (session: string, event: EngineEvent) => unknown;
  /** The leases, once they exist (only with a Redis shared by several daemons). */
  leases: () => SessionLeases | undefined;
}

/** Builds a session's engine and hands it to the SessionManager, at start and while the daemon runs. */
export function sessionRunner(deps: SessionRunnerDeps): SessionRunner & { add(session: SessionConfig): void } {
  const { config, sessions, logger } = deps;
  const add = (s: SessionConfig) => {
    const ctx = engineContext(s, {
      browser: config.browser,
      sessionsDir: config.sessionStore.dir,
      pairingTimeoutMs: config.sessionStore.pairingTimeoutMs,
      logger: moduleLogger(logger, 'engine', { session: s.id }),
    });
    sessions.add(createEngine(s, ctx), (id, event) => deps.onEngineEvent(id, event), {
      calls: s.calls,
      memoryLimitMB: s.memoryLimitMB,
      dataDir: ctx.dataDir,
    });
  };
  return {
    add,
    async launch(s) {
      add(s);
      const leases = deps.leases();
      // With leases the session starts on whichever daemon takes its lease first, maybe this one.
      if (leases) await leases.add(s.id);
      else await sessions.start(s.id);
    },
    async stop(id, logout) {
      if (!sessions.status(id)) return {};
      let warning: string | undefined;
      try {
        await sessions.remove(id, { logout });
      } catch (err) {
        if (!logout || err instanceof SessionNotOwnedError) throw err;
        // WhatsApp may be unreachable: the number is unlinked on the phone later, the data goes now.
        warning = `the phone could not be unpaired (${(err as Error).message}); unlink "Ponte" on the phone (WhatsApp > Linked devices)`;
        await sessions.remove(id, { logout: false, deleteData: true });
      }
      await deps.leases()?.remove(id);
      return warning ? { warning } : {};
    },
  };
}
