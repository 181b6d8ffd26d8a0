import type { Logger } from '../observability/logger';
import { parseWebhook } from '../chatwoot/webhook-parse';
import { verifyWebhook, type WebhookAuthSettings } from '../chatwoot/webhook-verify';
import type { AgentEvent } from '../core/agent-messages';

export interface WebhookIntake {
  /** Claims the delivery keys and persists the event in one step; 'duplicate' when a key was claimed before. */
  persistOnce(event: AgentEvent, keys: string[]): Promise<'queued' | 'duplicate' | 'unmapped'>;
}

interface CounterLike {
  labels(...values: string[]): { inc(): void };
}

/** The counters a webhook moves. */
export interface WebhookMetrics {
  webhookRejected: CounterLike;
  ignored: CounterLike;
  dedupeHits: CounterLike;
}

export interface WebhookDeps {
  auth: WebhookAuthSettings;
  intake: WebhookIntake;
  metrics: WebhookMetrics;
  logger: Logger;
}

/** What came with the body. */
export interface WebhookRequest {
  signature?: string;
  timestamp?: string;
  delivery?: string;
  /** `?token=` of the URL (Chatwoot before 4.13 does not sign). */
  token?: string;
  ip?: string;
}

/** Status and JSON body; errors as everywhere in Ponte: `{error: {code, message}}`. */
export interface WebhookAnswer {
  status: number;
  body: Record<string, unknown>;
}

const refuse = (status: number, code: string, message: string): WebhookAnswer => ({ status, body: { error: { code, message } } });

/**
 * `POST /webhooks/chatwoot`: authenticate, persist, answer. Chatwoot waits 5 s, never retries and marks
 * the agent's message failed on a slow answer (PITFALLS.md 16), so the work happens after the answer.
 */
export async function answerWebhook(raw: Buffer, req: WebhookRequest, deps: WebhookDeps): Promise<WebhookAnswer> {
  const { metrics, logger } = deps;
  const verdict = verifyWebhook(deps.auth, raw, { signature: req.signature, timestamp: req.timestamp }, req.token);
  if (!verdict.ok) {
    metrics.webhookRejected.labels(verdict.reason).inc();
    logger.warn({ reason: verdict.reason, ip: req.ip }, 'webhook refused');
    return refuse(401, 'unauthorized', verdict.message);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw.toString('utf8'));
  } catch {
    metrics.webhookRejected.labels('malformed').inc();
    return refuse(400, 'malformed_json', 'the webhook body is not valid JSON');
  }
  const parsed = parseWebhook(body);
  if ('ignored' in parsed) {
    metrics.ignored.labels(parsed.ignored).inc();
    return { status: 200, body: { status: 'ignored', reason: parsed.ignored } };
  }
  if ('invalid' in parsed) {
    // Chatwoot shows the agent's message as failed on a 4xx: better than a message Ponte silently drops.
    metrics.webhookRejected.labels('malformed').inc();
    logger.warn({ reason: 'invalid_payload', problem: parsed.invalid }, 'webhook refused: fields of the wrong type');
    return refuse(422, 'invalid_payload', `the webhook body does not have Chatwoot's shape: ${parsed.invalid}`);
  }
  // Signed with one inbox's own secret: it speaks for that inbox alone, never for another number's.
  const inboxOf = parsed.event.type === 'send' ? parsed.event.message.inboxId : parsed.event.inboxId;
  if (verdict.inbox !== undefined && verdict.inbox !== inboxOf) {
    metrics.webhookRejected.labels('signature').inc();
    logger.warn({ reason: 'other_inbox', signedFor: verdict.inbox, inbox: inboxOf, ip: req.ip }, 'webhook refused');
    return refuse(401, 'unauthorized', `X-Chatwoot-Signature was made with the secret of inbox ${verdict.inbox}, not of inbox ${inboxOf}`);
  }
  const keys = req.delivery ? [`delivery:${req.delivery}`, parsed.deliveryKey] : [parsed.deliveryKey];
  let outcome: 'queued' | 'duplicate' | 'unmapped';
  try {
    outcome = await deps.intake.persistOnce(parsed.event, keys);
  } catch (err) {
    // Not persisted (nor claimed: both happen in one step): Chatwoot marks the message failed (visible)
    // and catch-up finds it later.
    return refuse(503, 'unavailable', `could not persist the event: ${(err as Error).message}`);
  }
  if (outcome === 'duplicate') {
    metrics.dedupeHits.labels('outbound').inc();
    return { status: 200, body: { status: 'duplicate' } };
  }
  if (outcome === 'unmapped') {
    metrics.ignored.labels('unmapped_inbox').inc();
    return { status: 200, body: { status: 'ignored', reason: 'unmapped_inbox' } };
  }
  return { status: 200, body: { status: 'queued' } };
}
