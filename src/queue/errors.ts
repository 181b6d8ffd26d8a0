/** How the lanes decide between retrying an item and dead-lettering it at once. */
export interface RetryHint {
  /** false: retrying cannot help (a 4xx, a bad payload). Default: retry. */
  retryable?: boolean;
  /** The other side asked to wait this long (HTTP Retry-After). */
  retryAfterMs?: number;
}

export class PermanentError extends Error implements RetryHint {
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export class RetryableError extends Error implements RetryHint {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'RetryableError';
  }
}

export function retryHint(err: unknown): Required<Pick<RetryHint, 'retryable'>> & RetryHint {
  const e = err as RetryHint | undefined;
  return { retryable: e?.retryable !== false, retryAfterMs: e?.retryAfterMs };
}

/**
 * Not yet: the item is handed back without counting an attempt and worked on again after `retryAfterMs`.
 * The lane waits meanwhile (order kept), but the worker is free for other lanes.
 */
export class NotYetError extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'NotYetError';
  }
}

/**
 * The item belongs to a session another daemon runs (several daemons share one Redis): handed back, to be
 * picked up again shortly, ideally by its owner.
 */
export class NotOwnerError extends NotYetError {
  readonly notOwner = true;
  constructor(
    readonly sessionId: string,
    retryAfterMs = 250,
  ) {
    super(`session ${sessionId} runs on another daemon`, retryAfterMs);
    this.name = 'NotOwnerError';
  }
}
