import type Redis from 'ioredis';
import type { PonteConfig } from './config/schema';
import { SessionManager } from './core/session-manager';
import { createEngine } from './engines/factory';
import { SimulatorEngine } from './engines/simulator/simulator-engine';
import { buildApp } from './http/app';
import { adminSessionRoutes } from './http/admin-session-routes';
import { listen, type RunningServer } from './http/server';
import { simulatorRoutes } from './http/simulator-routes';
import { createLogger, moduleLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { EmbeddedRedis } from './store/embedded-redis';
import { connectRedis, redisReady } from './store/redis';
import { Keys } from './store/keys';
import { wireRelays, type Relays } from './wiring/relays';
import { VERSION } from './version';

export interface Daemon {
  config: PonteConfig;
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  sessions: SessionManager;
  http: RunningServer;
  relay?: Relays;
  stop(): Promise<void>;
}

/** Builds and starts the daemon from a validated config. Wiring only: behaviour lives in the modules. */
export async function startDaemon(config: PonteConfig, rootLogger?: Logger): Promise<Daemon> {
  const logger = rootLogger ?? createLogger(config.log);
  const log = moduleLogger(logger, 'main');
  const metrics = createMetrics({ version: VERSION });
  const cleanup: Array<() => Promise<void>> = [];
  try {
    let redisUrl = config.redis.url;
    if (redisUrl === 'embedded') {
      const embedded = new EmbeddedRedis({ dataDir: config.redis.dataDir, binary: config.redis.binary, logger: moduleLogger(logger, 'embedded-redis') });
      redisUrl = await embedded.start();
      cleanup.unshift(() => embedded.stop());
    }
    const redis = connectRedis(redisUrl, moduleLogger(logger, 'redis'), { keyPrefix: undefined });
    redis.on('ready', () => metrics.redisUp.set(1));
    redis.on('close', () => metrics.redisUp.set(0));
    await redis.connect();
    cleanup.unshift(async () => {
      await redis.quit().catch(() => redis.disconnect());
    });

    const keys = new Keys(config.redis.keyPrefix);
    const sessions = new SessionManager(moduleLogger(logger, 'sessions'), metrics);
    const relay = config.chatwoot ? wireRelays(config, redis, redisUrl, keys, sessions, metrics, logger) : undefined;
    for (const s of config.sessions) {
      sessions.add(createEngine(s), (id, event) => relay?.onEngineEvent(id, event));
    }

    const app = buildApp({
      logger: moduleLogger(logger, 'http'),
      adminToken: config.http.adminToken,
      metrics,
      notReadyReasons: () => [
        ...(redisReady(redis) ? [] : [`redis is ${redis.status}`]),
        ...sessions.connecting().map((id) => `session ${id} is still CONNECTING`),
      ],
      beforeScrape: async () => relay?.refreshGauges(),
      publicRoutes: relay?.publicRoutes,
      admin: [
        adminSessionRoutes(sessions),
        ...(relay?.adminRoutes ?? []),
        simulatorRoutes((id) => {
          const e = sessions.get(id);
          return e instanceof SimulatorEngine ? e : undefined;
        }),
      ],
    });
    const http = await listen(app, config.http.port, config.http.host);
    cleanup.unshift(() => http.close(config.shutdownTimeoutMs));
    log.info({ port: http.port, host: config.http.host, sessions: sessions.ids().length, version: VERSION }, 'ponte listening');

    relay?.start();
    await sessions.startAll();
    // Order on the way down: no new HTTP work, drain relays (bounded), close sessions, then Redis.
    cleanup.splice(
      1,
      0,
      async () => relay?.stop(config.shutdownTimeoutMs),
      () => sessions.stopAll(),
    );

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        log.info('shutting down');
        for (const step of cleanup) await step().catch((err) => log.error({ err }, 'shutdown step failed'));
        log.info('stopped');
      })());
    return { config, logger, metrics, redis, sessions, http, relay, stop };
  } catch (err) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw err;
  }
}
