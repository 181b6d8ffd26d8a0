import type { RequestHandler } from 'express';
import { safeEqual } from '../core/safe-equal';
import { HttpError } from './errors';

export { safeEqual };

export function bearerAuth(token: string): RequestHandler {
  return (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(.+)$/i.exec(header);
    if (!match) return next(new HttpError(401, 'unauthorized', 'missing "Authorization: Bearer <admin token>" header'));
    if (!safeEqual(match[1].trim(), token)) return next(new HttpError(401, 'unauthorized', 'the admin token is not valid'));
    next();
  };
}
