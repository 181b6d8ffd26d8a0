import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { HttpError } from './errors';

/** Constant-time comparison; hashing first makes unequal lengths take the same time too. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

export function bearerAuth(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return next(new HttpError(401, 'unauthorized', 'missing "Authorization: Bearer <admin token>" header'));
    if (!safeEqual(match[1].trim(), token)) return next(new HttpError(401, 'unauthorized', 'the admin token is not valid'));
    next();
  };
}
