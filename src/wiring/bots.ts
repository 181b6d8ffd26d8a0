import type Redis from 'ioredis';
import type { Router } from 'express';
import type { PonteConfig } from '../config/schema';
import { BotRunner, type BotJob, type SessionBot } from '../bots/runner';
import { TurnPlayer } from '../bots/turn-player';
import type { SessionManager } from '../sessions/manager';
import { ChatwootConversations } from '../chatwoot/helpdesk-conversations';
import { adminBotRoutes } from '../http/admin-bot-routes';
import { adminFlowStartRoutes } from '../http/admin-flow-start-routes';
import { FlowStarter } from '../bots/flow-starter';
import { NumberBook } from '../from-agents/number-book';
import { ChatIdentities } from '../from-whatsapp/chat-identity';
import { NumberBookStore } from '../store/number-book-store';
import { LidCache } from '../store/lid-cache';
import { downloadFile } from '../guarded-fetch/download';
import { mediaRoutes } from '../http/media-routes';
import { Lanes } from '../queue/lanes';
import { lanePolicy } from './lane-policy';
import { observeLaneWait } from './lane-wait';
import { BotStateStore } from '../store/bot-state';
import { MediaStore } from '../store/media-store';
import { TypebotClient } from '../typebot/client';
import { typebotCallMetrics } from './typebot-metrics';
import { TypebotFlows } from '../typebot/typebot-flows';
import { moduleLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { RelayParts } from './from-whatsapp';
import type { AgentMessageParts } from './from-agents';
import { wireRegistration, type RegistrationParts } from './registration';
import { laneOwnedHere, ownedHere } from '../sessions/ownership';
import type { SessionDirectory } from '../sessions/directory';
import { isGroupId } from '../core/whatsapp-ids';

export interface BotParts {
  runner: BotRunner;
  lanes: Lanes<BotJob>;
  media: MediaStore;
  conversations: ChatwootConversations;
  registration?: RegistrationParts;
  publicRoutes: Router[];
  adminRoutes: Router[];
  /** Deletes old /media files once an hour. */
  startSweeps(): void;
  stop(): void;
}

/** Typebot flows in the sessions that name a bot, between the two relays. */
export function wireBots(
  config: PonteConfig,
  redis: Redis,
  redisUrl: string,
  relay: RelayParts,
  outbound: AgentMessageParts,
  sessions: SessionManager,
  metrics: Metrics,
  logger: Logger,
  publicUrl: () => string,
  directory: SessionDirectory,
): BotParts {
  const tb = config.typebot;
  const bots = new Map<string, SessionBot>();
  const typebotLog = moduleLogger(logger, 'typebot');
  for (const [name, b] of Object.entries(tb?.bots ?? {})) {
    const client = new TypebotClient({
      baseUrl: b.baseUrl,
      apiToken: b.apiToken,
      timeoutMs: b.timeoutMs,
      retryForMs: b.retryForMs,
      onCall: typebotCallMetrics(metrics),
      onRetry: ({ endpoint, attempt, delayMs, reason }) =>
        typebotLog.warn({ bot: name, endpoint, attempt, delayMs, reason }, 'Typebot call failed; trying again'),
    });
    bots.set(name, {
      name,
      flows: new TypebotFlows({
        client,
        publicId: b.publicId,
        prefilledVariables: b.prefilledVariables,
        language: tb!.language,
        maxWaitMs: b.maxWaitSeconds * 1000,
        logger: moduleLogger(logger, 'typebot', { bot: name }),
      }),
      trigger: b.trigger,
      handoffKeywords: b.handoffKeywords,
      expiryMs: b.expiryMinutes * 60_000,
      debounceMs: b.debounceMs,
    });
  }
  // Looked up at every use: sessions may be added or changed while the daemon runs.
  const botOf = (id: string) => {
    const name = directory.get(id)?.bot;
    return name ? bots.get(name) : undefined;
  };
  const maxMediaBytes = (id: string) => (directory.get(id)?.maxMediaMB ?? 40) * 1024 * 1024;
  const longestExpiryS = Math.max(3600, ...[...bots.values()].map((b) => b.expiryMs / 1000));
  const state = new BotStateStore(redis, relay.keys, Math.ceil(longestExpiryS * 2));
  const media = new MediaStore(redis, relay.keys, {
    dir: config.media.dir,
    publicUrl,
    linkTtlMs: config.media.linkTtlHours * 3600_000,
    retentionMs: config.media.retentionHours * 3600_000,
  });
  const conversations = new ChatwootConversations(relay.client);
  const lanes = new Lanes<BotJob>({
    name: 'bot',
    redis,
    redisUrl,
    keys: relay.keys,
    deadLetters: relay.deadLetters,
    policy: lanePolicy(config.queue),
    logger: moduleLogger(logger, 'queue', { queue: 'bot' }),
    events: {
      onRetry: () => metrics.retries.labels('bot').inc(),
      onWait: observeLaneWait(metrics, 'bot'),
      drainsHere: laneOwnedHere(sessions),
    },
  });
  const player = new TurnPlayer({
    state,
    sender: relay.sender,
    destination: relay.destination,
    idMap: relay.idMap,
    engine: (id) => sessions.get(id),
    download: (url, maxBytes) => downloadFile(url, maxBytes),
    maxMediaBytes,
  });
  const language = tb?.language ?? 'pt';
  const registration = config.registration
    ? wireRegistration(
        config,
        config.registration,
        redis,
        redisUrl,
        relay.keys,
        relay.deadLetters,
        { media, conversations, state, tell: (target, text) => player.say(target, text), language },
        metrics,
        logger,
      )
    : undefined;
  const runner = new BotRunner({
    owns: ownedHere(sessions),
    lanes,
    state,
    idMap: relay.idMap,
    player,
    conversations,
    media,
    engine: (id) => sessions.get(id),
    bot: botOf,
    botNamed: (name) => bots.get(name),
    maxMediaBytes,
    language,
    onFlowEnd: registration?.desk.onFlowEnd,
    interceptor: registration?.desk,
    metrics,
    logger: moduleLogger(logger, 'bots'),
  });
  relay.hooks.botIntake = (target, message) => runner.enqueue(target, message);
  outbound.hooks.onAgentMessage = async (session, chatId, m) => {
    if (!botOf(session)) return;
    const inboxId = m.inboxId;
    await runner.agentReplied(
      { session, inboxId, chatKey: m.chatKey ?? chatId, waChatId: chatId, isGroup: isGroupId(chatId), reopen: 'reuse' },
      m.conversationId,
    );
  };
  const resumeLabel = tb?.resumeLabel ?? 'bot';
  outbound.hooks.onLabels = async (session, _chatId, chatKey, added) => {
    if (botOf(session) && added.includes(resumeLabel)) await runner.resume(session, chatKey);
  };
  outbound.hooks.onResolved = async (session, chatKey, conversationId) => {
    if (botOf(session)) await runner.conversationResolved(session, chatKey, conversationId);
  };
  const starter = new FlowStarter({
    session: (id) => directory.get(id),
    botNamed: (name) => bots.get(name),
    botNames: () => [...bots.keys()],
    engine: (id) => sessions.get(id),
    numbers: new NumberBook(new NumberBookStore(redis, relay.keys)),
    identities: new ChatIdentities(new LidCache(redis, relay.keys), moduleLogger(logger, 'identities')),
    conversationOf: async (target) => (await relay.resolver.resolve(target)).conversationId,
    runner,
    interceptor: registration?.desk,
    logger: moduleLogger(logger, 'bots'),
  });
  let sweeper: NodeJS.Timeout | undefined;
  const log = moduleLogger(logger, 'media');
  return {
    runner,
    lanes,
    media,
    conversations,
    registration,
    publicRoutes: [mediaRoutes(media, metrics), ...(registration?.publicRoutes ?? [])],
    adminRoutes: [
      ...(registration?.adminRoutes ?? []),
      adminBotRoutes({
        list: (s) => state.list(s),
        resume: (s, c) => runner.resume(s, c),
        requestRestart: (s, c) => runner.requestRestart(s, c),
      }),
      adminFlowStartRoutes(starter, config.sessionStore.defaultCountry),
    ],
    startSweeps() {
      registration?.start();
      sweeper = setInterval(() => void media.sweep().catch((err) => log.warn({ err }, 'media sweep failed')), 3600_000);
      sweeper.unref();
    },
    stop() {
      clearInterval(sweeper);
    },
  };
}
