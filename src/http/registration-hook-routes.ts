import { Router, type Request, type Response } from 'express';
import { safeEqual } from '../core/safe-equal';
import { HookBodyError, parseHookBody, type HookBody } from '../registration/hook-body';
import { verify, verifyHeaders } from '../registration/signature';
import type { RegistrationRecord } from '../store/registrations';
import type { Metrics } from '../observability/metrics';
import { HttpError } from './errors';
import { closeAfterAnswer } from './linger-close';
import { readBodyCapped } from './read-body';

export interface RegistrationHookSettings {
  secret: string;
  token?: string;
  fileFields: string[];
}

/**
 * Before anyone is known, only this much is read: a signature needs the body, and a flow's variables are
 * a few KB. A token is checked from the URL before any byte of the body.
 */
export const UNAUTHENTICATED_BODY_LIMIT = 64 * 1024;
/** Once the token matched: the variables of a flow (file answers are URLs, not files). */
export const AUTHENTICATED_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /hooks/typebot/registration`: a flow's HTTP Request block posts its variables here. Typebot cannot
 * sign, so `?token=` is the usual way in; other senders sign like Ponte signs to the backend.
 */
export function registrationHookRoutes(
  settings: RegistrationHookSettings,
  take: (body: HookBody) => Promise<RegistrationRecord>,
  metrics: Metrics,
): Router {
  const router = Router();
  router.post('/hooks/typebot/registration', async (req, res) => {
    const raw = await authenticatedBody(req, res, settings, metrics);
    let body: HookBody;
    try {
      body = parseHookBody(JSON.parse(raw.toString('utf8')), { fileFields: settings.fileFields });
    } catch (err) {
      if (err instanceof SyntaxError) throw new HttpError(400, 'malformed_json', `the body is not JSON: ${err.message}`);
      if (err instanceof HookBodyError) throw new HttpError(400, 'bad_body', err.message);
      throw err;
    }
    const rec = await take(body);
    res.status(202).json({
      registrationId: rec.id,
      status: rec.status,
      ...(rec.problems ? { problems: rec.problems.map((p) => ({ field: p.field, code: p.code, message: p.message.en })) } : {}),
    });
  });
  return router;
}

/**
 * The body, read only as far as the sender has earned; refusals close the connection on the unread rest.
 * Shared by the routes the registration secret (or the hook token) opens.
 */
export async function authenticatedBody(
  req: Request,
  res: Response,
  settings: Pick<RegistrationHookSettings, 'secret' | 'token'>,
  metrics: Metrics,
  limits: { unauthenticated: number; authenticated: number } = {
    unauthenticated: UNAUTHENTICATED_BODY_LIMIT,
    authenticated: AUTHENTICATED_BODY_LIMIT,
  },
): Promise<Buffer> {
  const refuse = (reason: string, status: number, code: string, message: string): HttpError => {
    metrics.webhookRejected.labels(reason).inc();
    closeAfterAnswer(req, res);
    return new HttpError(status, code, message);
  };
  const token = typeof req.query.token === 'string' ? req.query.token : undefined;
  if (token !== undefined || !req.get('x-ponte-signature')) {
    if (!settings.token || !token || !safeEqual(token, settings.token)) {
      throw refuse(
        'registration_token',
        401,
        'unauthorized',
        settings.token
          ? 'missing or wrong ?token='
          : 'sign the request (X-Ponte-Signature, X-Ponte-Timestamp) or configure registration.hookToken',
      );
    }
    return readOrRefuse(req, limits.authenticated, refuse);
  }
  const headers = req.headers as Record<string, string | string[] | undefined>;
  const early = verifyHeaders(headers);
  if (!early.ok) throw refuse(`registration_${early.reason}`, 401, 'unauthorized', early.message);
  const raw = await readOrRefuse(req, limits.unauthenticated, refuse);
  const verdict = verify(settings.secret, headers, raw);
  if (!verdict.ok) throw refuse(`registration_${verdict.reason}`, 401, 'unauthorized', verdict.message);
  return raw;
}

async function readOrRefuse(
  req: Request,
  limit: number,
  refuse: (reason: string, status: number, code: string, message: string) => HttpError,
): Promise<Buffer> {
  const read = await readBodyCapped(req, limit);
  if (read.ok) return read.body;
  throw refuse('registration_too_large', 413, 'too_large', `the body is larger than ${limit} bytes`);
}
