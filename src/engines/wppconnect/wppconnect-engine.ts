import type { SessionConfig } from '../../config/schema';
import type { EngineContext } from '../factory';
import type { EngineSession } from '../types';

/** Placeholder until the adapter lands: refuses to build, so no session pretends to run. */
export const WppconnectEngine = class {
  constructor(session: SessionConfig, _ctx: EngineContext) {
    throw new Error(`session ${session.id}: the wppconnect engine adapter is not built yet`);
  }
} as unknown as new (session: SessionConfig, ctx: EngineContext) => EngineSession;
