import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/safe-equal';

export type WebhookAuth = { ok: true } | { ok: false; reason: 'signature' | 'stale' | 'token' | 'missing'; message: string };

export interface WebhookAuthSettings {
  secret?: string;
  token?: string;
  /** Accepted clock difference for X-Chatwoot-Timestamp. */
  toleranceS?: number;
}

/**
 * Chatwoot 4.13 signs with `sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>")`; older versions do
 * not sign, so a secret token in the webhook URL stands in (CONTRACTS.md, Webhooks).
 */
export function verifyWebhook(
  settings: WebhookAuthSettings,
  raw: Buffer,
  headers: { signature?: string; timestamp?: string },
  queryToken: string | undefined,
  nowS = Math.floor(Date.now() / 1000),
): WebhookAuth {
  if (settings.secret) {
    if (!headers.signature || !headers.timestamp) return { ok: false, reason: 'missing', message: 'X-Chatwoot-Signature and X-Chatwoot-Timestamp are required' };
    const ts = Number(headers.timestamp);
    if (!Number.isFinite(ts) || Math.abs(nowS - ts) > (settings.toleranceS ?? 300)) {
      return { ok: false, reason: 'stale', message: 'X-Chatwoot-Timestamp is more than 5 minutes away from now' };
    }
    const expected = `sha256=${createHmac('sha256', settings.secret).update(`${headers.timestamp}.`).update(raw).digest('hex')}`;
    return safeEqual(headers.signature.trim(), expected) ? { ok: true } : { ok: false, reason: 'signature', message: 'X-Chatwoot-Signature does not match' };
  }
  if (settings.token) {
    if (!queryToken) return { ok: false, reason: 'missing', message: 'the webhook URL must carry ?token=<webhookToken>' };
    return safeEqual(queryToken, settings.token) ? { ok: true } : { ok: false, reason: 'token', message: 'the webhook token is not valid' };
  }
  // Configuration validation refuses a chatwoot section without either; never accept unauthenticated.
  return { ok: false, reason: 'missing', message: 'no webhook secret or token is configured' };
}
