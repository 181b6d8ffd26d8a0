import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { ServerResponse } from 'node:http';
import { HttpError } from './errors';
import type { FaultRegistry } from './faults';
import { parseMultipart } from './multipart';
import type { MultipartBody } from './multipart';
import { describeIssues } from './openapi-validator';
import type { OpenApiValidator } from './openapi-validator';
import type { Serializers } from './serializers';
import type { ChatwootStore } from './store';
import type { Rejection, RequestLogEntry } from './types';

export interface FakeContext {
  store: ChatwootStore;
  ser: Serializers;
  validator: OpenApiValidator;
  faults: FaultRegistry;
  accountId: number;
  apiToken: string;
  supportsStatusUpdate: boolean;
  /** Where ActiveStorage redirects blobs (ChatwootFakeOptions.storageUrl); undefined: Chatwoot's own disk route. */
  storageUrl?: string;
  log: RequestLogEntry[];
  rejections: Rejection[];
  /** Responses held open by `hang` faults; stop() destroys their sockets. */
  hung: Set<ServerResponse>;
}

interface Locals {
  entry: RequestLogEntry;
  raw: Buffer;
  json?: Record<string, unknown>;
  multipart?: MultipartBody;
  parseError?: HttpError;
}

export const locals = (res: Response): Locals => res.locals as Locals;

/** The JSON body. Only message create reads multipart (via locals); anywhere else it is refused here. */
export function jsonBody(res: Response): Record<string, unknown> {
  const l = locals(res);
  if (l.multipart) {
    throw new HttpError(
      400,
      { error: 'multipart body not accepted here' },
      'bad_request',
      'the fake accepts multipart/form-data only on message create',
    );
  }
  return l.json ?? {};
}

export function intParam(value: unknown, what: string): number {
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new HttpError(404, { error: 'Resource could not be found' }, 'not_found', `${what} '${String(value)}' is not an id`);
  return Number(value);
}

/** Rejects a JSON body the swagger's request schema refuses; silent operations (no schema) pass through. */
export function schemaGuard(ctx: FakeContext, method: string, swaggerPath: string): RequestHandler {
  const validate = ctx.validator.requestValidator(method, swaggerPath);
  return (_req, res, next) => {
    const l = locals(res);
    if (!validate || l.multipart) return next();
    const issues = validate(l.json ?? {});
    if (issues.length === 0) return next();
    const reason = `${method.toUpperCase()} ${swaggerPath}: ${describeIssues(issues)}`;
    next(
      new HttpError(
        400,
        { error: 'Request body does not match the Chatwoot 4.13 OpenAPI schema', description: reason, errors: issues },
        'schema',
        reason,
      ),
    );
  };
}

/** Buffers, logs and parses the body, lets faults fire, and only then refuses a body that did not parse. */
export function frontMiddleware(ctx: FakeContext): RequestHandler[] {
  const buffer: RequestHandler = (req, res, next) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      locals(res).raw = Buffer.concat(chunks);
      next();
    });
    req.on('error', next);
  };
  const logAndParse: RequestHandler = async (req, res, next) => {
    const l = locals(res);
    l.entry = { method: req.method, path: req.path, query: { ...(req.query as Record<string, unknown>) }, status: 0, body: undefined };
    ctx.log.push(l.entry);
    res.on('finish', () => {
      l.entry.status = res.statusCode;
      l.entry.answeredAt = Date.now();
    });
    await parseBody(req, l);
    next();
  };
  const faults: RequestHandler = async (req, res, next) => {
    const action = ctx.faults.take(req.method, req.path);
    if (!action) return next();
    const l = locals(res);
    l.entry.fault = true;
    if (action.hang) {
      ctx.hung.add(res);
      res.on('close', () => ctx.hung.delete(res));
      return;
    }
    if (action.latencyMs > 0) await new Promise((r) => setTimeout(r, action.latencyMs));
    if (!action.respond) {
      // The routes are synchronous: when next() returns, the delayed request has been handled.
      next();
      return action.settle();
    }
    res.status(action.respond.status).set(action.respond.headers);
    if (typeof action.respond.body === 'string') res.type('text/plain').send(action.respond.body);
    else res.json(action.respond.body);
    action.settle();
  };
  const parseErrors: RequestHandler = (_req, res, next) => next(locals(res).parseError);
  return [buffer, logAndParse, faults, parseErrors];
}

async function parseBody(req: Request, l: Locals): Promise<void> {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (l.raw.length === 0) {
    l.json = {};
    return;
  }
  const bad = (reason: string) => {
    l.parseError = new HttpError(400, { error: reason }, 'bad_request', reason);
  };
  if (type.startsWith('multipart/form-data')) {
    try {
      l.multipart = await parseMultipart(req.headers, l.raw);
      l.entry.body = {
        fields: l.multipart.fields,
        files: l.multipart.files.map((f) => ({ field: f.field, filename: f.filename, content_type: f.content_type, size: f.data.length })),
      };
    } catch (e) {
      bad(`malformed multipart body: ${(e as Error).message}`);
    }
    return;
  }
  if (!/^application\/([\w.+-]+\+)?json/.test(type)) {
    bad(`unsupported Content-Type '${type || '(none)'}': the fake accepts application/json, or multipart/form-data on message create`);
    return;
  }
  try {
    const parsed = JSON.parse(l.raw.toString('utf8')) as unknown;
    l.entry.body = parsed;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('JSON body must be an object');
    else l.json = parsed as Record<string, unknown>;
  } catch (e) {
    bad(`malformed JSON body: ${(e as Error).message}`);
  }
}

/** AccessTokenAuthHelper plus the account lookup every application route does first. */
export function authMiddleware(ctx: FakeContext): RequestHandler {
  return (req, _res, next) => {
    const token = req.headers.api_access_token ?? req.headers['api-access-token'];
    if (token !== ctx.apiToken) {
      return next(
        new HttpError(
          401,
          { error: 'Invalid Access Token' },
          'auth',
          token ? 'api_access_token does not match' : 'api_access_token header missing',
        ),
      );
    }
    const m = /^\/accounts\/([^/]+)/.exec(req.path);
    if (m && m[1] !== String(ctx.accountId)) {
      return next(
        new HttpError(
          404,
          { error: 'Resource could not be found' },
          'not_found',
          `account ${m[1]} does not exist (the fake serves ${ctx.accountId})`,
        ),
      );
    }
    next();
  };
}

export function notFoundHandler(): RequestHandler {
  return (req, _res, next) => next(new HttpError(404, { error: 'Not Found' }, 'not_found', `no route for ${req.method} ${req.path}`));
}

/** Every 4xx the fake answers (faults excepted) lands in rejections(); a 500 means a bug in the fake. */
export function errorHandler(ctx: FakeContext) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const l = locals(res);
    const body = l.entry?.body;
    if (err instanceof HttpError) {
      ctx.rejections.push({ method: req.method, path: req.path, status: err.status, kind: err.kind, reason: err.reason, body });
      if (typeof err.body === 'string') res.status(err.status).type('text/plain').send(err.body);
      else res.status(err.status).json(err.body);
      return;
    }
    const reason = err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    ctx.rejections.push({ method: req.method, path: req.path, status: 500, kind: 'internal', reason, body });
    res.status(500).json({ error: 'Internal Server Error (Chatwoot fake bug)', reason });
  };
}

export function createExpressApp(): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  return app;
}
