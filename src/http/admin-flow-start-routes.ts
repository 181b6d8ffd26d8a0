import { Router } from 'express';
import { z } from 'zod';
import { FlowStartRefused, type FlowStarter, type FlowStartRefusalCode } from '../bots/flow-starter';
import { HttpError } from './errors';
import { pairingPhone } from './pairing-phone';
import { parseBody } from './validate';

/** The body of a start; the phone comes out as E.164, read as the pairing phone is. */
export const flowStartBody = (defaultCountry?: string) =>
  z
    .object({
      bot: z
        .string({ error: 'expected the bot\'s name (typebot.bots.<name>) as a string, e.g. "registo"' })
        .min(1)
        .max(200)
        .optional()
        .describe("A bot of typebot.bots; absent: the session's own bot"),
      phone: z
        .string({ error: 'expected the phone number as a string, e.g. "+351912345678"' })
        .max(40)
        .transform((typed, ctx) => {
          const parsed = pairingPhone(typed, defaultCountry);
          if ('e164' in parsed) return parsed.e164;
          ctx.addIssue({ code: 'custom', message: parsed.problem });
          return z.NEVER;
        })
        .describe('The person to start the flow for; a national number only with sessionStore.defaultCountry'),
      variables: z
        .record(z.string().min(1).max(100), z.string({ error: 'expected each variable as a string' }).max(4000), {
          error: 'expected an object of Typebot variables by name, e.g. {"invite": "abc123"}',
        })
        .refine((v) => Object.keys(v).length <= 50, 'at most 50 variables')
        .optional()
        .describe("Typebot variables set at the flow's start; they win over the bot's prefilledVariables"),
    })
    .strict();

const STATUS: Record<FlowStartRefusalCode, number> = {
  unknown_session: 404,
  unknown_bot: 404,
  no_bot: 409,
  no_inbox: 409,
  not_running_here: 409,
  not_connected: 409,
  no_whatsapp: 422,
  flow_running: 409,
  humans_have_chat: 409,
  registration_waiting: 409,
};

/**
 * `POST /admin/sessions/<id>/flows {bot?, phone, variables?}` starts a bot's flow for a person who has not
 * written. Answers 202 once the conversation exists and the start is queued; the first bubbles follow.
 */
export function adminFlowStartRoutes(starter: Pick<FlowStarter, 'start'>, defaultCountry?: string): Router {
  const router = Router();
  router.post('/sessions/:id/flows', async (req, res) => {
    const body = parseBody(flowStartBody(defaultCountry), req.body ?? {});
    try {
      res.status(202).json({ starting: true, ...(await starter.start({ session: req.params.id, ...body })) });
    } catch (err) {
      if (err instanceof FlowStartRefused) throw new HttpError(STATUS[err.code], err.code, err.message);
      throw err;
    }
  });
  return router;
}
