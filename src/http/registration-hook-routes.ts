import express, { Router } from 'express';
import { safeEqual } from '../core/safe-equal';
import { HookBodyError, parseHookBody, type HookBody } from '../registration/hook-body';
import { verify } from '../registration/signature';
import type { RegistrationRecord } from '../store/registrations';
import type { Metrics } from '../observability/metrics';
import { HttpError } from './errors';

export interface RegistrationHookSettings {
  secret: string;
  token?: string;
  fileFields: string[];
}

/**
 * `POST /hooks/typebot/registration`: a flow's HTTP Request block posts its variables here. Typebot cannot
 * sign, so `?token=` is the usual way in; other senders sign like Ponte signs to the backend.
 */
export function registrationHookRoutes(settings: RegistrationHookSettings, take: (body: HookBody) => Promise<RegistrationRecord>, metrics: Metrics): Router {
  const router = Router();
  router.post('/hooks/typebot/registration', express.raw({ type: () => true, limit: '60mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const token = typeof req.query.token === 'string' ? req.query.token : undefined;
    if (token !== undefined || !req.get('x-ponte-signature')) {
      if (!settings.token || !token || !safeEqual(token, settings.token)) {
        metrics.webhookRejected.labels('registration_token').inc();
        throw new HttpError(401, 'unauthorized', settings.token ? 'missing or wrong ?token=' : 'sign the request (X-Ponte-Signature, X-Ponte-Timestamp) or configure registration.hookToken');
      }
    } else {
      const verdict = verify(settings.secret, req.headers as Record<string, string | string[] | undefined>, raw);
      if (!verdict.ok) {
        metrics.webhookRejected.labels(`registration_${verdict.reason}`).inc();
        throw new HttpError(401, 'unauthorized', verdict.message);
      }
    }
    let body: HookBody;
    try {
      body = parseHookBody(JSON.parse(raw.toString('utf8')), { fileFields: settings.fileFields });
    } catch (err) {
      if (err instanceof SyntaxError) throw new HttpError(400, 'malformed_json', `the body is not JSON: ${err.message}`);
      if (err instanceof HookBodyError) throw new HttpError(400, 'bad_body', err.message);
      throw err;
    }
    const rec = await take(body);
    res.status(202).json({ registrationId: rec.id, status: rec.status, ...(rec.problems ? { problems: rec.problems.map((p) => ({ field: p.field, code: p.code, message: p.message.en })) } : {}) });
  });
  return router;
}
