import pino from 'pino';
import { validate } from '../../src/config/load';
import { startDaemon, type Daemon } from '../../src/main';
import { SimulatorEngine } from '../../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../../src/engines/simulator/simulator-customer';
import { ChatwootFake } from '../fakes/chatwoot';
import type { ActionCableFake, ActionCableFakeOptions } from '../fakes/actioncable';
import type { ChatwootFakeOptions, MessageView } from '../fakes/chatwoot/types';
import { startRedisServer, type TestRedis } from './redis-server';
import { tempDir } from './temp';
import { waitFor } from './wait';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const WEBHOOK_SECRET = 'test-webhook-secret-abcdef';

export interface Harness {
  redis: TestRedis;
  chatwoot: ChatwootFake;
  /** Chatwoot's /cable (ActionCable) on the fake's server, with `cable` in the options. */
  cable?: ActionCableFake;
  daemon: Daemon;
  sim(session?: string): SimulatorEngine;
  /** Injects like `POST /admin/simulator/:session/inbound` would (same validation). */
  inject(body: Record<string, unknown>, session?: string): string;
  restart(): Promise<void>;
  stop(): Promise<void>;
  /** http://127.0.0.1:<port> of the daemon (changes after restart). */
  url(): string;
  /** A sample of the daemon's /metrics (over HTTP), 0 when the series does not exist yet. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  /** The Chatwoot messages created for a WhatsApp id (source_id WAID:<id>). */
  messagesFor(waId: string): MessageView[];
  /** Waits until the WhatsApp id has a Chatwoot message and returns it. */
  waitMessage(waId: string, timeoutMs?: number): Promise<MessageView>;
}

export interface HarnessOptions {
  /** false: Chatwoot does not call Ponte's webhook (default: it does, signed). */
  webhook?: boolean;
  fake?: ChatwootFakeOptions;
  /** Serve Chatwoot's realtime websocket (/cable) from the fake. */
  cable?: boolean | Omit<ActionCableFakeOptions, 'authorize'>;
  /** Merged into the chatwoot section (e.g. `{ intake: 'websocket' }`; the status conversation is off unless `{ statusConversation: true }`). */
  chatwoot?: Record<string, unknown>;
  /**
   * Chatwoot's FRONTEND_URL when Ponte cannot reach it (docker compose): the fake names it in its links,
   * Ponte gets it as chatwoot.baseUrl and the fake's real address as chatwoot.internalUrl.
   */
  chatwootPublicUrl?: string;
  session?: Record<string, unknown>;
  config?: Record<string, unknown>;
  redis?: TestRedis;
  /** The daemon's root logger (default: silent, or TEST_LOG_LEVEL). */
  logger?: pino.Logger;
}

/** Daemon in-process on a real redis-server, talking to the strict Chatwoot fake over real HTTP. */
export async function startRelayHarness(options: HarnessOptions = {}): Promise<Harness> {
  const redis = options.redis ?? (await startRedisServer());
  const chatwoot = new ChatwootFake({ inboxes: [{ id: 1 }], frontendUrl: options.chatwootPublicUrl, ...options.fake });
  const cable = options.cable ? chatwoot.cable(options.cable === true ? {} : options.cable) : undefined;
  const cwUrl = await chatwoot.start();
  const config = validate(
    {
      http: { port: 0, host: '127.0.0.1', adminToken: ADMIN_TOKEN },
      redis: { url: redis.url, dataDir: tempDir('ponte-harness-') },
      sessionStore: { dir: tempDir('ponte-sessions-') },
      log: { level: 'silent' },
      sessions: [
        {
          id: 'main',
          engine: 'simulator',
          inboxId: 1,
          simulator: { ackIntervalMs: 50 },
          pacing: { minGapMs: 0, jitterMs: 0, typing: false },
          ...options.session,
        },
      ],
      chatwoot: {
        ...(options.chatwootPublicUrl ? { baseUrl: options.chatwootPublicUrl, internalUrl: cwUrl } : { baseUrl: cwUrl }),
        accountId: 1,
        apiToken: chatwoot.apiToken,
        webhookSecret: WEBHOOK_SECRET,
        timeoutMs: 2000,
        statusConversation: false,
        ...options.chatwoot,
      },
      queue: { baseDelayMs: 20, maxDelayMs: 200 },
      catchup: { minIntervalMs: 200, maxIntervalMs: 1000 },
      shutdownTimeoutMs: 3000,
      ...options.config,
    },
    'test',
  );
  const logger = options.logger ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const h: Harness = {
    redis,
    chatwoot,
    cable,
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
      pointWebhook();
    },
    async stop() {
      await h.daemon.stop();
      await chatwoot.stop();
      if (!options.redis) await redis.stop();
    },
    url() {
      return `http://127.0.0.1:${h.daemon.http.port}`;
    },
    async metric(name, labels = {}) {
      const text = await (await fetch(`${h.url()}/metrics`)).text();
      return metricValue(text, name, labels);
    },
    messagesFor(waId) {
      return chatwoot.messages().filter((m) => m.source_id === `WAID:${waId}`);
    },
    async waitMessage(waId, timeoutMs = 10_000) {
      return waitFor(() => h.messagesFor(waId)[0], timeoutMs, 20, `a Chatwoot message for ${waId}`);
    },
  };
  // The daemon's port is known only once it listens (and changes on restart): point Chatwoot at it.
  function pointWebhook(): void {
    if (options.webhook !== false) chatwoot.setWebhook({ url: `${h.url()}/webhooks/chatwoot`, secret: WEBHOOK_SECRET });
  }
  pointWebhook();
  // Every test starts from a connected phone unless it asked for one that must be paired first.
  const paired = !(options.session as { simulator?: { requireQr?: boolean } } | undefined)?.simulator?.requireQr;
  if (paired) await waitFor(() => h.sim().state() === 'CONNECTED', 10_000, 25, 'the simulated phone connected');
  return h;
}

/** The sum of the samples of `name` in Prometheus text format whose labels include `labels`. */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const got: Record<string, string> = {};
    for (const pair of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) got[pair[1]] = pair[2];
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum += Number(m[3]);
  }
  return sum;
}
