import { chatwootEndpoints } from '../chatwoot/endpoints';
import type Redis from 'ioredis';
import type { PonteConfig } from '../config/schema';
import { AdaptiveTimer } from '../core/adaptive-timer';
import { ChatIdentities } from '../from-whatsapp/chat-identity';
import { FromWhatsAppCatchup } from '../from-whatsapp/catch-up';
import { FromWhatsAppRelay, journeyOfInbound, type FromWhatsAppJob, type InboundSessionSettings } from '../from-whatsapp/relay';
import { Journeys } from '../store/journeys';
import type { SessionManager } from '../sessions/manager';
import { ChatwootClient } from '../chatwoot/client';
import { ConversationResolver } from '../chatwoot/conversation-resolver';
import { ChatwootDestination } from '../chatwoot/whatsapp-destination';
import { DeadLetters } from '../queue/dead-letters';
import { Lanes } from '../queue/lanes';
import { lanePolicy } from './lane-policy';
import { observeLaneWait } from './lane-wait';
import { IdMap } from '../store/id-map';
import type { Keys } from '../store/keys';
import { PendingSends } from '../store/pending-sends';
import { LidCache } from '../store/lid-cache';
import { WhatsAppCatchupMarks } from '../store/whatsapp-catchup-marks';
import { ConversationCache } from '../store/conversation-cache';
import { Pacer } from '../from-agents/pacer';
import { WhatsAppSender } from '../from-agents/sender';
import { moduleLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { ChatTarget } from '../core/ports';
import type { RemoteMessage } from '../core/messages';
import { laneOwnedHere, ownedHere } from '../sessions/ownership';
import type { SessionDirectory } from '../sessions/directory';
import { RelayCounter } from '../store/relay-counter';
import { FileSlots } from '../queue/file-slots';

export interface RelayParts {
  keys: Keys;
  idMap: IdMap;
  pending: PendingSends;
  deadLetters: DeadLetters;
  client: ChatwootClient;
  resolver: ConversationResolver;
  inbound: FromWhatsAppRelay;
  inboundLanes: Lanes<FromWhatsAppJob>;
  catchupTimers: Map<string, AdaptiveTimer>;
  /** Messages relayed per session and minute, both directions (the admin page). */
  counter: RelayCounter;
  /** The catch-up timer of a session with an inbox (sessions added at run time get theirs from here). */
  catchupTimerFor(id: string): AdaptiveTimer;
  /** Every send as Ponte (agents and bots) goes through it: one pacing per number. */
  sender: WhatsAppSender;
  destination: ChatwootDestination;
  /** Set later by the bot wiring: incoming one-to-one messages go to the session's bot too. */
  hooks: { botIntake?: (target: ChatTarget, message: RemoteMessage) => Promise<void> };
  /** Files held in memory at once by this daemon, both directions (queue.filesInFlight). */
  files: FileSlots;
  /** Every message's timeline, both directions (journeys: ponte messages show / find). */
  journeys: Journeys;
}

/** WhatsApp -> Chatwoot: lanes, relay, catch-up per session. */
export function wireFromWhatsApp(
  config: PonteConfig,
  redis: Redis,
  redisUrl: string,
  keys: Keys,
  sessions: SessionManager,
  metrics: Metrics,
  logger: Logger,
  directory: SessionDirectory,
): RelayParts {
  const cw = config.chatwoot!;
  const idMap = new IdMap(redis, keys, { retentionDays: config.redis.idMapRetentionDays });
  const pending = new PendingSends(redis, keys);
  const deadLetters = new DeadLetters(redis, keys);
  const journeys = new Journeys(redis, keys, config.journeys, moduleLogger(logger, 'journeys'));
  // Looked up at every use: a session changed at run time paces and times out with its new settings.
  const sender = new WhatsAppSender(pending, new Pacer((id) => directory.get(id)!.pacing), {
    idMap,
    deadlineMs: (id) => directory.get(id)?.sendTimeoutMs ?? 60_000,
    logger: moduleLogger(logger, 'sender'),
  });
  const client = new ChatwootClient({
    ...chatwootEndpoints(cw),
    accountId: cw.accountId,
    apiToken: cw.apiToken,
    timeoutMs: cw.timeoutMs,
    metrics,
  });
  const resolver = new ConversationResolver(client, new ConversationCache(redis, keys), metrics, moduleLogger(logger, 'conversations'));
  const policy = lanePolicy(config.queue);
  const inboundLanes = new Lanes<FromWhatsAppJob>({
    name: 'inbound',
    redis,
    redisUrl,
    keys,
    deadLetters,
    policy,
    logger: moduleLogger(logger, 'queue', { queue: 'inbound' }),
    events: {
      onRetry: () => metrics.retries.labels('inbound').inc(),
      onWait: observeLaneWait(metrics, 'inbound'),
      drainsHere: laneOwnedHere(sessions),
      onDeadLetter: () => metrics.messagesRelayed.labels('inbound', 'any', 'dead_letter').inc(),
      journey: { log: journeys, of: journeyOfInbound },
    },
  });
  const settings = (id: string): InboundSessionSettings | undefined => {
    const s = directory.get(id);
    return s?.inboxId
      ? { inboxId: s.inboxId, groups: s.groups, ownMessages: s.ownMessages, reopen: s.reopen, maxMediaMB: s.maxMediaMB }
      : undefined;
  };
  const counter = new RelayCounter(redis, keys, moduleLogger(logger, 'relay-counter'));
  const catchup = new FromWhatsAppCatchup({
    marks: new WhatsAppCatchupMarks(redis, keys),
    idMap,
    enqueue: (job) => inbound.enqueue(job),
    logger: moduleLogger(logger, 'catchup'),
    lookbackMinutes: config.catchup.lookbackMinutes,
  });
  const destination = new ChatwootDestination(client, resolver);
  const hooks: RelayParts['hooks'] = {};
  const files = new FileSlots(config.queue.filesInFlight);
  const inbound: FromWhatsAppRelay = new FromWhatsAppRelay({
    owns: ownedHere(sessions),
    lanes: inboundLanes,
    idMap,
    pending,
    identities: new ChatIdentities(new LidCache(redis, keys), moduleLogger(logger, 'identities')),
    destination,
    botIntake: async (target, message) => hooks.botIntake?.(target, message),
    engine: (id) => sessions.get(id),
    settings,
    metrics,
    logger: moduleLogger(logger, 'inbound'),
    onRelayed: (session, chatId, ts) => {
      catchup.seen(session, chatId, ts);
      counter.count(session, 'inbound');
    },
    files,
    journey: journeys,
  });
  const catchupTimers = new Map<string, AdaptiveTimer>();
  const catchupTimerFor = (id: string) =>
    new AdaptiveTimer(
      async () => {
        const engine = sessions.get(id);
        return engine ? catchup.sweep(id, engine) : 0;
      },
      config.catchup.minIntervalMs,
      config.catchup.maxIntervalMs,
      (err) => logger.warn({ err, session: id, module: 'catchup' }, 'catch-up failed'),
    );
  for (const s of directory.all()) if (s.inboxId) catchupTimers.set(s.id, catchupTimerFor(s.id));
  sessions.on('connected', (id: string) => catchupTimers.get(id)?.trigger());
  return {
    keys,
    idMap,
    pending,
    deadLetters,
    client,
    resolver,
    inbound,
    inboundLanes,
    catchupTimers,
    catchupTimerFor,
    counter,
    sender,
    destination,
    hooks,
    files,
    journeys,
  };
}
