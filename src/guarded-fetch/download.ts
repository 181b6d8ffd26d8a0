import { PermanentError, RetryableError } from '../queue/errors';
import { fetchCapped, type FetchRules } from './fetch-capped';
import { parseHostRule, type HostRule } from './host-rules';

export interface DownloadOptions {
  timeoutMs?: number;
  /** Hosts the URL may name (`host`, `host:port` or an origin); absent: any http(s) host but Ponte itself. */
  hosts?: Array<string | HostRule>;
  /** How a refusal names those hosts, e.g. "registration.fileHosts". */
  hostsName?: string;
  /** Headers for that origin only (Chatwoot's API token), never for a storage host it redirects to. */
  credentials?: FetchRules['credentials'];
}

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Fetches a file by URL (an agent's attachment, a flow's image, a registration document), streamed and
 * cut off at `maxBytes`. Refused URLs, too large and 4xx are permanent; timeouts, network errors, 408,
 * 429 and 5xx are worth retrying (both with the HTTP status, 0 without an answer). The third argument may
 * still be the bare timeout.
 */
export async function downloadFile(
  url: string,
  maxBytes: number,
  options: number | DownloadOptions = {},
): Promise<{ data: Buffer; mimetype?: string }> {
  const opts = typeof options === 'number' ? { timeoutMs: options } : options;
  try {
    const file = await fetchCapped(url, {
      maxBytes,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      allowed: opts.hosts?.map((h) => (typeof h === 'string' ? parseHostRule(h) : h)),
      allowedName: opts.hostsName,
      credentials: opts.credentials,
    });
    return { data: file.data, mimetype: file.contentType };
  } catch (err) {
    if (err instanceof PermanentError || err instanceof RetryableError) throw err;
    throw new RetryableError(`download failed: ${(err as Error).message}`);
  }
}
