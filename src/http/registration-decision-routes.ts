import { Router } from 'express';
import { z } from 'zod';
import type { DecisionVerdict } from '../registration/decisions';
import type { RegistrationDecision, TakenDecision } from '../store/registrations';
import type { Metrics } from '../observability/metrics';
import { HttpError } from './errors';
import { authenticatedBody, type RegistrationHookSettings } from './registration-hook-routes';
import { parseBody } from './validate';

/** A decision is a word, a few field names and a sentence for the driver: nothing larger is read. */
export const DECISION_BODY_LIMIT = 16 * 1024;
/** What the driver reads under Ponte's own sentence: a WhatsApp message, not a letter. */
export const DECISION_MESSAGE_MAX = 1000;

export const DecisionBody = z
  .object({
    decision: z.enum(['approved', 'rejected', 'needs_changes']),
    message: z.string().max(DECISION_MESSAGE_MAX).nullish(),
    fields: z.array(z.string().min(1).max(100)).min(1).max(30).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.decision === 'needs_changes' && !b.fields)
      ctx.addIssue({ code: 'custom', path: ['fields'], message: 'needs_changes lists the fields the driver must send again' });
    if (b.decision !== 'needs_changes' && b.fields)
      ctx.addIssue({ code: 'custom', path: ['fields'], message: `only needs_changes takes fields (got ${b.decision})` });
  });

export interface DecisionDesk {
  take(id: string, decision: RegistrationDecision): Promise<DecisionVerdict>;
}

/**
 * `POST /hooks/registrations/:id/decision`: the backend approves, rejects or asks for changes to a
 * registration Ponte delivered. Authenticated like the registration hook (signed with registration.secret,
 * or ?token=), before the body is read. The first decision for a delivery stands: the same one again
 * answers 200 and does nothing more, another one 409.
 */
export function registrationDecisionRoutes(
  settings: Pick<RegistrationHookSettings, 'secret' | 'token'>,
  desk: DecisionDesk,
  metrics: Metrics,
): Router {
  const router = Router();
  router.post('/hooks/registrations/:id/decision', async (req, res) => {
    const raw = await authenticatedBody(req, res, settings, metrics, {
      unauthenticated: DECISION_BODY_LIMIT,
      authenticated: DECISION_BODY_LIMIT,
    });
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch (err) {
      throw new HttpError(400, 'malformed_json', `the body is not JSON: ${(err as Error).message}`);
    }
    const body = parseBody(DecisionBody, json);
    const id = req.params.id;
    const verdict = await desk.take(id, {
      decision: body.decision,
      ...(body.message ? { message: body.message } : {}),
      ...(body.fields ? { fields: body.fields } : {}),
    });
    switch (verdict.kind) {
      case 'unknown':
        throw new HttpError(404, 'not_found', `no registration ${id}`);
      case 'unknown_fields':
        throw new HttpError(
          400,
          'unknown_field',
          `registration ${id} has no field ${verdict.fields.join(', ')}; it has ${verdict.known.join(', ')}`,
          { unknown: verdict.fields, known: verdict.known },
        );
      case 'not_delivered':
        throw new HttpError(
          409,
          'not_delivered',
          `registration ${id} is ${verdict.status}, not delivered: the backend has nothing of it to decide on`,
          { status: verdict.status },
        );
      case 'conflict':
        throw new HttpError(
          409,
          'decision_recorded',
          `registration ${id} was ${describe(verdict.recorded)} already (${verdict.recorded.receivedAt}); that decision stands`,
          { round: verdict.round, recorded: verdict.recorded },
        );
      case 'accepted':
      case 'repeated':
        res
          .status(verdict.kind === 'accepted' ? 202 : 200)
          .json({ registrationId: id, round: verdict.round, repeated: verdict.kind === 'repeated', decision: verdict.recorded });
    }
  });
  return router;
}

function describe(d: TakenDecision): string {
  return d.decision === 'needs_changes' ? `asked for changes (${(d.fields ?? []).join(', ')})` : d.decision;
}
