import type { WebhookAuthSettings } from '../../chatwoot/webhook-verify';
import type { JourneySettings } from '../../store/journeys';
import type { SpanRecord } from '../../observability/tracing-handover';

/** What the front thread needs to answer Chatwoot's webhook on its own. Plain data: it crosses threads. */
export interface FrontSettings {
  port: number;
  host: string;
  /** The main thread's own server, on loopback: every request but the webhook goes there. */
  innerPort: number;
  redisUrl: string;
  keyPrefix: string;
  auth: WebhookAuthSettings;
  /** Chatwoot inbox id -> session id. */
  inboxes: Array<[number, string]>;
  logLevel: string;
  /** Each agent message taken in by the webhook starts its journey here (store/journeys.ts). */
  journeys?: JourneySettings;
  /** Set while the main thread traces: the thread's spans come back to it (`spans`) to leave with its own. */
  tracing?: { serviceName: string; sampleRatio: number };
}

/** The webhook counters the front thread moves (they live in the main thread's registry). */
export type FrontCounter = 'webhookRejected' | 'ignored' | 'dedupeHits';

export type FrontToMain =
  | { t: 'listening'; port: number }
  | { t: 'listen-failed'; code?: string; message: string }
  | { t: 'wake'; lanes: string[] }
  | { t: 'count'; counter: FrontCounter; labels: string[] }
  /** Webhook answer times in seconds since the last report (sent about once a second). */
  | { t: 'answered'; seconds: number[] }
  | { t: 'log'; line: string }
  | { t: 'spans'; spans: SpanRecord[] }
  | { t: 'closed' };

export type MainToFront =
  | { t: 'close'; graceMs: number }
  /** Sessions were added, changed or removed at run time: the inboxes and their own secrets now. */
  | { t: 'inboxes'; inboxes: Array<[number, string]>; inboxSecrets: Array<[number, string]> };
