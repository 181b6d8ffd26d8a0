import type { Check } from '../types';

/** Portuguese postal codes are NNNN-NNN with the first group 1000-9999; "1000001" and "1000 001" are common typings. */
export function validatePostalCode(raw: string | undefined): Check<string> {
  const m = /^([1-9]\d{3})\s*[-‐–]?\s*(\d{3})$/.exec((raw ?? '').trim());
  if (!m) return { ok: false, code: 'postalCodeFormat' };
  return { ok: true, value: `${m[1]}-${m[2]}` };
}
