import type Redis from 'ioredis';
import type { Router } from 'express';
import type { PonteConfig } from '../config/schema';
import type { SessionManager } from '../sessions/manager';
import type { EngineEvent } from '../engines/types';
import { within } from '../core/timeout';
import { adminDlqRoutes } from '../http/admin-dlq-routes';
import { adminMessageRoutes } from '../http/admin-message-routes';
import type { Keys } from '../store/keys';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { wireFromWhatsApp, type RelayParts } from './from-whatsapp';
import { wireFromAgents, type AgentMessageParts } from './from-agents';
import { wireBots, type BotParts } from './bots';
import type { RealtimeStatus } from '../chatwoot/realtime/realtime-intake';
import type { SessionConfig } from '../config/schema';
import type { SessionDirectory } from '../sessions/directory';
import type { StatusDesk } from '../sessions/status-desk';
import { wireStatusConversation } from './status-conversation';
import { relayEngineEvents } from './engine-events';

export interface Relays {
  inbound: RelayParts;
  outbound: AgentMessageParts;
  bots?: BotParts;
  /** Each inbox's status conversation (chatwoot.statusConversation). */
  status?: StatusDesk;
  /** Engine events after the session manager's routes (wiring/engine-events.ts); the from-whatsapp relay's promise of the persist comes back (EngineEventSink), for the simulator route. */
  onEngineEvent(session: string, event: EngineEvent): void | Promise<boolean>;
  publicRoutes: Router[];
  adminRoutes: Router[];
  start(): void;
  refreshGauges(): Promise<void>;
  /** How agent messages come in, for /readyz: the intake mode, the realtime socket, the poll intervals. */
  intakeStatus(): IntakeStatus;
  /** Per session, for the admin page: messages relayed in the last hour and dead letters waiting. */
  activity(session: string): Promise<SessionActivity>;
  /** Stops timers and lets the lanes reach a safe point within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export interface SessionActivity {
  relayedLastHour: { inbound: number; outbound: number };
  deadLetters: number;
}

export interface IntakeStatus {
  mode: 'webhook' | 'websocket' | 'poll';
  realtime?: RealtimeStatus;
  /** Current interval of the poll, per session. */
  pollIntervalMs: Record<string, number>;
}

const ACTIVITY_CACHE_MS = 3000;

