import type { Check } from '../types';

export const DEFAULT_MAX_TEXT_LENGTH = 200;

/**
 * Trims and collapses whitespace (WhatsApp answers often carry newlines or double spaces) and drops control
 * characters, so the backend gets one clean line.
 */
export function validateRequiredText(raw: string | undefined, maxLength = DEFAULT_MAX_TEXT_LENGTH): Check<string> {
  const value = (raw ?? '')
    // eslint-disable-next-line no-control-regex -- control characters are what this removes
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (value.length === 0) return { ok: false, code: 'required' };
  if (value.length > maxLength) return { ok: false, code: 'tooLong', vars: { max: maxLength } };
  return { ok: true, value };
}
