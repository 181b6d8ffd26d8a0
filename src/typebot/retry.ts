import { backoffDelay, type BackoffPolicy } from '../core/backoff';
import { TypebotUnavailableError } from './errors';
import type { TypebotEndpoint } from './http';

/** Called before each wait, for logs: never with a request or response body. */
export type OnTypebotRetry = (info: { endpoint: TypebotEndpoint; attempt: number; delayMs: number; reason: string }) => void;

export interface RetryOptions {
  /** How long a failing call keeps being tried (0: never retried). */
  forMs: number;
  /** Whether a call Typebot may already have acted on can be sent again (true for startChat only). */
  resendUnsafe: boolean;
  onRetry?: OnTypebotRetry;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** First wait half a second, doubling (with jitter) up to 5 s: an outage of a few seconds costs little. */
const BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 5000 };

/**
 * Runs `call` until it succeeds, fails for good, or `forMs` has passed: only TypebotUnavailableError is
 * retried, never a 404 (the session is gone) or another 4xx. Retry-After is honoured; when it (or the
 * next backoff step) would end past the budget, the last error is thrown at once, saying for how long
 * the call was tried.
 */
export async function withRetries<T>(endpoint: TypebotEndpoint, call: () => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (!(err instanceof TypebotUnavailableError)) throw err;
      if (err.resend === 'unsafe' && !options.resendUnsafe) throw err;
      const delayMs = Math.max(err.retryAfterMs ?? 0, backoffDelay(attempt - 1, BACKOFF, options.random));
      const elapsed = Date.now() - started;
      if (elapsed + delayMs > options.forMs) {
        if (attempt === 1) throw err;
        throw new TypebotUnavailableError(
          `${err.message} (tried ${attempt} times over ${Math.round(elapsed / 100) / 10} s)`,
          err.status,
          err.resend,
          err.retryAfterMs,
        );
      }
      options.onRetry?.({ endpoint, attempt, delayMs, reason: err.message });
      await sleep(delayMs);
    }
  }
}
