import type Redis from 'ioredis';
import type { Router } from 'express';
import type { PonteConfig, RegistrationConfig } from '../config/schema';
import type { Language } from '../core/catalog';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import { adminRegistrationRoutes } from '../http/admin-registration-routes';
import { registrationFileHosts } from '../config/file-hosts';
import { downloadFile } from '../guarded-fetch/download';
import { registrationHookRoutes } from '../http/registration-hook-routes';
import { registrationDecisionRoutes } from '../http/registration-decision-routes';
import type { DeadLetters } from '../queue/dead-letters';
import { Lanes } from '../queue/lanes';
import { BackendClient } from '../registration/backend-client';
import { RegistrationDesk } from '../registration/desk';
import { RegistrationDecisions } from '../registration/decisions';
import { requeueStranded } from '../registration/stranded';
import { RegistrationForwarder, type RegistrationJob } from '../registration/forwarder';
import type { BotStateStore } from '../store/bot-state';
import type { Keys } from '../store/keys';
import type { MediaStore } from '../store/media-store';
import { RegistrationStore } from '../store/registrations';
import { TypebotResultsClient } from '../typebot/results-client';
import { moduleLogger, type Logger } from '../observability/logger';
import { typebotCallMetrics } from './typebot-metrics';
import { phoneId } from '../core/whatsapp-ids';
import type { Metrics } from '../observability/metrics';

export interface RegistrationParts {
  desk: RegistrationDesk;
  forwarder: RegistrationForwarder;
  store: RegistrationStore;
  lanes: Lanes<RegistrationJob>;
  publicRoutes: Router[];
  adminRoutes: Router[];
  start(): void;
}

export interface RegistrationNeeds {
  media: MediaStore;
  conversations: HelpdeskConversations;
  state: BotStateStore;
  tell: (target: ChatTarget, text: string) => Promise<void>;
  language: Language;
}

/** Completed registration flows: the desk (validation, corrections) and the forwarder to the backend. */
export function wireRegistration(
  config: PonteConfig,
  reg: RegistrationConfig,
  redis: Redis,
  redisUrl: string,
  keys: Keys,
  deadLetters: DeadLetters,
  needs: RegistrationNeeds,
  metrics: Metrics,
  logger: Logger,
): RegistrationParts {
  const store = new RegistrationStore(redis, keys);
  const log = moduleLogger(logger, 'registration');
  const q = config.queue;
  // Retried for retryHours whatever the attempt count: a backend down for a night still gets it.
  const lanes = new Lanes<RegistrationJob>({
    name: 'registration',
    redis,
    redisUrl,
    keys,
    deadLetters,
    policy: { concurrency: 4, maxAttempts: 100_000, baseMs: q.baseDelayMs, maxMs: q.maxDelayMs, maxAgeMs: reg.retryHours * 3600_000 },
    logger: moduleLogger(logger, 'queue', { queue: 'registration' }),
    events: {
      onRetry: () => metrics.retries.labels('registration').inc(),
      onDeadLetter: (reason, job) =>
        void forwarder.failed(job.id, reason).catch((err) => log.error({ err }, 'could not record a failed registration')),
    },
  });
  const results = reg.resultsApi
    ? new TypebotResultsClient({
        baseUrl: reg.resultsApi.baseUrl,
        apiToken: reg.resultsApi.token,
        timeoutMs: 15_000,
        onCall: typebotCallMetrics(metrics),
      })
    : undefined;
  const settings = {
    bot: reg.bot,
    fields: reg.fields,
    fileFields: reg.fileFields,
    maxFileMB: reg.maxFileMB,
    fileHosts: registrationFileHosts(config),
  };
  const desk = new RegistrationDesk({
    store,
    media: needs.media,
    results,
    conversations: needs.conversations,
    tell: needs.tell,
    download: (url, max, opts) => downloadFile(url, max, opts),
    forward: async (id) => {
      await lanes.push(id, { id });
    },
    settings,
    language: needs.language,
    metrics,
    logger: log,
  });
  const decisions = new RegistrationDecisions({
    store,
    conversations: needs.conversations,
    tell: needs.tell,
    desk,
    forward: (id) => lanes.push(id, { id }).then(() => undefined),
    fields: reg.fields,
    fileFields: reg.fileFields,
    language: needs.language,
    logger: log,
  });
  // Declared after the lanes, whose dead-letter hook uses it only once they run.
  const forwarder = new RegistrationForwarder({
    store,
    media: needs.media,
    backend: new BackendClient({
      endpoint: reg.endpoint,
      secret: reg.secret,
      timeoutMs: reg.timeoutMs,
      onCall: (outcome, seconds) => {
        metrics.backendRequests.labels(outcome === 'ok' ? 'ok' : outcome === 'rejected' ? 'rejected' : 'error').inc();
        metrics.backendDuration.observe(seconds);
      },
    }),
    conversations: needs.conversations,
    tell: needs.tell,
    draftOf: (rec) => desk.draftOf(rec),
    fields: reg.fields,
    fileFields: reg.fileFields,
    keepFilesMs: reg.keepFilesHours * 3600_000,
    language: needs.language,
    metrics,
    logger: log,
    settle: (rec) => decisions.settle(rec),
  });
  const take = async (body: { fields: Record<string, string>; fileUrls: Record<string, string[]>; resultId?: string }) => {
    const session =
      body.fields.session && config.sessions.some((s) => s.id === body.fields.session)
        ? body.fields.session
        : (config.sessions.find((s) => s.bot === reg.bot)?.id ?? config.sessions[0]?.id ?? 'main');
    const digits = (body.fields[reg.fields.phone] ?? body.fields.phone ?? '').replace(/\D/g, '');
    const chatKey = digits ? phoneId(digits) : undefined;
    const st = chatKey ? await needs.state.get(session, chatKey) : undefined;
    const human = chatKey ? await needs.state.human(session, chatKey) : undefined;
    const variables = { ...body.fields, ...Object.fromEntries(Object.entries(body.fileUrls).map(([k, v]) => [k, v.join(', ')])) };
    return desk.fromHook({
      session,
      target: st?.target ?? human?.target,
      conversationId: st?.conversationId ?? human?.conversationId,
      phone: digits ? `+${digits}` : undefined,
      resultId: body.resultId,
      variables,
    });
  };
  return {
    desk,
    forwarder,
    store,
    lanes,
    publicRoutes: [
      registrationHookRoutes({ secret: reg.secret, token: reg.hookToken, fileFields: reg.fileFields }, take, metrics),
      registrationDecisionRoutes({ secret: reg.secret, token: reg.hookToken }, decisions, metrics),
    ],
    adminRoutes: [
      adminRegistrationRoutes({
        list: (limit, status) => store.list(limit, status),
        get: (id) => store.get(id),
        retry: async (id) => {
          const rec = await store.get(id);
          if (!rec) return 'unknown';
          if (rec.status === 'delivered' || rec.status === 'fixing') return rec.status;
          rec.status = 'queued';
          delete rec.error;
          await store.save(rec);
          await lanes.push(id, { id });
          return 'queued';
        },
      }),
    ],
    start() {
      lanes.start((job) => forwarder.deliver(job));
      void requeueStranded(store, lanes, log).catch((err: Error) =>
        log.error({ err: { message: err.message } }, 'could not look for stranded registrations; they go on when their flow ends again'),
      );
    },
  };
}
