import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios from 'axios';
import type { AxiosResponse } from 'axios';
import { parseRetryAfter } from '../core/retry-after';
import { PermanentError, RetryableError } from '../queue/errors';
import { BackendRejectedError, flattenFieldErrors } from './backend-errors';
import { signatureHeaders } from './signature';

export type BackendOutcome = 'ok' | 'rejected' | 'server_error' | 'timeout' | 'network';

export interface BackendClientOptions {
  /** The full URL, e.g. https://api.example.pt/drivers/register-typebot/ (Django wants the trailing slash). */
  endpoint: string;
  secret: string;
  timeoutMs: number;
  /** For metrics: how each call ended and how long it took. */
  onCall?: (outcome: BackendOutcome, seconds: number) => void;
  /** Milliseconds, like Date.now; the signature timestamp comes from it. */
  now?: () => number;
}

export interface BackendDelivery {
  driverId: string;
  status: number;
  /** The backend's JSON answer. */
  raw: unknown;
}

/**
 * No keep-alive: registrations are rare, and a pooled socket the backend already closed (gunicorn drops idle
 * ones after 2 s) fails the next POST with "socket hang up" for nothing.
 */
const httpAgent = new HttpAgent({ keepAlive: false });
const httpsAgent = new HttpsAgent({ keepAlive: false });

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string' || text.trim() === '') return text ?? null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function driverIdOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const id = r.driver_id ?? r.id ?? r.pk;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
}

/** Sends one validated registration to the backend and turns the answer into a driver id or a queue decision. */
export class BackendClient {
  private readonly now: () => number;

  constructor(private readonly opts: BackendClientOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** `body` is sent byte for byte as signed; the same registrationId must always come with the same body. */
  async deliver(registrationId: string, body: string): Promise<BackendDelivery> {
    const started = process.hrtime.bigint();
    const report = (outcome: BackendOutcome) => this.opts.onCall?.(outcome, Number(process.hrtime.bigint() - started) / 1e9);
    let res: AxiosResponse<string>;
    try {
      // A Buffer goes out untouched; axios re-serialises JSON strings, and the signature covers the exact bytes.
      res = await axios.post<string>(this.opts.endpoint, Buffer.from(body, 'utf8'), {
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': registrationId,
          ...signatureHeaders(this.opts.secret, body, Math.floor(this.now() / 1000)),
        },
        timeout: this.opts.timeoutMs,
        // axios' timeout restarts on socket activity; a backend trickling bytes is still cut at timeoutMs.
        signal: AbortSignal.timeout(this.opts.timeoutMs),
        responseType: 'text',
        transformResponse: (d: unknown) => d,
        validateStatus: () => true,
        // A redirect would turn the POST into a GET on the way; a wrong endpoint should fail loudly instead.
        maxRedirects: 0,
        maxBodyLength: Infinity,
        httpAgent,
        httpsAgent,
      });
    } catch (err) {
      const code = (err as { code?: string }).code;
      const timedOut = code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED';
      report(timedOut ? 'timeout' : 'network');
      const what = timedOut ? `no answer within ${this.opts.timeoutMs} ms` : `${code ?? 'error'}: ${(err as Error).message}`;
      throw new RetryableError(`backend ${this.opts.endpoint}: ${what}`);
    }
    const raw = parseJson(res.data);
    if (res.status >= 200 && res.status < 300) {
      report('ok');
      const driverId = driverIdOf(raw);
      // The driver exists, but nothing downstream can refer to it; retrying would get the same answer.
      if (driverId === undefined)
        throw new PermanentError(`backend answered ${res.status} without driver_id, id or pk: ${String(res.data).slice(0, 200)}`);
      return { driverId, status: res.status, raw };
    }
    // Overloaded or asked to slow down: the registration itself is fine.
    if (res.status >= 500 || res.status === 429 || res.status === 408) {
      report('server_error');
      throw new RetryableError(
        `backend answered HTTP ${res.status}: ${String(res.data).slice(0, 200)}`,
        parseRetryAfter(res.headers['retry-after'], this.now()),
      );
    }
    report('rejected');
    if (res.status >= 300 && res.status < 400) {
      throw new PermanentError(`backend redirected (HTTP ${res.status}) to ${String(res.headers.location)}: fix the configured endpoint`);
    }
    throw new BackendRejectedError(res.status, raw, flattenFieldErrors(raw));
  }
}
