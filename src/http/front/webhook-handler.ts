import type http from 'node:http';
import { performance } from 'node:perf_hooks';
import getRawBody from 'raw-body';
import { answerWebhook, type WebhookAnswer, type WebhookDeps } from '../webhook-answer';

const PATH = '/webhooks/chatwoot';
const BODY_LIMIT = '5mb';

/** `POST /webhooks/chatwoot`, with or without a trailing slash or query string, any letter case. */
export function isWebhook(req: http.IncomingMessage): boolean {
  if (req.method !== 'POST' || !req.url) return false;
  const path = req.url.split('?')[0].toLowerCase();
  return path === PATH || path === `${PATH}/`;
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Chatwoot's webhook on plain node:http: this is the one request that must be answered in milliseconds
 * under any load, and a framework's routing and middleware allocate more per request than the work itself.
 */
export async function handleWebhook(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  deps: WebhookDeps,
  answered?: (seconds: number) => void,
): Promise<void> {
  const t0 = performance.now();
  let answer: WebhookAnswer;
  try {
    const raw = await getRawBody(req, { limit: BODY_LIMIT });
    const token = new URL(req.url ?? '/', 'http://ponte').searchParams.get('token') ?? undefined;
    answer = await answerWebhook(
      raw,
      {
        signature: header(req, 'x-chatwoot-signature'),
        timestamp: header(req, 'x-chatwoot-timestamp'),
        delivery: header(req, 'x-chatwoot-delivery'),
        token,
        ip: req.socket.remoteAddress,
      },
      deps,
    );
  } catch (err) {
    const e = err as { type?: string; message?: string };
    if (e.type === 'entity.too.large')
      answer = { status: 413, body: { error: { code: 'too_large', message: `the webhook body is larger than ${BODY_LIMIT}` } } };
    else if (e.type === 'request.aborted') return void res.destroy();
    else {
      deps.logger.error({ err }, 'webhook failed');
      answer = { status: 500, body: { error: { code: 'internal', message: 'internal error; see the daemon log' } } };
    }
  }
  const body = JSON.stringify(answer.body);
  res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
  answered?.((performance.now() - t0) / 1000);
}
