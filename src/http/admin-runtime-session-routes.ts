import { Router } from 'express';
import { z } from 'zod';
import type { SessionConfig } from '../config/schema';
import { SessionChangeRefused, type RefusalCode, type RuntimeSessions } from '../sessions/runtime-sessions';
import { SessionNotOwnedError, type SessionManager } from '../sessions/manager';
import { HttpError } from './errors';
import { parseBody } from './validate';

export const addBody = z
  .object({
    session: z.record(z.string(), z.unknown(), {
      error: 'expected the session as an object, e.g. {"id": "sales", "engine": "wppconnect", "inboxId": 3}',
    }),
    createInbox: z.boolean({ error: 'expected true or false' }).optional(),
    inboxName: z.string().min(1).max(255).optional(),
  })
  .strict();

const STATUS: Record<RefusalCode, number> = {
  invalid_request: 400,
  session_exists: 409,
  config_session: 409,
  unknown_session: 404,
  inbox_taken: 409,
  inbox_not_created: 502,
  not_configured: 404,
};

/**
 * Sessions while the daemon runs: `POST /sessions` adds one (optionally creating its Chatwoot inbox),
 * `PATCH /sessions/:id` changes one (a JSON merge patch), `POST /sessions/:id/remove` logs its number out,
 * deletes its data and forgets it. Only sessions added here: the configuration file's stay as they are.
 */
export function adminRuntimeSessionRoutes(runtime: RuntimeSessions, sessions: SessionManager): Router {
  const router = Router();
  const answer = (s: SessionConfig, extra: Record<string, unknown> = {}) => ({
    session: sessions.status(s.id),
    settings: withoutSecrets(s),
    ...extra,
  });
  router.post('/sessions', async (req, res) => {
    const body = parseBody(addBody, req.body ?? {});
    const s = await refused(() => runtime.add(body.session, { createInbox: body.createInbox, inboxName: body.inboxName }));
    res.status(201).json(answer(s));
  });
  router.patch('/sessions/:id', async (req, res) => {
    const s = await refused(() => runtime.change(req.params.id, req.body ?? {}));
    res.json(answer(s));
  });
  router.post('/sessions/:id/remove', async (req, res) => {
    const { warning } = await refused(() => runtime.remove(req.params.id));
    res.json({ removed: req.params.id, ...(warning ? { warning } : {}) });
  });
  return router;
}

async function refused<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof SessionChangeRefused)
      throw new HttpError(STATUS[err.code], err.code, err.message, err.problems.length ? { problems: err.problems } : undefined);
    if (err instanceof SessionNotOwnedError) throw new HttpError(409, 'not_owner', err.message);
    throw err;
  }
}

/** What the admin sees of a session's settings: secrets only as "set". */
export function withoutSecrets(s: SessionConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...s };
  if (s.webhookSecret) out.webhookSecret = '[set]';
  if (s.proxy) out.proxy = { ...s.proxy, ...(s.proxy.password !== undefined ? { password: '[set]' } : {}) };
  return out;
}
