import { createHmac } from 'node:crypto';
import { safeEqual } from '../core/safe-equal';

/** `inbox`: the signature was made with that inbox's own secret (sessions[].webhookSecret), so it speaks for that inbox only. */
export type WebhookAuth =
  { ok: true; inbox?: number } | { ok: false; reason: 'signature' | 'stale' | 'token' | 'missing'; message: string };

export interface WebhookAuthSettings {
  secret?: string;
  token?: string;
  /**
   * Inboxes with a secret of their own (Chatwoot 4.13 gives every API inbox its own secret): inbox id ->
   * secret. A webhook signed with one of them is accepted for that inbox's events only.
   */
  inboxSecrets?: Array<[number, string]>;
  /** Accepted clock difference for X-Chatwoot-Timestamp. */
  toleranceS?: number;
}

/**
 * Chatwoot 4.13 signs with `sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>")`; older versions do
 * not sign, so a secret token in the webhook URL stands in (CONTRACTS.md, Webhooks). The body is not
 * read before the signature is checked, so each known secret is tried in turn.
 */
export function verifyWebhook(
  settings: WebhookAuthSettings,
  raw: Buffer,
  headers: { signature?: string; timestamp?: string },
  queryToken: string | undefined,
  nowS = Math.floor(Date.now() / 1000),
): WebhookAuth {
  const inboxSecrets = settings.inboxSecrets ?? [];
  if (settings.secret || inboxSecrets.length) {
    if (!headers.signature || !headers.timestamp)
      return { ok: false, reason: 'missing', message: 'X-Chatwoot-Signature and X-Chatwoot-Timestamp are required' };
    const ts = Number(headers.timestamp);
    if (!Number.isFinite(ts) || Math.abs(nowS - ts) > (settings.toleranceS ?? 300)) {
      return { ok: false, reason: 'stale', message: 'X-Chatwoot-Timestamp is more than 5 minutes away from now' };
    }
    const given = headers.signature.trim();
    const signs = (secret: string) =>
      safeEqual(given, `sha256=${createHmac('sha256', secret).update(`${headers.timestamp}.`).update(raw).digest('hex')}`);
    if (settings.secret && signs(settings.secret)) return { ok: true };
    for (const [inbox, secret] of inboxSecrets) if (signs(secret)) return { ok: true, inbox };
    return { ok: false, reason: 'signature', message: 'X-Chatwoot-Signature does not match' };
  }
  if (settings.token) {
    if (!queryToken) return { ok: false, reason: 'missing', message: 'the webhook URL must carry ?token=<webhookToken>' };
    return safeEqual(queryToken, settings.token) ? { ok: true } : { ok: false, reason: 'token', message: 'the webhook token is not valid' };
  }
  // Configuration validation refuses a chatwoot section without either; never accept unauthenticated.
  return { ok: false, reason: 'missing', message: 'no webhook secret or token is configured' };
}
