import { Router } from 'express';
import { z } from 'zod';
import { UnknownSessionError, type SessionManager } from '../sessions/manager';
import { HttpError } from './errors';
import { pairingPhone } from './pairing-phone';
import { parseBody } from './validate';

/** The login body; the phone comes out as E.164 (a national number only with `defaultCountry`). */
export const loginBody = (defaultCountry?: string) =>
  z
    .object({
      phone: z
        .string({ error: 'expected the phone number as a string, e.g. "+351912345678"' })
        .max(40)
        .transform((typed, ctx) => {
          const parsed = pairingPhone(typed, defaultCountry);
          if ('e164' in parsed) return parsed.e164;
          ctx.addIssue({ code: 'custom', message: parsed.problem });
          return z.NEVER;
        })
        .optional(),
    })
    .strict();

/** What the admin page shows of a session besides its state: where it relays, how much, what is stuck. */
export interface SessionDetails {
  inboxId?: number;
  /** Defined in the configuration file, or added at run time (only those can be changed or removed here). */
  source?: 'config' | 'runtime';
  relayedLastHour?: { inbound: number; outbound: number };
  deadLetters?: number;
}

/**
 * `defaultCountry` (sessionStore.defaultCountry) completes a number typed without its country code;
 * `details` adds what the admin page shows to each session of the list.
 */
export function adminSessionRoutes(
  sessions: SessionManager,
  defaultCountry?: string,
  details?: (id: string) => Promise<SessionDetails>,
): Router {
  const router = Router();
  const find = (id: string) => {
    const status = sessions.status(id);
    if (!status) throw new HttpError(404, 'unknown_session', `no session "${id}" is configured`);
    return status;
  };
  router.get('/sessions', async (_req, res) => {
    const list = sessions.list();
    res.json({ sessions: details ? await Promise.all(list.map(async (s) => ({ ...s, ...(await details(s.id)) }))) : list });
  });
  router.get('/sessions/:id', (req, res) => {
    res.json(find(req.params.id));
  });
  router.post('/sessions/:id/login', async (req, res) => {
    find(req.params.id);
    const { phone } = parseBody(loginBody(defaultCountry), req.body ?? {});
    res.json(await rethrow(() => sessions.login(req.params.id, phone)));
  });
  router.delete('/sessions/:id', async (req, res) => {
    find(req.params.id);
    res.json(await rethrow(() => sessions.logout(req.params.id)));
  });
  return router;
}

async function rethrow<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof UnknownSessionError) throw new HttpError(404, 'unknown_session', err.message);
    throw err;
  }
}
