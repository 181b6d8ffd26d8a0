import { PermanentError, type RetryHint } from '../queue/errors';

/** The URL is not one Ponte fetches (scheme, host, port, Ponte itself): asking again changes nothing. */
export class DownloadRefusedError extends PermanentError {
  constructor(reason: string) {
    super(reason);
    this.name = 'DownloadRefusedError';
  }
}

/** The file is above the cap; the download stopped there. */
export class DownloadTooLargeError extends PermanentError {
  constructor(readonly maxBytes: number) {
    super(`the file is larger than ${formatMB(maxBytes)} MB`);
    this.name = 'DownloadTooLargeError';
  }
}

/** The other side answered with an error, or did not answer in time. */
export class DownloadFailedError extends Error implements RetryHint {
  constructor(
    /** 0 when no HTTP answer arrived (timeout, connection refused). */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadFailedError';
  }

  /** Timeouts, network errors, 408, 429 and 5xx can pass; another 4xx will fail the same way again. */
  get retryable(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** 40 -> "40", 0.004 -> "0.004": the limit as the configuration wrote it. */
export function formatMB(bytes: number): string {
  return String(Number((bytes / 1048576).toPrecision(3)));
}
