import type Redis from 'ioredis';
import type { PonteConfig } from '../config/schema';
import { AckRelay } from '../core/ack-relay';
import { AdaptiveTimer } from '../core/adaptive-timer';
import { OutboundCatchup } from '../core/outbound-catchup';
import { OutboundRelay, type OutboundJob } from '../core/outbound-relay';
import { Pacer } from '../core/pacer';
import type { SessionManager } from '../core/session-manager';
import { ChatwootOutboundSource } from '../chatwoot/outbound-source';
import { Lanes } from '../queue/lanes';
import type { WebhookIntake } from '../http/webhook-routes';
import { moduleLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { RelayParts } from './inbound';

export interface OutboundParts {
  outbound: OutboundRelay;
  outboundLanes: Lanes<OutboundJob>;
  acks: AckRelay;
  intake: WebhookIntake;
  catchupTimers: Map<string, AdaptiveTimer>;
}

const DELIVERY_TTL_S = 7 * 24 * 3600;

/** Chatwoot -> WhatsApp: webhook intake, lanes per conversation, acks, catch-up per inbox. */
export function wireOutbound(config: PonteConfig, redis: Redis, redisUrl: string, relay: RelayParts, sessions: SessionManager, metrics: Metrics, logger: Logger): OutboundParts {
  const { keys, idMap, pending, deadLetters, client } = relay;
  const source = new ChatwootOutboundSource(client, redis, keys, moduleLogger(logger, 'chatwoot-status'));
  const q = config.queue;
  const byInbox = new Map<number, string>();
  const bySession = new Map(config.sessions.map((s) => [s.id, s]));
  for (const s of config.sessions) if (s.inboxId) byInbox.set(s.inboxId, s.id);
  const outboundLanes: Lanes<OutboundJob> = new Lanes<OutboundJob>(
    'outbound',
    redis,
    redisUrl,
    keys,
    deadLetters,
    { concurrency: q.concurrency, maxAttempts: q.maxAttempts, baseMs: q.baseDelayMs, maxMs: q.maxDelayMs, maxAgeMs: q.maxAgeHours * 3600_000 },
    moduleLogger(logger, 'queue', { queue: 'outbound' }),
    {
      onRetry: () => metrics.retries.labels('outbound').inc(),
      onDeadLetter: (reason, job) => {
        metrics.messagesRelayed.labels('outbound', 'any', 'dead_letter').inc();
        // Never silent: the agent sees the failure on the message itself (or as a private note).
        if (job.event.type === 'send') {
          const m = job.event.message;
          void source.setStatus({ conversationId: m.conversationId, messageId: m.id }, 'failed', reason).catch((err) => logger.error({ err, module: 'outbound' }, 'could not mark the message failed'));
        }
      },
    },
  );
  const outbound = new OutboundRelay({
    lanes: outboundLanes,
    redis,
    keys,
    idMap,
    pending,
    source,
    pacer: new Pacer((id) => bySession.get(id)!.pacing),
    engine: (id) => sessions.get(id),
    sessionForInbox: (inboxId) => byInbox.get(inboxId),
    settings: (id) => ({ maxMediaMB: bySession.get(id)!.maxMediaMB, typingFromAgents: bySession.get(id)!.typingFromAgents }),
    metrics,
    logger: moduleLogger(logger, 'outbound'),
  });
  const acks = new AckRelay(idMap, source, moduleLogger(logger, 'acks'));
  const intake: WebhookIntake = {
    claim: async (list) => {
      const pipe = redis.pipeline();
      for (const k of list) pipe.set(keys.webhookDelivery(k), '1', 'EX', DELIVERY_TTL_S, 'NX');
      const results = (await pipe.exec()) ?? [];
      const fresh = results.every(([err, ok]) => !err && ok === 'OK');
      // A delivery seen before must not leave the other key claimed by this attempt.
      if (!fresh) await Promise.all(list.filter((_, i) => results[i]?.[1] === 'OK').map((k) => redis.del(keys.webhookDelivery(k))));
      return fresh;
    },
    unclaim: async (list) => {
      await redis.del(...list.map((k) => keys.webhookDelivery(k)));
    },
    persist: (event) => outbound.enqueue(event),
  };
  const catchup = new OutboundCatchup({ redis, keys, idMap, source, enqueue: (e) => outbound.enqueue(e, true), logger: moduleLogger(logger, 'catchup'), maxAgeHours: config.chatwoot!.outboundMaxAgeHours });
  const catchupTimers = new Map<string, AdaptiveTimer>();
  for (const [inboxId, session] of byInbox) {
    const timer = new AdaptiveTimer(() => catchup.sweep(session, inboxId), config.catchup.minIntervalMs, config.catchup.maxIntervalMs, (err) =>
      logger.warn({ err, session, module: 'catchup' }, 'outbound catch-up failed'),
    );
    catchupTimers.set(session, timer);
  }
  return { outbound, outboundLanes, acks, intake, catchupTimers };
}
