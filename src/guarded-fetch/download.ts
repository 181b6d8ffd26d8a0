import { PermanentError, RetryableError } from '../queue/errors';
import { DownloadFailedError } from './errors';
import { fetchCapped } from './fetch-capped';
import { parseHostRule, type HostRule } from './host-rules';

export interface DownloadOptions {
  timeoutMs?: number;
  /** Hosts the URL may name (`host`, `host:port` or an origin); absent: any http(s) host but Ponte itself. */
  hosts?: Array<string | HostRule>;
  /** How a refusal names those hosts, e.g. "registration.fileHosts". */
  hostsName?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Fetches a file by URL (a flow's image, a registration document), streamed and cut off at `maxBytes`.
 * Refused URLs, too large and 4xx are permanent; timeouts, network errors, 408, 429 and 5xx are worth
 * retrying. The third argument may still be the bare timeout.
 */
export async function downloadFile(url: string, maxBytes: number, options: number | DownloadOptions = {}): Promise<{ data: Buffer; mimetype?: string }> {
  const opts = typeof options === 'number' ? { timeoutMs: options } : options;
  try {
    const file = await fetchCapped(url, {
      maxBytes,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      allowed: opts.hosts?.map((h) => (typeof h === 'string' ? parseHostRule(h) : h)),
      allowedName: opts.hostsName,
    });
    return { data: file.data, mimetype: file.contentType };
  } catch (err) {
    if (err instanceof PermanentError) throw err;
    if (err instanceof DownloadFailedError) throw err.retryable ? new RetryableError(err.message) : new PermanentError(err.message);
    throw new RetryableError(`download failed: ${(err as Error).message}`);
  }
}
