import { isIP } from 'node:net';

/**
 * Rough stand-ins for the libraries Typebot validates with (validator.js isURL, libphonenumber-js, chrono-node).
 * They agree with Typebot on the cases a bridge meets; exotic inputs may differ.
 */

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}$/;

/** formatEmail: valid addresses are lower-cased. */
export const formatEmail = (text: string): string | undefined => (EMAIL.test(text) ? text.toLowerCase() : undefined);

/** validator.js isURL: protocol optional; the host needs a TLD unless it is an IP (or a trusted localhost). */
export function isUrl(text: string, { allowLocalhost = false } = {}): boolean {
  if (text === '' || /\s/.test(text)) return false;
  const withProtocol = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withProtocol);
  } catch {
    return false;
  }
  if (!['http:', 'https:', 'ftp:'].includes(url.protocol)) return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return allowLocalhost;
  return isIP(host) !== 0 || /^([a-z0-9-]+\.)+[a-z]{2,}$/i.test(host) || /^([a-z0-9-]+\.)+xn--[a-z0-9-]+$/i.test(host);
}

const CALLING_CODES: Record<string, string> = {
  BR: '55',
  US: '1',
  CA: '1',
  PT: '351',
  GB: '44',
  FR: '33',
  DE: '49',
  ES: '34',
  IT: '39',
  MX: '52',
  AR: '54',
  IN: '91',
};

/** formatPhoneNumber: the first number found in the text, as E.164; without "+" only with a default country. */
export function formatPhone(text: string, defaultCountryCode?: string): string | undefined {
  const found = text.match(/\+?\(?\d[\d\s().-]{5,}\d/);
  if (!found) return undefined;
  const digits = found[0].replace(/\D/g, '');
  let e164: string;
  if (found[0].startsWith('+')) e164 = digits;
  else if (defaultCountryCode && CALLING_CODES[defaultCountryCode]) e164 = CALLING_CODES[defaultCountryCode] + digits.replace(/^0+/, '');
  else return undefined;
  return e164.length >= 8 && e164.length <= 15 ? `+${e164}` : undefined;
}

/** validateNumber: a decimal comma is accepted; min/max are inclusive. The answer keeps the text as typed. */
export function parseNumber(text: string, min?: number, max?: number): string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const n = Number(t.includes(',') ? t.replace(',', '.') : t);
  if (Number.isNaN(n)) return undefined;
  if ((min !== undefined && n < min) || (max !== undefined && n > max)) return undefined;
  return t;
}

/** validateRatingReply: a number from startsAt (default 0) to length (default 10). */
export function parseRating(text: string, length = 10, startsAt = 0): string | undefined {
  const n = Number(text.trim());
  return text.trim() !== '' && Number.isFinite(n) && n >= startsAt && n <= length ? text.trim() : undefined;
}

/** parseTime: "14:05", "2:05 pm" -> "HH:mm". */
export function parseTime(text: string): string | undefined {
  const m = /^(\d{1,2}):(\d{2})(?:\s*([ap])\.?m\.?)?$/i.exec(text.trim());
  if (!m) return undefined;
  let h = Number(m[1]);
  const min = Number(m[2]);
  if (m[3]) h = (h % 12) + (m[3].toLowerCase() === 'p' ? 12 : 0);
  if (h > 23 || min > 59) return undefined;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

interface DateOptions {
  hasTime?: boolean;
  isRange?: boolean;
  format?: string;
  min?: string;
  max?: string;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function parseOneDate(text: string, dayFirst: boolean): Date | undefined {
  const t = text.trim();
  let y: number;
  let mo: number;
  let d: number;
  let h: number;
  let mi: number;
  const iso = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?/.exec(t);
  const slashed = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:,?\s+(\d{1,2}):(\d{2}))?$/.exec(t);
  if (iso) [y, mo, d, h, mi] = [Number(iso[1]), Number(iso[2]), Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0)];
  else if (slashed) {
    const [a, b] = [Number(slashed[1]), Number(slashed[2])];
    [d, mo] = dayFirst ? [a, b] : [b, a];
    [y, h, mi] = [Number(slashed[3]), Number(slashed[4] ?? 0), Number(slashed[5] ?? 0)];
  } else return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi));
  return date.getUTCMonth() === mo - 1 && date.getUTCDate() === d && h < 24 && mi < 60 ? date : undefined;
}

