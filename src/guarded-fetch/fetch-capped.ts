import dns from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { Readable } from 'node:stream';
import axios, { isAxiosError, isCancel } from 'axios';
import { isOwnPort } from './own-ports';
import { downloadFailed, DownloadRefusedError, DownloadTooLargeError, isDownloadFailure, type DownloadFailure } from './errors';
import { describeRule, effectivePort, matchesRule, sameOrigin, type HostRule } from './host-rules';
import { bareHost, isThisMachine } from './local-address';

export interface FetchRules {
  /** Hosts the first URL may name; absent: any http(s) host. */
  allowed?: HostRule[];
  /** How a refusal names the allowed hosts, e.g. "Chatwoot's origin (chatwoot.baseUrl)". */
  allowedName?: string;
  /** Headers that go to this origin only (an API token), never to a host a redirect names. */
  credentials?: { origin: string; headers: Record<string, string> };
  maxBytes: number;
  /** For the whole download, headers and body, every redirect included. */
  timeoutMs: number;
  maxRedirects?: number;
}

export interface FetchedFile {
  data: Buffer;
  contentType?: string;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
// No keep-alive: every connection goes through the address check below, none is picked from a pool.
const httpAgent = new http.Agent({ keepAlive: false });
const httpsAgent = new https.Agent({ keepAlive: false });

interface Hop {
  url: URL;
  /** Addresses checked for this hop; the connection is made to these, not to a second DNS answer. */
  addresses: Array<{ address: string; family: 4 | 6 }>;
}

/**
 * Downloads a file Ponte was told about by someone else (a webhook, a flow), on Ponte's own terms: http(s)
 * only, from the allowed hosts and, after a redirect from one of them, from the one storage host it names;
 * never from Ponte's own ports; credentials to their origin only; streamed and cut off at `maxBytes`;
 * the whole of it within `timeoutMs`. Every failure is a lane error that says why: refusals, a file above
 * the cap and a 4xx are permanent, timeouts, network errors, 408, 429 and 5xx are worth retrying.
 */
export async function fetchCapped(url: string, rules: FetchRules): Promise<FetchedFile> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), rules.timeoutMs);
  const timedOut = () => downloadFailed(0, `the download did not finish within ${Math.round(rules.timeoutMs / 1000)} s`);
  try {
    let current = parseUrl(url);
    checkFirst(current, rules);
    let storage: URL | undefined;
    for (let redirects = 0; ; redirects++) {
      const hop = await checkedHop(current);
      if (controller.signal.aborted) throw timedOut();
      const res = await get(hop, rules, controller.signal).catch((err: unknown) => {
        throw controller.signal.aborted || isCancel(err) ? timedOut() : networkError(err, current);
      });
      const body = res.data;
      if (REDIRECTS.has(res.status)) {
        body.destroy();
        const location: unknown = res.headers.location;
        if (typeof location !== 'string' || !location)
          throw downloadFailed(res.status, `${current.host} answered HTTP ${res.status} without a Location`);
        if (redirects >= (rules.maxRedirects ?? 5)) throw new DownloadRefusedError(`more than ${rules.maxRedirects ?? 5} redirects`);
        const next = parseUrl(location, current);
        storage = checkRedirect(next, current, storage, rules);
        current = next;
        continue;
      }
      if (res.status < 200 || res.status >= 300) {
        body.destroy();
        throw downloadFailed(res.status, `${current.host} answered HTTP ${res.status}`);
      }
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > rules.maxBytes) {
        body.destroy();
        throw new DownloadTooLargeError(rules.maxBytes);
      }
      const data = await readCapped(body, rules.maxBytes, controller.signal, Number.isFinite(declared) ? declared : undefined).catch(
        (err: unknown) => {
          if (err instanceof DownloadTooLargeError) throw err;
          throw controller.signal.aborted ? timedOut() : networkError(err, current);
        },
      );
      const type = res.headers['content-type'];
      return { data, contentType: typeof type === 'string' ? type.split(';')[0].trim() || undefined : undefined };
    }
  } finally {
    clearTimeout(timer);
  }
}

