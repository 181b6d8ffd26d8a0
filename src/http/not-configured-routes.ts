import { Router } from 'express';
import { HttpError } from './errors';

/** Admin API areas that exist only with a section of the configuration, and what to configure. */
const AREAS: Array<{ prefix: string; needs: 'chatwoot' | 'typebot' | 'registration'; what: string }> = [
  { prefix: '/dlq', needs: 'chatwoot', what: 'dead letters belong to the relay, which needs the chatwoot section' },
  { prefix: '/messages', needs: 'chatwoot', what: "messages' journeys belong to the relay, which needs the chatwoot section" },
  { prefix: '/bots', needs: 'typebot', what: 'bots need the typebot section (and sessions[].bot)' },
  { prefix: '/registrations', needs: 'registration', what: 'registrations need the registration section' },
];

/**
 * Answers the admin routes of features this daemon runs without, so the CLI says which section is missing
 * instead of a bare "not found". Mounted after the real routes: a configured feature never reaches it.
 */
export function notConfiguredRoutes(configured: { chatwoot: boolean; typebot: boolean; registration: boolean }): Router {
  const router = Router();
  for (const area of AREAS) {
    if (configured[area.needs]) continue;
    router.use(area.prefix, () => {
      throw new HttpError(404, 'not_configured', `this daemon runs without ${area.needs}: ${area.what} (see ponte config example)`);
    });
  }
  return router;
}