function formatDate(date: Date, format: string): string {
  return format
    .replace(/yyyy/g, String(date.getUTCFullYear()))
    .replace(/MM/g, pad(date.getUTCMonth() + 1))
    .replace(/dd/g, pad(date.getUTCDate()))
    .replace(/HH/g, pad(date.getUTCHours()))
    .replace(/mm/g, pad(date.getUTCMinutes()));
}

/**
 * parseDateReply: chrono reads the reply (day first when the format starts with "dd", the default
 * "dd/MM/yyyy"), the answer is re-formatted with the block's format, ranges are "<start> to <end>".
 */
export function parseDate(text: string, opts: DateOptions): string | undefined {
  const format = opts.format || (opts.hasTime ? 'dd/MM/yyyy HH:mm' : 'dd/MM/yyyy');
  const dayFirst = format.startsWith('dd');
  const parts = text.split(/\s+(?:to|-)\s+/i);
  const start = parseOneDate(parts[0], dayFirst);
  const end = parts.length > 1 ? parseOneDate(parts[1], dayFirst) : undefined;
  if (!start || (opts.isRange && !end)) return undefined;
  const outOfBounds = (d: Date | undefined): boolean =>
    d !== undefined && ((opts.min !== undefined && d < new Date(opts.min)) || (opts.max !== undefined && d > new Date(opts.max)));
  if (outOfBounds(start) || outOfBounds(end)) return undefined;
  return opts.isRange && end ? `${formatDate(start, format)} to ${formatDate(end, format)}` : formatDate(start, format);
}

const WILDCARD_EXTENSIONS: Record<string, string[]> = {
  image: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'heic', 'heif', 'bmp', 'tif', 'tiff', 'avif'],
  video: ['mp4', 'mov', 'webm', 'mpeg', 'ogv'],
  audio: ['mp3', 'm4a', 'ogg', 'oga', 'opus', 'wav', 'aac', 'weba'],
};

const MIME_EXTENSIONS: Record<string, string[]> = {
  'application/pdf': ['pdf'],
  'image/jpeg': ['jpeg', 'jpg'],
  'image/png': ['png'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'text/plain': ['txt'],
  'text/csv': ['csv'],
  'application/zip': ['zip'],
  'audio/mpeg': ['mp3'],
  'audio/ogg': ['ogg'],
  'video/mp4': ['mp4'],
  'application/msword': ['doc'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
};

export function allowedExtensions(types: string[]): string[] {
  return types.flatMap((t) => {
    const type = t.trim().toLowerCase();
    if (type.endsWith('/*')) return WILDCARD_EXTENSIONS[type.slice(0, -2)] ?? [];
    if (type.includes('/')) return MIME_EXTENSIONS[type] ?? [];
    return [type.replace(/^\./, '')];
  });
}

/**
 * File input: URLs separated by commas or newlines. Typebot only needs ONE of them to be a valid URL, and takes
 * the extension as whatever follows the last "." of the whole URL (so a query string defeats allowedFileTypes).
 */
export function parseFileUrls(urls: string[], allowed: string[] | undefined): boolean {
  const someValid = urls.some((u) => isUrl(u, { allowLocalhost: true }));
  const extensionsOk =
    !allowed ||
    urls.every((u) => {
      const ext = u.split('.').pop();
      return ext !== undefined && allowed.includes(ext.toLowerCase());
    });
  return someValid && extensionsOk;
}
