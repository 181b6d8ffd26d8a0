import type { Express } from 'express';
import type { PonteConfig } from '../config/schema';
import { FrontDoor } from '../http/front/front-door';
import { listen, type RunningServer } from '../http/server';
import { moduleLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { reviveSpans } from '../observability/tracing-handover';
import { activeTracing } from '../observability/tracing-setup';
import type { Relays } from './relays';

/**
 * Ponte's HTTP port. With Chatwoot configured, a front thread owns it and answers the webhook itself
 * (http/front/thread.ts); the main thread's app listens on loopback behind it and gets everything else.
 */
export async function serveHttp(
  config: PonteConfig,
  app: Express,
  redisUrl: string,
  relay: Relays | undefined,
  metrics: Metrics,
  logger: Logger,
): Promise<RunningServer> {
  const cw = config.chatwoot;
  if (!cw || !relay) return listen(app, config.http.port, config.http.host);
  const inner = await listen(app, 0, '127.0.0.1');
  const lanes = relay.outbound.outboundLanes;
  const front = await FrontDoor.start(
    {
      port: config.http.port,
      host: config.http.host,
      innerPort: inner.port,
      redisUrl,
      keyPrefix: config.redis.keyPrefix,
      auth: { secret: cw.webhookSecret, token: cw.webhookToken },
      inboxes: config.sessions.flatMap((s) => (s.inboxId ? [[s.inboxId, s.id] as [number, string]] : [])),
      logLevel: logger.level,
      journeys: config.journeys,
      tracing: activeTracing() && { serviceName: config.tracing.serviceName, sampleRatio: config.tracing.sampleRatio },
    },
    {
      onWake: (list) => list.forEach((lane) => lanes.wakeUp(lane)),
      onCount: (counter, labels) => metrics[counter].labels(...labels).inc(),
      onAnswered: (seconds) => seconds.forEach((s) => metrics.webhookAnswer.observe(s)),
      onRestart: () => metrics.frontRestarts.inc(),
      onSpans: (spans) => {
        const tracing = activeTracing();
        tracing?.accept(reviveSpans(spans, tracing.resource));
      },
      logger,
      log: moduleLogger(logger, 'http-front'),
    },
  ).catch(async (err: unknown) => {
    await inner.close(0);
    throw err;
  });
  return {
    server: inner.server,
    port: front.port,
    front,
    // The front first: no new request gets in, and those in flight reach the inner server before it closes.
    close: async (graceMs) => {
      await front.close(graceMs);
      await inner.close(graceMs);
    },
  };
}
