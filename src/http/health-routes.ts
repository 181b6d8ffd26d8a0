import { Router } from 'express';
import type { Metrics } from '../observability/metrics';

export interface HealthDeps {
  metrics: Metrics;
  /** Reasons the daemon is not ready yet; empty when ready. */
  notReadyReasons: () => Promise<string[]> | string[];
  /**
   * State shown in /readyz's JSON next to the verdict (e.g. how agent messages come in); never decides
   * readiness. `warnings` in it are things worth a look that the daemon copes with.
   */
  readyDetails?: () => Record<string, unknown> | undefined;
  /** Refreshes gauges computed on scrape (queue depth, DLQ size). */
  beforeScrape?: () => Promise<void>;
}

export function healthRoutes(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    // The pid tells an operator (and a supervisor) which process answers on this port.
    res.json({ status: 'ok', pid: process.pid, uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res) => {
    const reasons = await deps.notReadyReasons();
    res.status(reasons.length ? 503 : 200).json({ status: reasons.length ? 'not_ready' : 'ready', reasons, ...deps.readyDetails?.() });
  });
  router.get('/metrics', async (_req, res) => {
    await deps.beforeScrape?.().catch(() => undefined);
    res.set('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  return router;
}
