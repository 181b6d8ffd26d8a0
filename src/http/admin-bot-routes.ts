import { Router } from 'express';
import { HttpError } from './errors';

export interface BotAdmin {
  list(session?: string): Promise<Array<{ session: string; chatKey: string; mode: 'bot' | 'human' }>>;
  resume(session: string, chatKey: string): Promise<boolean>;
  requestRestart(session: string, chatKey: string): Promise<boolean>;
}

/**
 * `GET /admin/bots` lists chats with a running flow or in human hands; `POST /admin/bots/<session>/<chat>/resume`
 * gives a chat back to its bot (the flow goes on where it was); `.../restart` starts the flow afresh.
 */
export function adminBotRoutes(bots: BotAdmin): Router {
  const router = Router();
  router.get('/bots', async (req, res) => {
    const session = typeof req.query.session === 'string' ? req.query.session : undefined;
    res.json({ chats: await bots.list(session) });
  });
  router.post('/bots/:session/:chat/resume', async (req, res) => {
    if (!(await bots.resume(req.params.session, req.params.chat))) {
      throw new HttpError(
        404,
        'not_paused',
        `chat ${req.params.chat} of session ${req.params.session} is not in human hands (or the session has no bot)`,
      );
    }
    res.json({ resumed: true });
  });
  router.post('/bots/:session/:chat/restart', async (req, res) => {
    if (!(await bots.requestRestart(req.params.session, req.params.chat))) {
      throw new HttpError(
        404,
        'unknown_chat',
        `no bot history for chat ${req.params.chat} of session ${req.params.session}; a flow starts with the user's next message`,
      );
    }
    res.status(202).json({ restarting: true });
  });
  return router;
}
