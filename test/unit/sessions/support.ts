import { SessionManager, type SessionManagerOptions, type SessionOptions } from '../../../src/sessions/manager';
import { simulatorSchema } from '../../../src/config/schema';
import { SimulatorEngine } from '../../../src/engines/simulator/simulator-engine';
import type { EngineEvent, SessionState } from '../../../src/engines/types';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics, type Metrics } from '../../../src/observability/metrics';
import { waitFor } from '../../helpers';

export interface Rig {
  sm: SessionManager;
  sim: SimulatorEngine;
  metrics: Metrics;
  logs: Array<Record<string, any>>;
  /** Every state the engine reported since the rig was made. */
  states: SessionState[];
  events: EngineEvent[];
  waitState(state: SessionState, timeoutMs?: number): Promise<void>;
  /** A sample of a metric of this rig's registry, 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
}

let seq = 0;

/** A SessionManager with one simulator session, its own metrics and captured logs. */
export function rig(
  options: { manager?: SessionManagerOptions; session?: SessionOptions; simulator?: Record<string, unknown>; id?: string } = {},
): Rig {
  const logs: Array<Record<string, any>> = [];
  const logger = createLogger({ level: 'info', pretty: false }, { write: (s: string) => void logs.push(JSON.parse(s)) });
  const metrics = createMetrics({ version: 'test' });
  const sm = new SessionManager(logger, metrics, { baseMs: 1000, maxMs: 8000 }, options.manager);
  const sim = new SimulatorEngine(options.id ?? `sim-${++seq}`, simulatorSchema.parse({ ackIntervalMs: 10, ...options.simulator }));
  const states: SessionState[] = [];
  const events: EngineEvent[] = [];
  sim.onEvent((e) => {
    if (e.type === 'state') states.push(e.change.state);
  });
  sm.add(sim, (_id, e) => events.push(e), options.session);
  return {
    sm,
    sim,
    metrics,
    logs,
    states,
    events,
    async waitState(state, timeoutMs = 3000) {
      await waitFor(() => sm.status(sim.id)!.state === state, timeoutMs, 5, `session ${sim.id} ${state}`);
    },
    async metric(name, labels = {}) {
      const m = metrics.registry.getSingleMetric(name);
      if (!m) throw new Error(`no metric ${name}`);
      const { values } = await m.get();
      return values.filter((v) => Object.entries(labels).every(([k, want]) => v.labels[k] === want)).reduce((a, v) => a + v.value, 0);
    },
  };
}
