import { formatMB } from '../guarded-fetch/errors';
import { PermanentError, type RetryHint } from '../queue/errors';

/** A Chatwoot API call that did not succeed, with what the relay needs to decide: retry or give up. */
export class ChatwootError extends Error implements RetryHint {
  constructor(
    readonly endpoint: string,
    /** 0 when no HTTP answer arrived (timeout, connection refused). */
    readonly status: number,
    message: string,
    readonly body?: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(`Chatwoot ${endpoint}: ${status ? `HTTP ${status}` : 'no answer'}: ${message}`);
    this.name = 'ChatwootError';
  }

  /** Timeouts, network errors, 429 and 5xx can pass; other 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 429 || this.status >= 500;
  }
}

export class AttachmentTooLargeError extends PermanentError {
  constructor(readonly maxBytes: number) {
    super(`the attachment is larger than ${formatMB(maxBytes)} MB`);
    this.name = 'AttachmentTooLargeError';
  }
}
