import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { SESSION_STATES } from '../core/session-states';

export const METRIC_PREFIX = 'ponte_';

/**
 * The whole metrics catalogue of the daemon, on its own registry (tests build several daemons in one
 * process). Labels are bounded: never a phone number, chat id or message id.
 */
export function createMetrics(build: { version: string }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  const r = [registry];

  const buildInfo = new Gauge({
    name: 'ponte_build_info',
    help: 'Always 1; labels carry the running version and Node.js version',
    labelNames: ['version', 'node'] as const,
    registers: r,
  });
  buildInfo.labels(build.version, process.version).set(1);

  const metrics = {
    registry,
    sessionState: new Gauge({
      name: 'ponte_session_state',
      help: 'Session state: 1 for the state the session is in, 0 for the others',
      labelNames: ['session', 'state'] as const,
      registers: r,
    }),
    sessionReconnects: new Counter({
      name: 'ponte_session_reconnects_total',
      help: 'Automatic reconnect attempts of a session',
      labelNames: ['session'] as const,
      registers: r,
    }),
    sessionMemory: new Gauge({
      name: 'ponte_session_memory_bytes',
      help: "Memory of a session's browser: PSS summed over Chromium and all its child processes, sampled by the watchdog (0 while no browser runs)",
      labelNames: ['session'] as const,
      registers: r,
    }),
    sessionRestarts: new Counter({
      name: 'ponte_session_restarts_total',
      help: "Session restarts, by reason (hung: the page stopped answering; crashed: the browser is gone; memory: above memoryLimitMB; library_error: the engine's library failed outside any call, caught by the process guard)",
      labelNames: ['session', 'reason'] as const,
      registers: r,
    }),
    leaseOwned: new Gauge({
      name: 'ponte_session_lease_owned',
      help: "1 while this daemon holds the session's lease and runs it, 0 while another daemon (or none) holds it; absent with embedded Redis, where no other daemon can share the sessions",
      labelNames: ['session'] as const,
      registers: r,
    }),
    leaseAcquired: new Counter({
      name: 'ponte_session_lease_acquired_total',
      help: "Times this daemon took a session's lease (at start, or taking over from a daemon that stopped renewing it)",
      labelNames: ['session'] as const,
      registers: r,
    }),
    leaseLost: new Counter({
      name: 'ponte_session_lease_lost_total',
      help: "Times this daemon lost a session's lease it held (renewal refused or Redis unreachable for too long) and stopped the session",
      labelNames: ['session'] as const,
      registers: r,
    }),
    calls: new Counter({
      name: 'ponte_calls_total',
      help: 'Incoming WhatsApp calls, by reason (rejected: declined automatically; allowed: calls.reject is off; failed: the rejection or the reply failed)',
      labelNames: ['session', 'reason'] as const,
      registers: r,
    }),
    redisUp: new Gauge({
      name: 'ponte_redis_up',
      help: '1 while the Redis connection is ready, 0 otherwise',
      registers: r,
    }),
    messagesRelayed: new Counter({
      name: 'ponte_messages_relayed_total',
      help: 'Messages relayed, by direction (inbound = WhatsApp to Chatwoot, outbound = Chatwoot to WhatsApp), kind and outcome (ok; dead_letter, counted with kind any)',
      labelNames: ['direction', 'kind', 'outcome'] as const,
      registers: r,
    }),
    relayLatency: new Histogram({
      name: 'ponte_relay_latency_seconds',
      help: 'Time from the event reaching Ponte to the other side accepting it',
      labelNames: ['direction'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: r,
    }),
    laneWait: new Histogram({
      name: 'ponte_lane_wait_seconds',
      help: "Time a message waited in its chat's lane, from being persisted to its first attempt, by queue (inbound, outbound, bot) and session: long waits mean busy workers, a slow chat ahead of it or a session running elsewhere",
      labelNames: ['queue', 'session'] as const,
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers: r,
    }),
    queueDepth: new Gauge({
      name: 'ponte_queue_depth',
      help: 'Events persisted and waiting to be relayed, by queue',
      labelNames: ['queue'] as const,
      registers: r,
    }),
    dlqSize: new Gauge({
      name: 'ponte_dlq_size',
      help: 'Entries in the dead-letter list, by queue',
      labelNames: ['queue'] as const,
      registers: r,
    }),
    dedupeHits: new Counter({
      name: 'ponte_dedupe_hits_total',
      help: 'Events dropped because they were already relayed, by direction',
      labelNames: ['direction'] as const,
      registers: r,
    }),
    lockWaits: new Counter({
      name: 'ponte_lock_waits_total',
      help: 'Times a worker waited for another to finish creating the same contact/conversation',
      registers: r,
    }),
    retries: new Counter({
      name: 'ponte_relay_retries_total',
      help: 'Relay attempts that failed with a retryable error and were scheduled again, by queue',
      labelNames: ['queue'] as const,
      registers: r,
    }),
    chatwootRequests: new Counter({
      name: 'ponte_chatwoot_requests_total',
      help: 'Chatwoot API calls by endpoint and HTTP status (0 = no answer)',
      labelNames: ['endpoint', 'status'] as const,
      registers: r,
    }),
    catchupRecovered: new Counter({
      name: 'ponte_catchup_recovered_total',
      help: 'Messages found by catch-up that had not been relayed yet, by direction',
      labelNames: ['direction'] as const,
      registers: r,
    }),
    webhookRejected: new Counter({
      name: 'ponte_webhook_rejected_total',
      help: 'Webhook requests refused, by reason (signature, stale, token, missing, malformed)',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    webhookAnswer: new Histogram({
      name: 'ponte_webhook_answer_seconds',
      help: "Time to answer Chatwoot's webhook, from the request to the answer (Chatwoot gives up after 5 s and marks the agent's message failed)",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: r,
    }),
    frontRestarts: new Counter({
      name: 'ponte_http_front_restarts_total',
      help: 'Restarts of the front thread, which owns the HTTP port and answers Chatwoot webhooks: it stopped, and the port was closed until it came back',
      registers: r,
    }),
    ignored: new Counter({
      name: 'ponte_events_ignored_total',
      help: 'Events deliberately not relayed, by reason (group, own_message, private_note, ...)',
      labelNames: ['reason'] as const,
      registers: r,
    }),
    realtimeConnected: new Gauge({
      name: 'ponte_chatwoot_realtime_connected',
      help: "1 while subscribed to Chatwoot's realtime websocket (chatwoot.intake: websocket), 0 while it is down and polling covers (always 0 with the other intake modes)",
      registers: r,
    }),
    realtimeReconnects: new Counter({
      name: 'ponte_chatwoot_realtime_reconnects_total',
      help: 'Reconnects of the Chatwoot realtime websocket scheduled after a drop, a silent connection or a refused attempt',
      registers: r,
    }),
    realtimeEvents: new Counter({
      name: 'ponte_chatwoot_realtime_events_total',
      help: 'Agent events (replies, deletions, typing) queued from the Chatwoot realtime websocket',
      registers: r,
    }),
    mediaServed: new Counter({
      name: 'ponte_media_served_total',
      help: 'Requests for /media links (files users sent to a flow), by outcome (ok, refused: bad or expired link, gone)',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    typebotRequests: new Counter({
      name: 'ponte_typebot_requests_total',
      help: 'Typebot API calls by endpoint (startChat, continueChat, results) and outcome (ok, gone: 404 session, error)',
      labelNames: ['endpoint', 'outcome'] as const,
      registers: r,
    }),
    typebotDuration: new Histogram({
      name: 'ponte_typebot_request_duration_seconds',
      help: 'Duration of Typebot API calls, by endpoint',
      labelNames: ['endpoint'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: r,
    }),
    botFlows: new Counter({
      name: 'ponte_bot_flows_total',
      help: 'Bot flows by event: started, completed (flow end), handoff_keyword, handoff_agent, handoff_error, expired, restarted, resumed',
      labelNames: ['bot', 'event'] as const,
      registers: r,
    }),
    botMessages: new Counter({
      name: 'ponte_bot_messages_total',
      help: 'Bot traffic by direction: in (user answers sent to the flow), out (bubbles sent to WhatsApp), rejected (answers Ponte refused with a hint)',
      labelNames: ['bot', 'direction'] as const,
      registers: r,
    }),
    registrations: new Counter({
      name: 'ponte_registrations_total',
      help: 'Driver registrations by outcome: received, invalid (driver asked to fix), delivered, rejected (backend 4xx), failed (retries exhausted)',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    backendRequests: new Counter({
      name: 'ponte_backend_requests_total',
      help: 'Registration deliveries to the backend by outcome (ok, rejected: 4xx, error: 5xx, timeout or network)',
      labelNames: ['outcome'] as const,
      registers: r,
    }),
    backendDuration: new Histogram({
      name: 'ponte_backend_request_duration_seconds',
      help: 'Duration of registration deliveries to the backend',
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: r,
    }),
  };
  return metrics;
}

export type Metrics = ReturnType<typeof createMetrics>;

export function setSessionState(metrics: Metrics, session: string, state: string): void {
  for (const s of SESSION_STATES) metrics.sessionState.labels(session, s).set(s === state ? 1 : 0);
}

/** Drops a session's state series: another daemon runs it and reports its state (no false "down" alert here). */
export function clearSessionState(metrics: Metrics, session: string): void {
  for (const s of SESSION_STATES) metrics.sessionState.remove(session, s);
}