function parseUrl(text: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    throw new DownloadRefusedError(`"${text.slice(0, 80)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new DownloadRefusedError(`${url.protocol}// URLs are not fetched (http and https only)`);
  return url;
}

function allowedList(rules: FetchRules): string {
  return rules.allowedName ?? rules.allowed!.map(describeRule).join(', ');
}

function checkFirst(url: URL, rules: FetchRules): void {
  if (rules.allowed && !rules.allowed.some((r) => matchesRule(url, r))) {
    throw new DownloadRefusedError(`${url.protocol}//${url.host} is not an allowed host (allowed: ${allowedList(rules)})`);
  }
}

/**
 * An allowed host may send Ponte to one storage host (Chatwoot to its S3 bucket); from there only that
 * host or an allowed one. Without a list, a redirect may go anywhere a first URL could.
 */
function checkRedirect(next: URL, from: URL, storage: URL | undefined, rules: FetchRules): URL | undefined {
  if (!rules.allowed || rules.allowed.some((r) => matchesRule(next, r))) return storage;
  if (storage && sameOrigin(next, storage)) return storage;
  const fromAllowed = rules.allowed.some((r) => matchesRule(from, r));
  if (!storage && fromAllowed) return next;
  throw new DownloadRefusedError(
    `a redirect from ${from.host} to ${next.protocol}//${next.host} was not followed (only one storage host, named by ${allowedList(rules)})`,
  );
}

/** Refuses Ponte's own ports on this machine, whatever name or address form the URL uses. */
async function checkedHop(url: URL): Promise<Hop> {
  const host = bareHost(url.hostname);
  let addresses: Hop['addresses'];
  if (net.isIP(host)) addresses = [{ address: host, family: net.isIP(host) === 6 ? 6 : 4 }];
  else {
    try {
      addresses = (await dns.lookup(host, { all: true })).map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch (err) {
      throw downloadFailed(0, `cannot resolve ${host}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  if (isOwnPort(effectivePort(url)) && addresses.some((a) => isThisMachine(a.address))) {
    throw new DownloadRefusedError(`${url.protocol}//${url.host} is Ponte itself; it never fetches from its own port`);
  }
  return { url, addresses };
}

function get(hop: Hop, rules: FetchRules, signal: AbortSignal) {
  const { url, addresses } = hop;
  const creds = rules.credentials && sameOrigin(url, new URL(rules.credentials.origin)) ? rules.credentials.headers : {};
  return axios.get<Readable>(url.href, {
    responseType: 'stream',
    maxRedirects: 0,
    validateStatus: () => true,
    // A proxy from the environment would make the connection, out of reach of the address check.
    proxy: false,
    httpAgent,
    httpsAgent,
    signal,
    headers: { Accept: '*/*', ...creds },
    lookup: (_host, opts, cb) =>
      (opts as { all?: boolean }).all ? cb(null, addresses) : cb(null, addresses[0].address, addresses[0].family),
  });
}

/**
 * Reads until the end or one byte past `maxBytes`, whichever comes first: a huge body is never held. With
 * its length declared, the file is written into one buffer of that size as it arrives, each piece let go
 * at once: the file is held once, not once in pieces and again joined.
 */
async function readCapped(body: Readable, maxBytes: number, signal: AbortSignal, declared?: number): Promise<Buffer> {
  const stop = () => body.destroy(new Error('aborted'));
  signal.addEventListener('abort', stop, { once: true });
  let whole = declared !== undefined ? Buffer.allocUnsafe(declared) : undefined;
  const chunks: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of body) {
      const piece = chunk as Buffer;
      if (total + piece.length > maxBytes) {
        body.destroy();
        throw new DownloadTooLargeError(maxBytes);
      }
      if (whole && total + piece.length <= whole.length) piece.copy(whole, total);
      else {
        // Longer than it said: what came so far, then the pieces, joined at the end.
        if (whole) chunks.push(whole.subarray(0, total));
        whole = undefined;
        chunks.push(piece);
      }
      total += piece.length;
    }
  } finally {
    signal.removeEventListener('abort', stop);
  }
  if (whole) return total === whole.length ? whole : whole.subarray(0, total);
  return Buffer.concat(chunks, total);
}

function networkError(err: unknown, url: URL): DownloadFailure {
  if (isDownloadFailure(err)) return err;
  const code = isAxiosError(err) ? err.code : (err as NodeJS.ErrnoException)?.code;
  return downloadFailed(0, `downloading from ${url.host} failed: ${code ?? (err as Error)?.message ?? String(err)}`);
}
