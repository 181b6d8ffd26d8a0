import path from 'node:path';
import type { BrowserConfig, SessionConfig } from '../config/schema';
import type { Logger } from '../observability/logger';
import { SimulatorEngine } from './simulator/simulator-engine';
import type { EngineSession } from './types';
import { UnavailableEngine } from './unavailable-engine';

/** What every engine gets besides its session's own settings. */
export interface EngineContext {
  browser: BrowserConfig;
  /** This session's own data directory (its WhatsApp login lives there). */
  dataDir: string;
  pairingTimeoutMs: number;
  logger: Logger;
}

export function engineContext(
  session: SessionConfig,
  base: { browser: BrowserConfig; sessionsDir: string; pairingTimeoutMs: number; logger: Logger },
): EngineContext {
  return {
    browser: base.browser,
    dataDir: path.resolve(base.sessionsDir, session.id),
    pairingTimeoutMs: base.pairingTimeoutMs,
    logger: base.logger,
  };
}

/**
 * The session's engine. One that cannot be built (its library missing or broken, an adapter refusing
 * its settings) becomes an UnavailableEngine: that session shows BAD_CREDENTIALS with the error, and
 * the daemon and the other sessions start normally.
 */
export function createEngine(session: SessionConfig, ctx: EngineContext): EngineSession {
  try {
    return buildEngine(session, ctx);
  } catch (err) {
    ctx.logger.error({ err, session: session.id, engine: session.engine }, 'engine could not be built');
    return new UnavailableEngine(session.id, session.engine, err);
  }
}

function buildEngine(session: SessionConfig, ctx: EngineContext): EngineSession {
  switch (session.engine) {
    case 'simulator':
      return new SimulatorEngine(session.id, session.simulator, { dataDir: ctx.dataDir });
    case 'wppconnect': {
      // Loaded on demand: the browser libraries are heavy and a simulator-only daemon never needs them.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously on demand, see above
      const { WppconnectEngine } = require('./wppconnect/wppconnect-engine') as typeof import('./wppconnect/wppconnect-engine');
      return new WppconnectEngine(session, ctx);
    }
    case 'wwebjs': {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded synchronously on demand, see above
      const { WwebjsEngine } = require('./wwebjs/wwebjs-engine') as typeof import('./wwebjs/wwebjs-engine');
      return new WwebjsEngine(session, ctx);
    }
  }
}
