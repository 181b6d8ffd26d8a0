/**
 * How long the other side (Chatwoot, Typebot, the registration backend, a proxy in front of them) asked
 * to be left alone: Retry-After (RFC 9110 §10.2.3) is delay-seconds or an HTTP-date. Fractions of a
 * second, which some proxies send, are read too. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
