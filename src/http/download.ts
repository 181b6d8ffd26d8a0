import axios, { isAxiosError } from 'axios';
import { PermanentError, RetryableError } from '../queue/errors';

/**
 * Fetches a file by URL (a flow's image, a registration document). Too large, 4xx and bad URLs are
 * permanent; timeouts, network errors and 5xx are worth retrying.
 */
export async function downloadFile(url: string, maxBytes: number, timeoutMs = 30_000): Promise<{ data: Buffer; mimetype?: string }> {
  try {
    const res = await axios.get<ArrayBuffer>(url, { responseType: 'arraybuffer', maxRedirects: 5, maxContentLength: maxBytes, timeout: timeoutMs });
    const type = res.headers['content-type'];
    return { data: Buffer.from(res.data), mimetype: typeof type === 'string' ? type.split(';')[0].trim() : undefined };
  } catch (err) {
    if (!isAxiosError(err)) throw new PermanentError(`cannot download ${url}: ${(err as Error).message}`);
    if (/maxContentLength/i.test(err.message)) throw new PermanentError(`the file at ${url} is larger than ${(maxBytes / 1048576).toFixed(1)} MB`);
    const status = err.response?.status;
    if (status && status >= 400 && status < 500 && status !== 429) throw new PermanentError(`downloading ${url} failed with HTTP ${status}`);
    throw new RetryableError(`downloading ${url} failed: ${status ? `HTTP ${status}` : err.message}`);
  }
}
