import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig, isAxiosError } from 'axios';
import { FlowFailedError, FlowGoneError } from '../bots/ports';
import { parseRetryAfter } from '../core/retry-after';
import { inSpan, SpanKind } from '../observability/tracing';
import { resendForCode, resendForStatus, TypebotUnavailableError } from './errors';

export type TypebotEndpoint = 'startChat' | 'continueChat' | 'results';
export type TypebotCallOutcome = 'ok' | 'gone' | 'error';
/** Called once per request, for metrics: which endpoint, how it ended, how long it took. */
export type OnTypebotCall = (endpoint: TypebotEndpoint, outcome: TypebotCallOutcome, seconds: number) => void;

export interface TypebotHttpOptions {
  /** Typebot viewer (chat API) or builder (results API) URL, without `/api`. */
  baseUrl: string;
  apiToken?: string;
  timeoutMs: number;
  onCall?: OnTypebotCall;
}

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);

export function createTypebotHttp(options: TypebotHttpOptions): AxiosInstance {
  return axios.create({
    baseURL: `${options.baseUrl.replace(/\/+$/, '')}/api`,
    timeout: options.timeoutMs,
    headers: {
      Accept: 'application/json',
      ...(options.apiToken ? { Authorization: `Bearer ${options.apiToken}` } : {}),
    },
    // Every conversation turn is a call to the same host.
    httpAgent: new http.Agent({ keepAlive: true }),
    httpsAgent: new https.Agent({ keepAlive: true }),
    // Typebot's API answers directly; a redirect would mean a wrong baseUrl, better seen as an error.
    maxRedirects: 0,
  });
}

/** The `message` of Typebot's oRPC error body (`{code, status, message}`), when there is one. */
function serverMessage(data: unknown): string | undefined {
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    return (data as { message: string }).message;
  }
  return undefined;
}

/**
 * One request, timed and reported through `onCall`. A 404 means the thing asked for no longer exists
 * (Typebot says so for unknown, completed and expired sessions alike): FlowGoneError carries Typebot's
 * own sentence. A failure that may pass (timeouts, unreachable, 408/429/5xx) is a TypebotUnavailableError
 * saying whether the same request may be sent again; anything else is a FlowFailedError with the HTTP
 * status when there was one. Request and response bodies never go into an error message: they hold what
 * the user typed.
 */
export function callTypebot<T>(
  client: AxiosInstance,
  endpoint: TypebotEndpoint,
  config: AxiosRequestConfig,
  options: Pick<TypebotHttpOptions, 'timeoutMs' | 'onCall'>,
): Promise<T> {
  return inSpan(
    `typebot ${endpoint}`,
    { 'ponte.endpoint': endpoint },
    (span) =>
      requestTypebot<T>(client, endpoint, config, {
        timeoutMs: options.timeoutMs,
        onCall: (e, outcome, seconds) => {
          span.setAttribute('ponte.outcome', outcome);
          options.onCall?.(e, outcome, seconds);
        },
      }),
    { kind: SpanKind.CLIENT },
  );
}

async function requestTypebot<T>(
  client: AxiosInstance,
  endpoint: TypebotEndpoint,
  config: AxiosRequestConfig,
  options: Pick<TypebotHttpOptions, 'timeoutMs' | 'onCall'>,
): Promise<T> {
  const started = performance.now();
  const report = (outcome: TypebotCallOutcome): void => options.onCall?.(endpoint, outcome, (performance.now() - started) / 1000);
  try {
    const res = await client.request<T>(config);
    report('ok');
    return res.data;
  } catch (err) {
    if (!isAxiosError(err)) {
      report('error');
      throw err;
    }
    const status = err.response?.status;
    const said = serverMessage(err.response?.data);
    if (status === 404) {
      report('gone');
      throw new FlowGoneError(said ?? `Typebot ${endpoint}: not found`);
    }
    report('error');
    if (status !== undefined) {
      const message = `Typebot ${endpoint} failed with ${status}${said ? `: ${said}` : ''}`;
      const resend = resendForStatus(status);
      if (resend) throw new TypebotUnavailableError(message, status, resend, parseRetryAfter(err.response?.headers?.['retry-after']));
      throw new FlowFailedError(message, status);
    }
    if (TIMEOUT_CODES.has(err.code ?? '')) {
      throw new TypebotUnavailableError(
        `Typebot ${endpoint} timed out after ${config.timeout ?? options.timeoutMs} ms`,
        undefined,
        'unsafe',
      );
    }
    throw new TypebotUnavailableError(`Typebot ${endpoint} unreachable: ${err.code ?? err.message}`, undefined, resendForCode(err.code));
  }
}

/** Throws FlowFailedError when a 2xx body is not the object the API promises (a proxy page, an empty body). */
export function expectObject(endpoint: TypebotEndpoint, data: unknown, field?: string): Record<string, unknown> {
  const ok = data !== null && typeof data === 'object' && !Array.isArray(data);
  if (!ok || (field !== undefined && typeof (data as Record<string, unknown>)[field] !== 'string')) {
    throw new FlowFailedError(`Typebot ${endpoint} returned an unexpected body${field ? ` (no ${field})` : ''}`);
  }
  return data as Record<string, unknown>;
}
