import type Redis from 'ioredis';
import type { Router } from 'express';
import type { PonteConfig } from '../config/schema';
import type { SessionManager } from '../core/session-manager';
import type { EngineEvent } from '../engines/types';
import type { CallOutcome } from '../core/call-policy';
import type { CallEvent } from '../core/messages';
import { adminDlqRoutes } from '../http/admin-dlq-routes';
import type { Keys } from '../store/keys';
import { moduleLogger, type Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import { wireInbound, type RelayParts } from './inbound';
import { wireOutbound, type OutboundParts } from './outbound';
import { wireBots, type BotParts } from './bots';
import type { RealtimeStatus } from '../chatwoot/realtime/realtime-intake';

export interface Relays {
  inbound: RelayParts;
  outbound: OutboundParts;
  bots?: BotParts;
  /** The inbound relay's promise of the event being persisted (EngineEventSink), for the simulator route. */
  onEngineEvent(session: string, event: EngineEvent): void | Promise<boolean>;
  publicRoutes: Router[];
  adminRoutes: Router[];
  start(): void;
  refreshGauges(): Promise<void>;
  /** How agent messages come in, for /readyz: the intake mode, the realtime socket, the poll intervals. */
  intakeStatus(): IntakeStatus;
  /** Stops timers and lets the lanes reach a safe point within `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

export interface IntakeStatus {
  mode: 'webhook' | 'websocket' | 'poll';
  realtime?: RealtimeStatus;
  /** Current interval of the poll, per session. */
  pollIntervalMs: Record<string, number>;
}

/** Both directions between the sessions and Chatwoot. */
export function wireRelays(config: PonteConfig, redis: Redis, redisUrl: string, keys: Keys, sessions: SessionManager, metrics: Metrics, logger: Logger, publicUrl: () => string): Relays {
  const cw = config.chatwoot!;
  const inbound = wireInbound(config, redis, redisUrl, keys, sessions, metrics, logger);
  const outbound = wireOutbound(config, redis, redisUrl, inbound, sessions, metrics, logger);
  const bots = config.sessions.some((s) => s.bot) ? wireBots(config, redis, redisUrl, inbound, outbound, sessions, metrics, logger, publicUrl) : undefined;
  const lanes: Array<{ name: string; depth(): Promise<number>; close(ms: number): Promise<void>; replay(id: string): Promise<boolean> }> = [inbound.inboundLanes, outbound.outboundLanes, ...(bots ? [bots.lanes] : []), ...(bots?.registration ? [bots.registration.lanes] : [])];
  const timers = [...inbound.catchupTimers.values(), ...outbound.catchupTimers.values()];
  sessions.on('connected', (id: string) => outbound.catchupTimers.get(id)?.trigger());
  sessions.on('call', (id: string, call: CallEvent, outcome: CallOutcome) => inbound.inbound.ingestCall(id, call, outcome));
  return {
    inbound,
    outbound,
    bots,
    onEngineEvent(session, event) {
      if (event.type !== 'ack') return inbound.inbound.ingest(session, event);
      outbound.acks.handle(session, event.ack);
      return undefined;
    },
    // Chatwoot's webhook is answered by the front thread (wiring/http.ts), not here.
    publicRoutes: bots?.publicRoutes ?? [],
    adminRoutes: [adminDlqRoutes(inbound.deadLetters, lanes), ...(bots?.adminRoutes ?? [])],
    start() {
      inbound.inbound.start();
      outbound.outbound.start();
      bots?.runner.start();
      bots?.startSweeps();
      for (const t of timers) t.start();
      outbound.realtime?.start();
    },
    async refreshGauges() {
      for (const l of lanes) {
        metrics.queueDepth.labels(l.name).set(await l.depth());
        metrics.dlqSize.labels(l.name).set(await inbound.deadLetters.size(l.name));
      }
    },
    intakeStatus() {
      return {
        mode: cw.intake,
        ...(outbound.realtime ? { realtime: outbound.realtime.status() } : {}),
        pollIntervalMs: Object.fromEntries([...outbound.catchupTimers].map(([id, poll]) => [id, poll.currentInterval()])),
      };
    },
    async stop(graceMs) {
      await outbound.realtime?.stop();
      for (const t of timers) await t.stop();
      inbound.inbound.stopFlushing();
      outbound.acks.stop();
      bots?.stop();
      await Promise.all(lanes.map((l) => l.close(graceMs)));
    },
  };
}
