import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/safe-equal';

export const SIGNATURE_HEADER = 'X-Ponte-Signature';
export const TIMESTAMP_HEADER = 'X-Ponte-Timestamp';
export const DEFAULT_TOLERANCE_S = 300;

/** `sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`: the Chatwoot scheme, so one verifier shape fits both. */
export function sign(secret: string, timestamp: number | string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/** Both headers for a body about to be sent. */
export function signatureHeaders(
  secret: string,
  body: string | Buffer,
  timestampS = Math.floor(Date.now() / 1000),
): Record<string, string> {
  return { [TIMESTAMP_HEADER]: String(timestampS), [SIGNATURE_HEADER]: sign(secret, timestampS, body) };
}

export type VerifyResult = { ok: true } | { ok: false; reason: 'missing' | 'stale' | 'signature'; message: string };

export interface VerifyOptions {
  toleranceS?: number;
  /** Milliseconds, like Date.now. */
  now?: () => number;
}

type Headers = Record<string, string | string[] | undefined>;

/** Node lowercases incoming header names; callers passing a plain object may not have. */
function header(headers: Headers, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((k) => k.toLowerCase() === lower);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * What can be checked before the body is read: both headers present, the timestamp fresh. A receiver
 * refuses on this alone, so a request that cannot be genuine costs it no body.
 */
export function verifyHeaders(headers: Headers, opts: VerifyOptions = {}): VerifyResult {
  const signature = header(headers, SIGNATURE_HEADER)?.trim();
  const timestamp = header(headers, TIMESTAMP_HEADER)?.trim();
  if (!signature || !timestamp)
    return { ok: false, reason: 'missing', message: `${SIGNATURE_HEADER} and ${TIMESTAMP_HEADER} are required` };
  const tolerance = opts.toleranceS ?? DEFAULT_TOLERANCE_S;
  const nowS = Math.floor((opts.now ?? Date.now)() / 1000);
  if (!/^\d+$/.test(timestamp)) return { ok: false, reason: 'stale', message: `${TIMESTAMP_HEADER} '${timestamp}' is not unix seconds` };
  if (Math.abs(nowS - Number(timestamp)) > tolerance) {
    return {
      ok: false,
      reason: 'stale',
      message: `${TIMESTAMP_HEADER} is ${nowS - Number(timestamp)} s away from now (tolerance ${tolerance} s)`,
    };
  }
  return { ok: true };
}

/** Checks the signature over the exact bytes received; a stale timestamp stops replays of captured requests. */
export function verify(secret: string, headers: Headers, rawBody: string | Buffer, opts: VerifyOptions = {}): VerifyResult {
  const first = verifyHeaders(headers, opts);
  if (!first.ok) return first;
  const signature = header(headers, SIGNATURE_HEADER)!.trim();
  const timestamp = header(headers, TIMESTAMP_HEADER)!.trim();
  return safeEqual(signature, sign(secret, timestamp, rawBody))
    ? { ok: true }
    : { ok: false, reason: 'signature', message: `${SIGNATURE_HEADER} does not match the body` };
}
