import express, { Router } from 'express';
import type { Logger } from '../observability/logger';
import { parseWebhook } from '../chatwoot/webhook-parse';
import { verifyWebhook, type WebhookAuthSettings } from '../chatwoot/webhook-verify';
import type { AgentEvent } from '../core/agent-messages';
import { HttpError } from './errors';

export interface WebhookIntake {
  /** Claims the delivery keys and persists the event in one step; 'duplicate' when a key was claimed before. */
  persistOnce(event: AgentEvent, keys: string[]): Promise<'queued' | 'duplicate' | 'unmapped'>;
}

interface CounterLike {
  labels(...values: string[]): { inc(): void };
}

/** The counters the webhook route moves. */
export interface WebhookMetrics {
  webhookRejected: CounterLike;
  ignored: CounterLike;
  dedupeHits: CounterLike;
}

/**
 * `POST /webhooks/chatwoot`: authenticate, persist, answer. Chatwoot waits 5 s, never retries and marks
 * the agent's message failed on a slow answer (PITFALLS.md 16), so the work happens after the answer.
 */
export function webhookRoutes(auth: WebhookAuthSettings, intake: WebhookIntake, metrics: WebhookMetrics, logger: Logger): Router {
  const router = Router();
  router.post('/webhooks/chatwoot', express.raw({ type: () => true, limit: '5mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    const verdict = verifyWebhook(auth, raw, { signature: req.get('x-chatwoot-signature'), timestamp: req.get('x-chatwoot-timestamp') }, token);
    if (!verdict.ok) {
      metrics.webhookRejected.labels(verdict.reason).inc();
      logger.warn({ reason: verdict.reason, ip: req.ip }, 'webhook refused');
      throw new HttpError(401, 'unauthorized', verdict.message);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      metrics.webhookRejected.labels('malformed').inc();
      throw new HttpError(400, 'malformed_json', 'the webhook body is not valid JSON');
    }
    const parsed = parseWebhook(body);
    if ('ignored' in parsed) {
      metrics.ignored.labels(parsed.ignored).inc();
      res.json({ status: 'ignored', reason: parsed.ignored });
      return;
    }
    const delivery = req.get('x-chatwoot-delivery');
    const keys = delivery ? [`delivery:${delivery}`, parsed.deliveryKey] : [parsed.deliveryKey];
    let outcome: 'queued' | 'duplicate' | 'unmapped';
    try {
      outcome = await intake.persistOnce(parsed.event, keys);
    } catch (err) {
      // Not persisted (nor claimed: both happen in one step): Chatwoot marks the message failed (visible)
      // and catch-up finds it later.
      throw new HttpError(503, 'unavailable', `could not persist the event: ${(err as Error).message}`);
    }
    if (outcome === 'duplicate') {
      metrics.dedupeHits.labels('outbound').inc();
      res.json({ status: 'duplicate' });
      return;
    }
    if (outcome === 'unmapped') {
      metrics.ignored.labels('unmapped_inbox').inc();
      res.json({ status: 'ignored', reason: 'unmapped_inbox' });
      return;
    }
    res.json({ status: 'queued' });
  });
  return router;
}
