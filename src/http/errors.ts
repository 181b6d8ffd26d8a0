import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../observability/logger';

/** An error with the HTTP answer it deserves: `{error: {code, message}}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new HttpError(404, 'not_found', `no route for ${req.method} ${req.path}`));
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    let status = 500;
    let code = 'internal';
    let message = 'internal error; see the daemon log';
    let details: unknown;
    // What body-parser's and express's own errors carry; anything else thrown has none of it.
    const known = err as { type?: unknown; message?: unknown; limit?: unknown; status?: unknown } | null | undefined;
    if (err instanceof HttpError) {
      ({ status, code, message, details } = err);
    } else if (known?.type === 'entity.parse.failed') {
      status = 400;
      code = 'malformed_json';
      message = `the request body is not valid JSON: ${String(known.message).slice(0, 200)}`;
    } else if (known?.type === 'entity.too.large') {
      status = 413;
      code = 'too_large';
      message = `the request body is larger than ${String(known.limit)} bytes`;
    } else if (typeof known?.status === 'number' && known.status >= 400 && known.status < 500) {
      status = known.status;
      code = 'bad_request';
      message = String(known.message);
    }
    if (status >= 500) logger.error({ err, method: req.method, path: req.path }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
  };
}
