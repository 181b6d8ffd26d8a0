import type Redis from 'ioredis';
import type { Router } from 'express';
import type { PonteConfig } from '../config/schema';
import { RuntimeSessionStore } from '../store/runtime-sessions';
import { Keys } from '../store/keys';
import { RuntimeSessions, type InboxCreator } from '../sessions/runtime-sessions';
import type { SessionDirectory } from '../sessions/directory';
import type { SessionLeases } from '../sessions/lease';
import type { SessionManager } from '../sessions/manager';
import type { ChatwootClient } from '../chatwoot/client';
import type { EngineEvent } from '../engines/types';
import { adminRuntimeSessionRoutes } from '../http/admin-runtime-session-routes';
import type { FrontDoor } from '../http/front/front-door';
import { moduleLogger, type Logger } from '../observability/logger';
import { sessionRunner } from './session-runner';

export interface RuntimeWiring {
  runtime: RuntimeSessions;
  adminRoutes: Router[];
  /** Builds the sessions stored in Redis (after the file's, before the daemon starts them). */
  load(): Promise<void>;
  /** Keeps the front thread's inboxes and secrets in line with the sessions. */
  follow(front: FrontDoor | undefined): void;
  /** With leases, follows what other daemons sharing the Redis add, change and remove. */
  start(): void;
  stop(): void;
}

export interface RuntimeWiringDeps {
  config: PonteConfig;
  redis: Redis;
  sessions: SessionManager;
  directory: SessionDirectory;
  logger: Logger;
  onEngineEvent: (session: string, event: EngineEvent) => unknown;
  leases: () => SessionLeases | undefined;
  /** The Chatwoot client (with the chatwoot section): new sessions may get their inbox created. */
  chatwoot?: ChatwootClient;
}

/** How often a daemon sharing its Redis looks for sessions another daemon added, changed or removed. */
const RECONCILE_MS = 5000;

/** Sessions added, changed and removed while the daemon runs (core/runtime-sessions.ts), wired in. */
export function wireRuntimeSessions(deps: RuntimeWiringDeps): RuntimeWiring {
  const { config, directory, sessions } = deps;
  const logger = moduleLogger(deps.logger, 'runtime-sessions');
  const runner = sessionRunner({ config, sessions, logger: deps.logger, onEngineEvent: deps.onEngineEvent, leases: deps.leases });
  const runtime = new RuntimeSessions({
    store: new RuntimeSessionStore(deps.redis, new Keys(config.redis.keyPrefix)),
    directory,
    runner,
    config,
    inboxes: deps.chatwoot ? chatwootInboxes(deps.chatwoot, config) : undefined,
    logger,
  });
  let timer: NodeJS.Timeout | undefined;
  return {
    runtime,
    adminRoutes: [adminRuntimeSessionRoutes(runtime, sessions)],
    async load() {
      for (const s of await runtime.load()) {
        directory.put(s, 'runtime');
        runner.add(s);
      }
    },
    follow(front) {
      if (!front) return;
      const sync = () => front.setInboxes(directory.inboxes(), directory.inboxSecrets());
      for (const event of ['added', 'changed', 'removed']) directory.on(event, sync);
      sync();
    },
    start() {
      if (!deps.leases()) return;
      const tick = () => {
        runtime
          .reconcile()
          .catch((err: unknown) => logger.warn({ err }, 'could not follow the sessions other daemons changed'))
          .finally(() => {
            if (timer) timer = setTimeout(tick, RECONCILE_MS).unref();
          });
      };
      timer = setTimeout(tick, RECONCILE_MS).unref();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** The inbox of a new session: an API channel whose webhook is this Ponte's `http.publicUrl`. */
function chatwootInboxes(client: ChatwootClient, config: PonteConfig): InboxCreator {
  return {
    async create(name) {
      const base = config.http.publicUrl;
      if (!base) throw new Error('http.publicUrl is not set: Chatwoot needs the address it reaches this Ponte at for the inbox webhook');
      const token = config.chatwoot?.webhookToken;
      // Chatwoot before 4.13 does not sign: the URL token authenticates its webhooks instead.
      const webhookUrl = `${base.replace(/\/$/, '')}/webhooks/chatwoot${token ? `?token=${encodeURIComponent(token)}` : ''}`;
      const inbox = await client.createInbox(name, webhookUrl);
      return { id: inbox.id, secret: inbox.secret ?? undefined, webhookUrl: webhookUrl.replace(/\?token=.*/, '?token=[redacted]') };
    },
  };
}
