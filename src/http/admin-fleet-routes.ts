import { Router } from 'express';
import { z } from 'zod';
import { MoveRefused, type Fleet } from '../sessions/fleet';
import type { SessionManager } from '../sessions/manager';
import { HttpError } from './errors';
import { parseBody } from './validate';

export const moveBody = z
  .object({ to: z.string({ error: 'expected the daemon to move the session to, e.g. "ponte-b" (its lease.daemonId)' }).min(1).max(200) })
  .strict();

const STATUS: Record<MoveRefused['code'], number> = {
  no_fleet: 409,
  unknown_daemon: 404,
  no_room: 409,
  data_unseen: 409,
  move_timeout: 504,
};

/**
 * The daemons sharing this Redis and moves between them. `fleet` is undefined on a daemon that runs
 * alone (embedded Redis): it lists no daemons and refuses moves with the reason.
 */
export function adminFleetRoutes(sessions: SessionManager, fleet: () => Fleet | undefined): Router {
  const router = Router();
  router.get('/fleet', async (_req, res) => {
    const f = fleet();
    res.json({ shared: Boolean(f), daemons: f ? await f.daemons() : [] });
  });
  router.post('/sessions/:id/move', async (req, res) => {
    const id = req.params.id;
    if (!sessions.status(id)) throw new HttpError(404, 'unknown_session', `no session "${id}" is configured`);
    const { to } = parseBody(moveBody, req.body ?? {});
    const f = fleet();
    if (!f) throw new HttpError(409, 'no_fleet', 'this daemon runs alone (embedded Redis): there is no other daemon to move a session to');
    try {
      res.json(await f.move(id, to));
    } catch (err) {
      if (err instanceof MoveRefused) throw new HttpError(STATUS[err.code], err.code, err.message);
      throw err;
    }
  });
  return router;
}
