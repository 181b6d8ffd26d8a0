import type { Check } from '../types';

const MAX_LENGTH = 254;
/** Deliberately pragmatic (what Django's EmailValidator accepts in practice): one @, dotted domain, letter TLD. */
const LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function validateEmail(raw: string | undefined): Check<string> {
  const value = (raw ?? '').trim();
  const at = value.lastIndexOf('@');
  if (value.length === 0 || value.length > MAX_LENGTH || at <= 0) return { ok: false, code: 'emailFormat' };
  const local = value.slice(0, at);
  const labels = value.slice(at + 1).split('.');
  const tld = labels[labels.length - 1];
  const ok = LOCAL.test(local) && labels.length >= 2 && labels.every((l) => DOMAIN_LABEL.test(l)) && /^[A-Za-z]{2,}$/.test(tld);
  if (!ok) return { ok: false, code: 'emailFormat' };
  // Domains are case-insensitive; the local part is left alone because some servers are not.
  return { ok: true, value: `${local}@${labels.join('.').toLowerCase()}` };
}