/** Both directions between the sessions and Chatwoot. */
export function wireRelays(
  config: PonteConfig,
  redis: Redis,
  redisUrl: string,
  keys: Keys,
  sessions: SessionManager,
  metrics: Metrics,
  logger: Logger,
  publicUrl: () => string,
  directory: SessionDirectory,
): Relays {
  const cw = config.chatwoot!;
  const inbound = wireFromWhatsApp(config, redis, redisUrl, keys, sessions, metrics, logger, directory);
  const outbound = wireFromAgents(config, redis, redisUrl, inbound, sessions, metrics, logger, directory);
  // With Typebot configured a session added at run time may name a bot, so the bots are wired either way.
  const bots = config.typebot
    ? wireBots(config, redis, redisUrl, inbound, outbound, sessions, metrics, logger, publicUrl, directory)
    : undefined;
  const lanes: Array<{ name: string; depth(): Promise<number>; close(ms: number): Promise<void>; replay(id: string): Promise<boolean> }> = [
    inbound.inboundLanes,
    outbound.outboundLanes,
    ...(bots ? [bots.lanes] : []),
    ...(bots?.registration ? [bots.registration.lanes] : []),
  ];
  const status = cw.statusConversation ? wireStatusConversation(config, redis, inbound, outbound, sessions, directory, logger) : undefined;
  let deadCache: { at: number; bySession: Map<string, number> } | undefined;
  const timers = () => [...inbound.catchupTimers.values(), ...outbound.catchupTimers.values()];
  let started = false;
  // A session added or changed at run time gets its catch-up timers; a removed one loses them.
  const follow = (s: SessionConfig) => {
    const has = inbound.catchupTimers.has(s.id);
    if (s.inboxId && !has) {
      const pair = [inbound.catchupTimerFor(s.id), outbound.pollFor(s.id)] as const;
      inbound.catchupTimers.set(s.id, pair[0]);
      outbound.catchupTimers.set(s.id, pair[1]);
      if (started) pair.forEach((t) => t.start());
    } else if (!s.inboxId && has) void unfollow(s);
  };
  const unfollow = async (s: SessionConfig) => {
    const list = [inbound.catchupTimers.get(s.id), outbound.catchupTimers.get(s.id)];
    inbound.catchupTimers.delete(s.id);
    outbound.catchupTimers.delete(s.id);
    for (const t of list) await t?.stop();
  };
  directory.on('added', follow);
  directory.on('changed', follow);
  directory.on('removed', (s: SessionConfig) => void unfollow(s));
  sessions.on('connected', (id: string) => outbound.catchupTimers.get(id)?.trigger());
  const onEngineEvent = relayEngineEvents(sessions, inbound.inbound, outbound.acks);
  return {
    inbound,
    outbound,
    bots,
    status,
    onEngineEvent,
    // Chatwoot's webhook is answered by the front thread (wiring/http.ts), not here.
    publicRoutes: bots?.publicRoutes ?? [],
    adminRoutes: [adminDlqRoutes(inbound.deadLetters, lanes), adminMessageRoutes(inbound.journeys), ...(bots?.adminRoutes ?? [])],
    start() {
      inbound.inbound.start();
      outbound.outbound.start();
      bots?.runner.start();
      bots?.startSweeps();
      started = true;
      inbound.counter.start();
      for (const t of timers()) t.start();
      outbound.realtime?.start();
    },
    async refreshGauges() {
      for (const l of lanes) {
        metrics.queueDepth.labels(l.name).set(await l.depth());
        metrics.dlqSize.labels(l.name).set(await inbound.deadLetters.size(l.name));
      }
    },
    async activity(session) {
      // The page polls every second: the dead letters are read once per few seconds, not per poll.
      if (!deadCache || Date.now() - deadCache.at > ACTIVITY_CACHE_MS) {
        const all = (await Promise.all(lanes.map((l) => inbound.deadLetters.list(l.name)))).flat();
        const bySession = new Map<string, number>();
        for (const d of all) {
          const owner = d.lane.slice(0, d.lane.indexOf('|'));
          bySession.set(owner, (bySession.get(owner) ?? 0) + 1);
        }
        deadCache = { at: Date.now(), bySession };
      }
      return { relayedLastHour: await inbound.counter.lastHour(session), deadLetters: deadCache.bySession.get(session) ?? 0 };
    },
    intakeStatus() {
      return {
        mode: cw.intake,
        ...(outbound.realtime ? { realtime: outbound.realtime.status() } : {}),
        pollIntervalMs: Object.fromEntries([...outbound.catchupTimers].map(([id, poll]) => [id, poll.currentInterval()])),
      };
    },
    async stop(graceMs) {
      const deadline = Date.now() + graceMs;
      // Last writes (counts, a catch-up sweep under way) get the grace at most: with Redis unreachable they
      // would wait for reconnects, and the lanes must still be closed.
      await beforeDeadline(
        (async () => {
          await outbound.realtime?.stop();
          started = false;
          await inbound.counter.stop();
          for (const t of timers()) await t.stop();
        })(),
        deadline,
      );
      started = false;
      inbound.inbound.stopFlushing();
      outbound.acks.stop();
      bots?.stop();
      await Promise.all(lanes.map((l) => l.close(Math.max(0, deadline - Date.now()))));
    },
  };
}

/** Waits for `p` until `deadline` (epoch ms) at most; a failure is swallowed (the caller moves on either way). */
async function beforeDeadline(p: Promise<unknown>, deadline: number): Promise<void> {
  await within(
    p.catch(() => undefined),
    Math.max(0, deadline - Date.now()),
  );
}
