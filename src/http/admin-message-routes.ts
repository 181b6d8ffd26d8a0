import { Router } from 'express';
import { z } from 'zod';
import type { JourneySummary, JourneyView } from '../store/journeys';
import { HttpError } from './errors';

/** What the routes need of the journeys (store/journeys.ts). */
export interface JourneyReader {
  show(id: string): Promise<JourneyView | undefined>;
  find(chat: string, sinceMs: number, limit?: number): Promise<JourneySummary[]>;
}

const FIND_LIMIT_MAX = 500;

/** One step of a journey: when, which of the message's ids it was noted under, what happened (no message text). */
export const JourneyStepSchema = z
  .object({
    at: z.string().describe('ISO 8601 time of the step.'),
    journey: z.string().describe('The id it was noted under: `wa:<WhatsApp id>` or `cw:<Chatwoot message id>`.'),
    step: z.enum([
      'received',
      'duplicate',
      'attempt-failed',
      'posted',
      'sent',
      'already-done',
      'skipped',
      'tick',
      'dead-letter',
      'replayed',
      'deleted',
    ]),
    via: z.enum(['engine', 'catch-up', 'webhook', 'websocket', 'poll']).optional().describe('received, duplicate: which intake.'),
    session: z.string().optional(),
    kind: z.string().optional().describe('received: the message kind (text, image, ...; attachment for an agent message with files).'),
    chat: z.string().optional().describe('The chat, phone masked (`•••5678@c.us`).'),
    phone: z.string().optional().describe('The contact phone, masked.'),
    lane: z.string().optional().describe('received: the queue it was persisted in.'),
    attempt: z.int().optional().describe('attempt-failed: which attempt (1 is the first).'),
    reason: z.string().optional().describe('attempt-failed, dead-letter, skipped: why, phone numbers masked.'),
    retryInMs: z.int().optional().describe('attempt-failed: when the next attempt is due.'),
    chatwoot: z.int().optional().describe('posted: the Chatwoot message id.'),
    conversation: z.int().optional().describe('posted: the Chatwoot conversation id.'),
    found: z.boolean().optional().describe('posted: found in Chatwoot from an earlier attempt, not posted again.'),
    whatsapp: z.string().optional().describe('sent: the WhatsApp id of the part, phone masked.'),
    part: z.int().optional().describe('sent: which part of the agent message (0 is the first).'),
    adopted: z.boolean().optional().describe('sent: found in the chat after an attempt whose outcome was unknown, not sent again.'),
    status: z.enum(['sent', 'delivered', 'read', 'failed']).optional().describe('tick: the WhatsApp status.'),
    attempts: z.int().optional().describe('dead-letter: attempts made.'),
    queue: z.string().optional().describe('dead-letter, replayed: the queue.'),
    deadLetterId: z.string().optional().describe('dead-letter, replayed: the id `ponte dlq replay --id` takes.'),
    outcome: z.enum(['everyone', 'me-only', 'unsupported']).optional().describe('deleted: what WhatsApp did.'),
  })
  .strict();

/** `GET /admin/messages/{id}`. */
export const JourneySchema = z
  .object({
    id: z.string().describe('The id asked for.'),
    direction: z.enum(['from-whatsapp', 'from-agents']),
    session: z.string().optional(),
    chat: z.string().optional().describe('Phone masked.'),
    status: z
      .string()
      .describe('Its last step: received, attempt-failed, posted, sent, delivered, read, failed, dead-letter, replayed, skipped, ...'),
    ids: z
      .object({ whatsapp: z.array(z.string()), chatwoot: z.array(z.string()) })
      .strict()
      .describe('Every id of the message, both sides.'),
    steps: z.array(JourneyStepSchema).describe('Oldest first.'),
  })
  .strict();

/** One line of `GET /admin/messages?chat=`. */
export const JourneySummarySchema = z
  .object({
    id: z.string().describe('What `GET /admin/messages/{id}` takes.'),
    direction: z.enum(['from-whatsapp', 'from-agents']),
    session: z.string().optional(),
    kind: z.string().optional(),
    firstAt: z.string(),
    lastAt: z.string(),
    status: z.string(),
    reason: z.string().optional().describe('The last failure, while it is failing or dead-lettered.'),
  })
  .strict();

/** `GET /admin/messages?chat=`. */
export const JourneyListSchema = z
  .object({
    since: z.string().describe('ISO 8601: journeys with a step since then.'),
    journeys: z.array(JourneySummarySchema).describe('The most recent first.'),
  })
  .strict();

/**
 * `GET /admin/messages/{id}`: a message's journey by its WhatsApp id or its Chatwoot message id;
 * `GET /admin/messages?chat=<phone>&since=1h`: a chat's recent journeys.
 */
export function adminMessageRoutes(journeys: JourneyReader, now: () => number = Date.now): Router {
  const router = Router();
  router.get('/messages', async (req, res) => {
    const chat = req.query.chat;
    if (typeof chat !== 'string' || !/\d/.test(chat))
      throw new HttpError(400, 'bad_request', 'give chat=<phone number or WhatsApp chat id>, e.g. chat=+351912345678');
    const since = sinceOf(req.query.since, now());
    const limit = limitOf(req.query.limit);
    res.json({ since: new Date(since).toISOString(), journeys: await journeys.find(chat, since, limit) });
  });
  router.get('/messages/:id', async (req, res) => {
    const journey = await journeys.show(req.params.id);
    if (!journey)
      throw new HttpError(
        404,
        'not_found',
        `no journey for message ${req.params.id}: not seen by Ponte, or its last step is older than journeys.retentionHours`,
      );
    res.json(journey);
  });
  return router;
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 };

/** `since`: a duration back from now (`90s`, `30m`, `1h`, `2d`) or a time (ISO 8601); default 1 h. */
export function sinceOf(value: unknown, now: number): number {
  if (value === undefined) return now - UNITS.h;
  const text = typeof value === 'string' ? value.trim() : '';
  const ago = /^(\d+(?:\.\d+)?)\s*([smhd])$/.exec(text);
  if (ago) return now - Number(ago[1]) * UNITS[ago[2]];
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (!Number.isNaN(at)) return at;
  throw new HttpError(
    400,
    'bad_request',
    `since must be a duration like 30m, 1h, 2d or an ISO time like 2025-01-31T09:00:00Z, not "${text}"`,
  );
}

function limitOf(value: unknown): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > FIND_LIMIT_MAX)
    throw new HttpError(400, 'bad_request', `limit must be a whole number from 1 to ${FIND_LIMIT_MAX}`);
  return n;
}
