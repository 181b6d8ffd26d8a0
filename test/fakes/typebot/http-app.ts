import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { continueChat, startChat } from './chat-handlers';
import type { Reply } from './chat-handlers';
import { TypebotHttpError, orpcBody } from './errors';
import { CONTINUE_CHAT, START_CHAT, describeIssues } from './openapi-validator';
import type { ChatOperation, TypebotOpenApi } from './openapi-validator';
import { getResult } from './results-handler';
import type { FakeStore, FaultRoute } from './store';
import type { RequestLogEntry } from './types';

interface Locals {
  entry: RequestLogEntry;
  raw: string;
  contentType: string;
}

const locals = (res: Response): Locals => res.locals as Locals;

function routeOf(path: string): FaultRoute | undefined {
  if (/\/startChat$/.test(path)) return 'startChat';
  if (/\/continueChat$/.test(path)) return 'continueChat';
  if (/\/results\/[^/]+$/.test(path)) return 'results';
  return undefined;
}

/** Buffers and logs every request, then applies delayNext and failNext before any logic runs. */
function front(store: FakeStore): RequestHandler {
  return async (req, res, next) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown = raw === '' ? undefined : raw;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      /* logged as the raw text */
    }
    const entry: RequestLogEntry = { method: req.method, path: req.path, body, status: 0, at: Date.now() };
    store.log.push(entry);
    Object.assign(res.locals, { entry, raw, contentType: (req.headers['content-type'] ?? '').toLowerCase() } satisfies Locals);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    // Like Typebot (a Next.js route handler is not cancelled when its caller goes away), a delayed request
    // is still handled and its changes kept after the client gave up waiting: a timed-out continueChat has
    // moved the session on all the same.
    const delay = store.delays.shift();
    if (delay !== undefined && delay > 0) await new Promise((r) => setTimeout(r, delay));
    const failure = store.takeFailure(routeOf(req.path));
    if (failure) {
      entry.fault = true;
      if (failure.retryAfter !== undefined) res.setHeader('Retry-After', failure.retryAfter);
      res.status(failure.status).json(orpcBody(failure.status, `Injected failure (TypebotFake ${failure.status})`));
      return;
    }
    next();
  };
}

/** oRPC's body parsing: an empty body is no input; anything that is not a JSON object is refused. */
function jsonBody(res: Response): Record<string, unknown> {
  const { raw, contentType } = locals(res);
  if (raw.trim() === '') return {};
  if (!/^application\/([\w.+-]+\+)?json/.test(contentType)) {
    throw new TypebotHttpError(400, 'Malformed request', 'malformed', `Content-Type '${contentType || '(none)'}' is not JSON`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new TypebotHttpError(400, 'Malformed request', 'malformed', `malformed JSON body: ${(e as Error).message}`);
  }
  return parsed as Record<string, unknown>;
}

type Check = (status: number, wire: unknown) => string | null;

/** Sends what the wire will carry, after checking it: a response the contract forbids becomes a 500 'fake_bug'. */
function send(res: Response, reply: Reply, check: Check): void {
  const wire = JSON.parse(JSON.stringify(reply.body)) as unknown;
  const problem = check(reply.status, wire);
  if (problem) throw new FakeBug(problem);
  reply.commit?.();
  res.status(reply.status).json(wire);
}

class FakeBug extends Error {}

function chatRoute(api: TypebotOpenApi, op: ChatOperation, handle: (req: Request, body: Record<string, unknown>) => Reply): RequestHandler {
  const check: Check = (status, wire) => {
    const issues = api.validateResponse(op, status, wire);
    if (issues === null) return `the OpenAPI documents no ${status} response for POST ${op}`;
    return issues.length > 0 ? `response ${status} of POST ${op} violates the OpenAPI: ${describeIssues(issues)}` : null;
  };
  return (req, res) => {
    const body = jsonBody(res);
    const issues = api.validateRequest(op, body);
    if (issues.length > 0) {
      const zodLike = issues.map((i) => ({ code: i.code, path: i.path.split('/').filter(Boolean), message: i.message }));
      throw new TypebotHttpError(400, 'Input validation failed', 'schema', `POST ${op}: ${describeIssues(issues)}`, { issues: zodLike });
    }
    send(res, handle(req, body), check);
  };
}

const str = (v: unknown): string => (Array.isArray(v) ? String(v[0]) : String(v));

export function createApp(store: FakeStore, api: TypebotOpenApi, resultsToken: string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(front(store));
  app.post(
    '/api/v1/typebots/:publicId/startChat',
    chatRoute(api, START_CHAT, (req, body) => startChat(store, str(req.params.publicId), body)),
  );
  app.post(
    '/api/v1/sessions/:sessionId/continueChat',
    chatRoute(api, CONTINUE_CHAT, (req, body) => continueChat(store, str(req.params.sessionId), body)),
  );
  app.get('/api/v1/typebots/:typebotId/results/:resultId', (req, res) => {
    const reply = getResult(store, resultsToken, str(req.params.typebotId), str(req.params.resultId), req.headers.authorization);
    send(res, reply, (status, wire) => {
      const issues = api.validateResultsResponse(status, wire);
      return issues.length > 0 ? `results response violates CONTRACTS.md: ${describeIssues(issues)}` : null;
    });
  });
  app.use((req, _res, next) =>
    next(new TypebotHttpError(404, 'Not found', 'not_found', `the fake has no route ${req.method} ${req.path}`)),
  );
  app.use(errorHandler(store, api));
  return app;
}

function errorHandler(store: FakeStore, api: TypebotOpenApi) {
  return (err: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const body = locals(res).entry?.body;
    let reason: string;
    if (err instanceof TypebotHttpError) {
      store.rejections.push({ method: req.method, path: req.path, status: err.status, kind: err.kind, reason: err.reason, body });
      const route = routeOf(req.path);
      const op = route === 'startChat' ? START_CHAT : route === 'continueChat' ? CONTINUE_CHAT : undefined;
      const issues = op ? api.validateResponse(op, err.status, err.body) : api.validateResultsResponse(err.status, err.body);
      if (issues === null || issues.length === 0) {
        res.status(err.status).json(err.body);
        return;
      }
      reason = `error body ${err.status} violates the contract: ${describeIssues(issues)}`;
    } else {
      reason = err instanceof FakeBug ? err.message : err instanceof Error ? `${err.message}\n${err.stack ?? ''}` : String(err);
    }
    store.rejections.push({ method: req.method, path: req.path, status: 500, kind: 'fake_bug', reason, body });
    res.status(500).json(orpcBody(500, `Typebot fake bug: ${reason}`));
  };
}
