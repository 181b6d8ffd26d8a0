import type Redis from 'ioredis';
import type { PonteConfig, SessionConfig } from './config/schema';
import { ProcessGuard } from './sessions/process-guard';
import { SessionManager } from './sessions/manager';
import { defaultDaemonId, SessionLeases } from './sessions/lease';
import { Fleet } from './sessions/fleet';
import { storageIdentity } from './sessions/storage-identity';
import { LeaseStore } from './store/lease-store';
import { adminFleetRoutes } from './http/admin-fleet-routes';
import { createEngine, engineContext, type EngineContext } from './engines/factory';
import type { EngineSession } from './engines/types';
import { SimulatorEngine } from './engines/simulator/simulator-engine';
import { buildApp } from './http/app';
import { adminSessionRoutes } from './http/admin-session-routes';
import { notConfiguredRoutes } from './http/not-configured-routes';
import { adminQrRoutes, adminUiRoutes } from './http/admin-ui';
import type { RunningServer } from './http/server';
import { simulatorRoutes } from './http/simulator-routes';
import { createLogger, moduleLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { startTracing } from './observability/tracing-setup';
import { EmbeddedRedis } from './store/embedded-redis';
import { connectRedis, redisReady } from './store/redis';
import { Keys } from './store/keys';
import { ENGINE_SOURCES } from './wiring/engine-sources';
import { serveHttp } from './wiring/http';
import { wireRelays, type IntakeStatus, type Relays } from './wiring/relays';
import { SessionDirectory } from './sessions/directory';
import { wireRuntimeSessions, type RuntimeWiring } from './wiring/runtime-sessions';
import { VERSION } from './version';
import { within } from './core/timeout';
import { settled } from './core/settled';

export interface Daemon {
  config: PonteConfig;
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  sessions: SessionManager;
  http: RunningServer;
  relay?: Relays;
  /** Every session's settings now, the file's and those added at run time. */
  directory: SessionDirectory;
  runtime: RuntimeWiring;
  stop(): Promise<void>;
}

export interface DaemonOptions {
  /** Builds a session's engine (tests: the real adapters over fake WhatsApp Web pages); default createEngine. */
  createEngine?: (session: SessionConfig, ctx: EngineContext) => EngineSession;
}

/** Builds and starts the daemon from a validated config. Wiring only: behaviour lives in the modules. */
export async function startDaemon(config: PonteConfig, rootLogger?: Logger, options: DaemonOptions = {}): Promise<Daemon> {
  const logger = rootLogger ?? createLogger(config.log);
  const log = moduleLogger(logger, 'main');
  const metrics = createMetrics({ version: VERSION });
  const cleanup: Array<() => Promise<void>> = [];
  const tracing = startTracing(config.tracing, { version: VERSION });
  // Last on the way down: the spans of the shutdown itself leave too.
  if (tracing) cleanup.push(() => tracing.shutdown());
  try {
    let redisUrl = config.redis.url;
    if (redisUrl === 'embedded') {
      const embedded = new EmbeddedRedis({
        dataDir: config.redis.dataDir,
        binary: config.redis.binary,
        appendfsync: config.redis.appendfsync,
        logger: moduleLogger(logger, 'embedded-redis'),
      });
      redisUrl = await embedded.start();
      cleanup.unshift(() => embedded.stop());
    }
    const redis = connectRedis(redisUrl, moduleLogger(logger, 'redis'), { keyPrefix: undefined });
    redis.on('ready', () => metrics.redisUp.set(1));
    redis.on('close', () => metrics.redisUp.set(0));
    await redis.connect();
    cleanup.unshift(async () => {
      // QUIT lets Redis answer what is in flight; with Redis gone it would wait for reconnects (up to 5 s each).
      const quit = redis.status === 'ready' ? await settledWithin(redis.quit(), 1000) : 'late';
      if (quit !== 'done') redis.disconnect();
    });

    const keys = new Keys(config.redis.keyPrefix);
    // An embedded redis-server is private to this daemon: no other daemon can share its sessions.
    const leased = config.redis.url !== 'embedded';
    // Links Ponte hands out (files for flows) use http.publicUrl, else the address it listens on.
    let listening = '';
    const publicUrl = () => config.http.publicUrl ?? listening;
    const pairingHint = (id: string) => `open ${publicUrl()}/admin/ui, or run: ponte sessions pair ${id}`;
    const sessions = new SessionManager(moduleLogger(logger, 'sessions'), metrics, undefined, {
      watchdog: config.watchdog,
      leased,
      pairingHint,
    });
    // Before any engine loads: whatever the engines, a library's stray failure never ends the daemon.
    const guard = new ProcessGuard({ sessions, logger: moduleLogger(logger, 'process-guard'), engineSources: ENGINE_SOURCES });
    guard.install();
    cleanup.push(() => settled(() => guard.uninstall()));
    const directory = new SessionDirectory(config.sessions);
    const relay = config.chatwoot ? wireRelays(config, redis, redisUrl, keys, sessions, metrics, logger, publicUrl, directory) : undefined;
    for (const s of config.sessions) {
      const ctx = engineContext(s, {
        browser: config.browser,
        sessionsDir: config.sessionStore.dir,
        pairingTimeoutMs: config.sessionStore.pairingTimeoutMs,
        logger: moduleLogger(logger, 'engine', { session: s.id }),
      });
      sessions.add((options.createEngine ?? createEngine)(s, ctx), (id, event) => relay?.onEngineEvent(id, event), {
        calls: s.calls,
        memoryLimitMB: s.memoryLimitMB,
        dataDir: ctx.dataDir,
      });
    }
    const leaseRef: { current?: SessionLeases } = {};
    const fleetRef: { current?: Fleet } = {};
    const runtime = wireRuntimeSessions({
      config,
      redis,
      sessions,
      directory,
      logger,
      onEngineEvent: (id, event) => relay?.onEngineEvent(id, event),
      leases: () => leaseRef.current,
      chatwoot: relay?.inbound.client,
    });
    await runtime.load();

    const app = buildApp({
      logger: moduleLogger(logger, 'http'),
      adminToken: config.http.adminToken,
      metrics,
      notReadyReasons: () => [
        ...(redisReady(redis) ? [] : [`redis is ${redis.status}`]),
        ...sessions.connecting().map((id) => `session ${id} is still CONNECTING`),
      ],
      // A realtime socket that is down does not make Ponte unready: the poll covers it (README, realtime).
      readyDetails: relay ? () => readyIntake(relay.intakeStatus()) : undefined,
      beforeScrape: async () => relay?.refreshGauges(),
      publicRoutes: relay?.publicRoutes,
      uiRoutes: [adminUiRoutes()],
      admin: [
        ...runtime.adminRoutes,
        adminSessionRoutes(sessions, config.sessionStore.defaultCountry, async (id) => ({
          inboxId: directory.get(id)?.inboxId,
          source: directory.source(id),
          ...(relay ? await relay.activity(id) : {}),
        })),
        adminQrRoutes(sessions),
        adminFleetRoutes(sessions, () => fleetRef.current),
        ...(relay?.adminRoutes ?? []),
        simulatorRoutes((id) => {
          const e = sessions.get(id);
          return e instanceof SimulatorEngine ? e : undefined;
        }),
        notConfiguredRoutes({
          chatwoot: Boolean(relay),
          typebot: Boolean(config.typebot && relay),
          registration: Boolean(config.registration && relay),
        }),
      ],
    });
    const http = await serveHttp(config, app, redisUrl, relay, metrics, logger);
    cleanup.unshift(() => http.close(config.shutdownTimeoutMs));
    runtime.follow(http.front);
    listening = `http://${config.http.host === '0.0.0.0' ? '127.0.0.1' : config.http.host}:${http.port}`;
    log.info({ port: http.port, host: config.http.host, sessions: sessions.ids().length, version: VERSION }, 'ponte listening');

    relay?.start();
    await sessions.startAll();
    const leaseStore = new LeaseStore(redis, keys);
    const leases = leased
      ? new SessionLeases({
          store: leaseStore,
          daemonId: config.lease.daemonId ?? defaultDaemonId(http.port),
          ttlMs: config.lease.ttlMs,
          maxSessions: config.fleet.maxSessions || undefined,
          storage: storageIdentity(config.sessionStore.dir),
          url: publicUrl,
          holder: sessions,
          logger: moduleLogger(logger, 'leases'),
          metrics,
        })
      : undefined;
    if (!leased && config.fleet.maxSessions)
      log.warn(
        { maxSessions: config.fleet.maxSessions },
        'fleet.maxSessions is ignored with the embedded Redis: no other daemon can share the sessions',
      );
    leaseRef.current = leases;
    if (leased) fleetRef.current = new Fleet({ store: leaseStore, ttlMs: config.lease.ttlMs, logger: moduleLogger(logger, 'fleet') });
    await leases?.start(sessions.ids());
    runtime.start();
    // Order on the way down: no new HTTP work (cleanup[0], the HTTP server), no run-time session changes,
    // drain relays (bounded), close sessions, give their leases back (another daemon may start them at
    // once), then Redis.
    cleanup.splice(
      1,
      0,
      () =>
        settled(() => {
          runtime.stop();
          leases?.close();
        }),
      async () => {
        if (!relay) return;
        // The drain is bounded by the timeout; a catch-up sweep stuck on an unreachable Redis is not waited for.
        const stopping = relay.stop(config.shutdownTimeoutMs);
        const outcome = await settledWithin(stopping, config.shutdownTimeoutMs + 1000);
        if (outcome === 'failed') await stopping; // logged by the loop below
        if (outcome === 'late')
          log.warn(
            { waitedMs: config.shutdownTimeoutMs + 1000 },
            'the relays did not stop in time (Redis unreachable?); going on without them',
          );
      },
      () => sessions.stopAll(),
      async () => leases?.stop(),
    );

    let stopped: Promise<void> | undefined;
    const stop = () =>
      (stopped ??= (async () => {
        log.info('shutting down');
        for (const step of cleanup) await step().catch((err) => log.error({ err }, 'shutdown step failed'));
        log.info('stopped');
      })());
    return { config, logger, metrics, redis, sessions, http, relay, directory, runtime, stop };
  } catch (err) {
    for (const step of cleanup) await step().catch(() => undefined);
    throw err;
  }
}

/** How `p` settled within `ms`; 'late' leaves it running (a later failure is swallowed). */
async function settledWithin(p: Promise<unknown>, ms: number): Promise<'done' | 'failed' | 'late'> {
  const settled = p.then(
    () => 'done' as const,
    () => 'failed' as const,
  );
  return (await within(settled, ms)) ?? 'late';
}

/** /readyz's view of the Chatwoot intake: its state, and a warning while the realtime socket is not subscribed. */
function readyIntake(intake: IntakeStatus): Record<string, unknown> {
  const rt = intake.realtime;
  if (!rt || rt.state === 'subscribed') return { intake };
  const slowest = Math.max(0, ...Object.values(intake.pollIntervalMs));
  const why = rt.lastError ? ` (${rt.lastError})` : '';
  return {
    intake,
    warnings: [
      `chatwoot realtime socket is ${rt.state} since ${rt.since}${why}; agent messages come by polling meanwhile (current interval ${slowest} ms)`,
    ],
  };
}
