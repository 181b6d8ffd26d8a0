import type { Check } from '../types';

/**
 * Prefixes the Autoridade Tributária assigns: 1-3 people, 45 non-resident people, 5 companies, 6 public
 * bodies, 70/74/75 undivided estates, 71 non-resident companies, 72 investment funds, 77 assigned ex officio,
 * 79 exceptional regime, 8 sole traders (legacy), 90/91 condominiums and irregular companies, 98 non-residents
 * without a permanent establishment, 99 civil partnerships.
 */
const SINGLE_DIGIT_PREFIXES = ['1', '2', '3', '5', '6', '8'];
const TWO_DIGIT_PREFIXES = ['45', '70', '71', '72', '74', '75', '77', '79', '90', '91', '98', '99'];

/** Mod 11 over the first eight digits (weights 9..2); remainders 0 and 1 both give 0. */
export function nifCheckDigit(firstEight: string): number {
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(firstEight[i]) * (9 - i);
  const remainder = sum % 11;
  return remainder < 2 ? 0 : 11 - remainder;
}

export function hasValidNifPrefix(nif: string): boolean {
  return SINGLE_DIGIT_PREFIXES.includes(nif[0]) || TWO_DIGIT_PREFIXES.includes(nif.slice(0, 2));
}

/** Drivers type NIFs as printed on cards and invoices: "123 456 789", "123.456.789", "PT123456789". */
export function validateNif(raw: string | undefined): Check<string> {
  const compact = (raw ?? '')
    .replace(/[\s.-]/g, '')
    .toUpperCase()
    .replace(/^PT/, '');
  if (!/^\d{9}$/.test(compact)) return { ok: false, code: 'nifFormat' };
  if (!hasValidNifPrefix(compact))
    return { ok: false, code: 'nifFirstDigit', vars: { prefix: compact[0] === '0' ? '0' : compact.slice(0, 2) } };
  if (nifCheckDigit(compact) !== Number(compact[8])) return { ok: false, code: 'nifCheckDigit' };
  return { ok: true, value: compact };
}
