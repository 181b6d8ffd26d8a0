import { chatwootEndpoints } from '../chatwoot/endpoints';
import type Redis from 'ioredis';
import type { PonteConfig } from '../config/schema';
import { AckRelay } from '../from-agents/acks';
import { FromAgentsCatchup } from '../from-agents/catch-up';
import { FromAgentsPoll } from '../from-agents/poll';
import { FromAgentsRelay, journeyOfOutbound, type FromAgentsJob } from '../from-agents/relay';
import type { SessionManager } from '../sessions/manager';
import { ChatwootAgentMessageSource } from '../chatwoot/agent-message-source';
import { ChatwootConversations } from '../chatwoot/helpdesk-conversations';
import { cableUrlFor } from '../chatwoot/realtime/frames';
import { ChatwootRealtime } from '../chatwoot/realtime/realtime-intake';
import { Lanes } from '../queue/lanes';
import { lanePolicy } from './lane-policy';
import { observeLaneWait } from './lane-wait';
import type { RealtimeSink } from '../chatwoot/realtime/realtime-intake';
import { moduleLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { RelayParts } from './from-whatsapp';
import type { AgentEvent, AgentMessage } from '../core/agent-messages';
import { laneOwnedHere, ownedHere } from '../sessions/ownership';
import { FromAgentsIntake, OUTBOUND_QUEUE } from '../from-agents/intake';
import { pushToLane } from '../queue/lane-push';
import { DeliveryClaims } from '../store/delivery-claims';
import type { SessionDirectory } from '../sessions/directory';
import { AgentCatchupMarks } from '../store/agent-catchup-marks';
import { NumberBookStore } from '../store/number-book-store';
import { PartCursors } from '../store/part-cursors';
import { StatusUpdatesFlag } from '../store/status-updates-flag';

export interface AgentMessageParts {
  outbound: FromAgentsRelay;
  outboundLanes: Lanes<FromAgentsJob>;
  acks: AckRelay;
  /** Where the realtime socket's agent events go (the webhook's are taken in by the front thread). */
  intake: RealtimeSink;
  /** The poll of agent messages per session (its inbox): the intake itself, or the safety net of another. */
  catchupTimers: Map<string, FromAgentsPoll>;
  /** The poll of a session's inbox (sessions added at run time get theirs from here). */
  pollFor(session: string): FromAgentsPoll;
  /** Chatwoot's realtime socket, with `chatwoot.intake: websocket`. */
  realtime?: ChatwootRealtime;
  /** Set later by the bot wiring: an agent's message silences the chat's bot. */
  hooks: {
    onAgentMessage?: (session: string, chatId: string, m: AgentMessage) => Promise<void>;
    onLabels?: (session: string, chatId: string, chatKey: string, added: string[]) => Promise<void>;
    onResolved?: (session: string, chatKey: string, conversationId: number) => Promise<void>;
    /** Set by the status conversation wiring: events of a status conversation are commands. */
    statusConversation?: { owns(event: AgentEvent): boolean; handle(session: string, event: AgentEvent): Promise<void> };
  };
}

/** Chatwoot -> WhatsApp: webhook or realtime intake, lanes per conversation, acks, the poll per inbox. */
export function wireFromAgents(
  config: PonteConfig,
  redis: Redis,
  redisUrl: string,
  relay: RelayParts,
  sessions: SessionManager,
  metrics: Metrics,
  logger: Logger,
  directory: SessionDirectory,
): AgentMessageParts {
  const { keys, idMap, deadLetters, client, sender, journeys } = relay;
  const source = new ChatwootAgentMessageSource(client, new StatusUpdatesFlag(redis, keys), moduleLogger(logger, 'chatwoot-status'));
  const outboundLanes: Lanes<FromAgentsJob> = new Lanes<FromAgentsJob>({
    name: 'outbound',
    redis,
    redisUrl,
    keys,
    deadLetters,
    policy: lanePolicy(config.queue),
    logger: moduleLogger(logger, 'queue', { queue: 'outbound' }),
    events: {
      onRetry: () => metrics.retries.labels('outbound').inc(),
      onWait: observeLaneWait(metrics, 'outbound'),
      drainsHere: laneOwnedHere(sessions),
      journey: { log: journeys, of: journeyOfOutbound },
      onDeadLetter: (reason, job) => {
        metrics.messagesRelayed.labels('outbound', 'any', 'dead_letter').inc();
        // Never silent: the agent sees the failure on the message itself (or as a private note).
        if (job.event.type === 'send') {
          const m = job.event.message;
          void source
            .setStatus({ conversationId: m.conversationId, messageId: m.id }, 'failed', reason)
            .catch((err) => logger.error({ err, module: 'outbound' }, 'could not mark the message failed'));
        }
      },
    },
  });
  const hooks: AgentMessageParts['hooks'] = {};
  const outbound = new FromAgentsRelay({
    files: relay.files,
    journey: journeys,
    pollVia: config.chatwoot!.intake === 'poll' ? 'poll' : 'catch-up',
    owns: ownedHere(sessions),
    lanes: outboundLanes,
    numberBook: new NumberBookStore(redis, keys),
    parts: new PartCursors(redis, keys),
    idMap,
    sender,
    source,
    notes: new ChatwootConversations(client),
    engine: (id) => sessions.get(id),
    sessionForInbox: (inboxId) => directory.forInbox(inboxId),
    onAgentMessage: async (session, chatId, m) => hooks.onAgentMessage?.(session, chatId, m),
    onLabels: async (session, chatId, chatKey, added) => hooks.onLabels?.(session, chatId, chatKey, added),
    onResolved: async (session, chatKey, conversationId) => hooks.onResolved?.(session, chatKey, conversationId),
    settings: (id) => ({
      maxMediaMB: directory.get(id)!.maxMediaMB,
      typingFromAgents: directory.get(id)!.typingFromAgents,
      readFromAgents: directory.get(id)!.readFromAgents,
    }),
    metrics,
    logger: moduleLogger(logger, 'outbound'),
    onRelayed: (session) => relay.counter.count(session, 'outbound'),
    statusConversation: {
      owns: (e) => hooks.statusConversation?.owns(e) ?? false,
      handle: async (session, e) => hooks.statusConversation?.handle(session, e),
    },
  });
  const acks = new AckRelay(idMap, source, moduleLogger(logger, 'acks'), journeys);
  // The same intake as the webhook's (http/front/thread.ts), on this thread's connection and lanes.
  const intake = new FromAgentsIntake({
    push: (lane, job, opts) => pushToLane(redis, keys, OUTBOUND_QUEUE, lane, job, opts),
    deliveries: new DeliveryClaims(keys),
    idMap,
    sessionForInbox: (inboxId) => directory.forInbox(inboxId),
    wake: (lane) => outboundLanes.wakeUp(lane),
    via: 'websocket',
    journey: journeys,
  });
  const cw = config.chatwoot!;
  const catchup = new FromAgentsCatchup({
    marks: new AgentCatchupMarks(redis, keys),
    idMap,
    source,
    enqueue: (e) => outbound.enqueue(e, true),
    logger: moduleLogger(logger, 'catchup'),
    maxAgeHours: cw.outboundMaxAgeHours,
    readsFor: (id) => directory.get(id)?.readFromAgents ?? false,
    onFound: (m) => realtime?.missedBySocket(m.id, m.createdAt),
  });
  let realtime: ChatwootRealtime | undefined;
  const catchupTimers = new Map<string, FromAgentsPoll>();
  const pollFor = (session: string) =>
    new FromAgentsPoll({
      // The inbox is looked up at each sweep: a session changed at run time may have another.
      sweep: async () => {
        const inboxId = directory.get(session)?.inboxId;
        return inboxId ? catchup.sweep(session, inboxId) : 0;
      },
      minMs: config.catchup.minIntervalMs,
      maxMs: config.catchup.maxIntervalMs,
      // With the socket up, the poll is a safety net: one sweep per maxIntervalMs.
      live: () => realtime?.live() ?? false,
      onError: (err) => logger.warn({ err, session, module: 'catchup' }, 'outbound catch-up failed'),
    });
  for (const s of directory.all()) if (s.inboxId) catchupTimers.set(s.id, pollFor(s.id));
  if (cw.intake === 'websocket') {
    const ws = cw.websocket;
    realtime = new ChatwootRealtime({
      client,
      accountId: cw.accountId,
      url: ws.url ?? cableUrlFor(chatwootEndpoints(cw).baseUrl),
      origin: new URL(cw.baseUrl).origin,
      staleAfterMs: ws.staleAfterMs,
      subscribeTimeoutMs: ws.subscribeTimeoutMs,
      reconnect: { baseMs: ws.reconnectMinMs, maxMs: ws.reconnectMaxMs },
      sink: intake,
      inboxMapped: (inboxId) => directory.forInbox(inboxId) !== undefined,
      sweep: async () => {
        const results = await Promise.allSettled([...catchupTimers.values()].map((poll) => poll.sweepNow()));
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) throw failed.reason;
      },
      wake: () => {
        for (const poll of catchupTimers.values()) poll.trigger();
      },
      metrics,
      logger: moduleLogger(logger, 'chatwoot-realtime'),
    });
  }
  return { outbound, outboundLanes, acks, intake, catchupTimers, pollFor, realtime, hooks };
}
