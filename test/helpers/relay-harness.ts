import pino from 'pino';
import { validate } from '../../src/config/load';
import { startDaemon, type Daemon } from '../../src/main';
import { SimulatorEngine } from '../../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../../src/engines/simulator/simulator-inbound';
import { ChatwootFake } from '../fakes/chatwoot';
import type { ChatwootFakeOptions } from '../fakes/chatwoot/types';
import { startRedisServer, type TestRedis } from './redis-server';
import { tempDir } from './temp';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const WEBHOOK_SECRET = 'test-webhook-secret-abcdef';

export interface Harness {
  redis: TestRedis;
  chatwoot: ChatwootFake;
  daemon: Daemon;
  sim(session?: string): SimulatorEngine;
  /** Injects like `POST /admin/simulator/:session/inbound` would (same validation). */
  inject(body: Record<string, unknown>, session?: string): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  fake?: ChatwootFakeOptions;
  session?: Record<string, unknown>;
  config?: Record<string, unknown>;
  redis?: TestRedis;
}

/** Daemon in-process on a real redis-server, talking to the strict Chatwoot fake over real HTTP. */
export async function startRelayHarness(options: HarnessOptions = {}): Promise<Harness> {
  const redis = options.redis ?? (await startRedisServer());
  const chatwoot = new ChatwootFake({ inboxes: [{ id: 1 }], ...options.fake });
  const cwUrl = await chatwoot.start();
  const config = validate(
    {
      http: { port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN },
      redis: { url: redis.url, dataDir: tempDir('ponte-harness-') },
      log: { level: 'silent' },
      sessions: [{ id: 'main', engine: 'simulator', inboxId: 1, simulator: { ackIntervalMs: 50 }, ...options.session }],
      chatwoot: { baseUrl: cwUrl, accountId: 1, apiToken: chatwoot.apiToken, webhookSecret: WEBHOOK_SECRET, timeoutMs: 2000 },
      queue: { baseDelayMs: 20, maxDelayMs: 200 },
      catchup: { minIntervalMs: 200, maxIntervalMs: 1000 },
      shutdownTimeoutMs: 3000,
      ...options.config,
    },
    'test',
  );
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const h: Harness = {
    redis,
    chatwoot,
    daemon: await startDaemon(config, logger),
    sim(session = 'main') {
      return h.daemon.sessions.get(session) as SimulatorEngine;
    },
    inject(body, session = 'main') {
      return h.sim(session).inject(inboundSchema.parse(body));
    },
    async restart() {
      await h.daemon.stop();
      h.daemon = await startDaemon(config, logger);
    },
    async stop() {
      await h.daemon.stop();
      await chatwoot.stop();
      if (!options.redis) await redis.stop();
    },
  };
  return h;
}
