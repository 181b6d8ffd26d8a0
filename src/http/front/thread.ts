/**
 * The front thread: owns Ponte's HTTP port. It answers Chatwoot's webhook itself (authenticate, persist
 * in Redis, answer) and passes every other request to the main thread. Chatwoot waits 5 s and marks the
 * agent's message failed on a slow answer (PITFALLS.md 16); here the answer never waits behind the main
 * thread's work: relays, browser sessions, media, its garbage collection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { FromAgentsIntake, OUTBOUND_QUEUE } from '../../from-agents/intake';
import { pushToLane } from '../../queue/lane-push';
import { DeliveryClaims } from '../../store/delivery-claims';
import { createLogger, moduleLogger } from '../../observability/logger';
import { inSpan, SpanKind } from '../../observability/tracing';
import { PostingSpanExporter } from '../../observability/tracing-handover';
import { startTracing } from '../../observability/tracing-setup';
import { IdMap } from '../../store/id-map';
import { Journeys } from '../../store/journeys';
import { Keys } from '../../store/keys';
import { connectRedis } from '../../store/redis';
import { listen, type RunningServer } from '../server';
import type { WebhookDeps, WebhookMetrics } from '../webhook-answer';
import type { FrontCounter, FrontSettings, FrontToMain, MainToFront } from './messages';
import { passThrough } from './pass-through';
import { handleWebhook, isWebhook } from './webhook-handler';

const port = parentPort!;
const settings = workerData as FrontSettings;
const post = (m: FrontToMain) => port.postMessage(m);

// Lines go to the main thread, which writes them with its own logger (one stream, one order).
const logger = createLogger({ level: settings.logLevel, pretty: false }, { write: (line: string) => post({ t: 'log', line }) });
const redis = connectRedis(settings.redisUrl, moduleLogger(logger, 'redis', { thread: 'front' }));
const keys = new Keys(settings.keyPrefix);
let inboxes = new Map(settings.inboxes);
// The webhook's span and its lane push start the trace the main thread's send continues (the job carries it).
const tracing =
  settings.tracing && startTracing({ ...settings.tracing }, { exporter: new PostingSpanExporter((spans) => post({ t: 'spans', spans })) });

// Wake-ups of idle lanes leave once per turn of the loop: a burst of webhooks costs one message, not one each.
const toWake = new Set<string>();
function wake(lane: string): void {
  if (!toWake.size) {
    setImmediate(() => {
      post({ t: 'wake', lanes: [...toWake] });
      toWake.clear();
    });
  }
  toWake.add(lane);
}

// Answer times leave about once a second, in one message.
let answeredTimes: number[] = [];
function reportAnswered(): void {
  if (answeredTimes.length) post({ t: 'answered', seconds: answeredTimes });
  answeredTimes = [];
}
setInterval(reportAnswered, 1000).unref();

const counter = (name: FrontCounter) => ({ labels: (...labels: string[]) => ({ inc: () => post({ t: 'count', counter: name, labels }) }) });
const metrics: WebhookMetrics = {
  webhookRejected: counter('webhookRejected'),
  ignored: counter('ignored'),
  dedupeHits: counter('dedupeHits'),
};

const intake = new FromAgentsIntake({
  push: (lane, job, opts) => pushToLane(redis, keys, OUTBOUND_QUEUE, lane, job, opts),
  deliveries: new DeliveryClaims(keys),
  idMap: new IdMap(redis, keys),
  sessionForInbox: (id) => inboxes.get(id),
  wake,
  via: 'webhook',
  journey: settings.journeys && new Journeys(redis, keys, settings.journeys, moduleLogger(logger, 'journeys', { thread: 'front' })),
});
const webhook: WebhookDeps = { auth: settings.auth, intake, metrics, logger: moduleLogger(logger, 'webhooks') };
const onward = passThrough(settings.innerPort, moduleLogger(logger, 'http', { thread: 'front' }));
const handler = (req: IncomingMessage, res: ServerResponse) => (isWebhook(req) ? void tracedWebhook(req, res) : onward(req, res));

function tracedWebhook(req: IncomingMessage, res: ServerResponse): Promise<void> {
  return inSpan(
    'chatwoot.webhook',
    {},
    async (span) => {
      await handleWebhook(req, res, webhook, (s) => answeredTimes.push(s));
      span.setAttribute('http.response.status_code', res.statusCode);
    },
    { kind: SpanKind.SERVER },
  );
}

let running: RunningServer | undefined;
port.on('message', (m: MainToFront) => {
  if (m.t === 'inboxes') {
    inboxes = new Map(m.inboxes);
    webhook.auth = { ...webhook.auth, inboxSecrets: m.inboxSecrets };
    return;
  }
  if (m.t !== 'close') return;
  void (async () => {
    await running?.close(m.graceMs);
    reportAnswered();
    await tracing?.shutdown();
    await redis.quit().catch(() => redis.disconnect());
    post({ t: 'closed' });
    port.close();
  })();
});

// Connected before the first webhook, so it does not wait for a TCP connect; ioredis retries on its own.
void redis.connect().catch(() => undefined);
listen(handler, settings.port, settings.host).then(
  (server) => {
    running = server;
    post({ t: 'listening', port: server.port });
  },
  (err: NodeJS.ErrnoException) => {
    post({ t: 'listen-failed', code: err.code, message: err.message });
    redis.disconnect();
    port.close();
  },
);
