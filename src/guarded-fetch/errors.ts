import { PermanentError, RetryableError } from '../queue/errors';

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

/** The other side did not answer in time, could not be reached, or answered 408, 429 or 5xx: it may pass. */
export class DownloadUnavailableError extends RetryableError {
  constructor(
    /** 0 when no HTTP answer arrived (timeout, connection refused). */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadUnavailableError';
  }
}

/** The other side answered another 4xx: asking again fails the same way. */
export class DownloadRejectedError extends PermanentError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadRejectedError';
  }
}

export type DownloadFailure = DownloadUnavailableError | DownloadRejectedError;

/** The other side answered with an error, or did not answer at all (`status` 0): retried or not by its status. */
export function downloadFailed(status: number, message: string): DownloadFailure {
  const passes = status === 0 || status === 408 || status === 429 || status >= 500;
  return passes ? new DownloadUnavailableError(status, message) : new DownloadRejectedError(status, message);
}

export function isDownloadFailure(err: unknown): err is DownloadFailure {
  return err instanceof DownloadUnavailableError || err instanceof DownloadRejectedError;
}

/** 40 -> "40", 0.004 -> "0.004": the limit as the configuration wrote it. */
export function formatMB(bytes: number): string {
  return String(Number((bytes / 1048576).toPrecision(3)));
}
