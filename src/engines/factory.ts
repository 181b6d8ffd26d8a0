import type { SessionConfig } from '../config/schema';
import { SimulatorEngine } from './simulator/simulator-engine';
import type { EngineSession } from './types';

export function createEngine(session: SessionConfig): EngineSession {
  switch (session.engine) {
    case 'simulator':
      return new SimulatorEngine(session.id, session.simulator);
  }
}
