import type { Check } from '../types';

/** Portuguese numbers are 9 digits: 2 landlines, 3 nomadic, 9 mobiles. */
const PT_NATIONAL = /^[239]\d{8}$/;
/** E.164 allows up to 15 digits; fewer than 8 cannot be a subscriber number anywhere. */
const E164 = /^\+[1-9]\d{7,14}$/;

/**
 * Normalises to E.164. Drivers mostly type Portuguese numbers without the country code, sometimes with
 * 00 instead of +, and with spaces, dots, dashes or parentheses.
 */
export function validatePhone(raw: string | undefined): Check<string> {
  let value = (raw ?? '').replace(/[\s.\-()/]/g, '');
  if (value.startsWith('00')) value = `+${value.slice(2)}`;
  if (PT_NATIONAL.test(value)) value = `+351${value}`;
  else if (/^351\d{9}$/.test(value)) value = `+${value}`;
  if (!E164.test(value)) return { ok: false, code: 'phoneFormat' };
  if (value.startsWith('+351') && !PT_NATIONAL.test(value.slice(4))) return { ok: false, code: 'phoneFormat' };
  return { ok: true, value };
}
