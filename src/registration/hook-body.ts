import { DEFAULT_FILE_FIELDS } from './types';

export interface HookBody {
  /** Text answers by variable name. */
  fields: Record<string, string>;
  /** File variables hold upload URLs; a file input that accepts several joins them with ", ". */
  fileUrls: Record<string, string[]>;
  resultId?: string;
  submittedAt?: string;
}

export interface HookBodyOptions {
  /** Variables whose values are file URLs rather than text. */
  fileFields?: readonly string[];
}

/** The body cannot be read at all; the intake answers 400 with this message. */
export class HookBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HookBodyError';
  }
}

const RESULT_ID_KEYS = ['resultId', 'result_id'];
const SUBMITTED_AT_KEYS = ['submittedAt', 'submitted_at'];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Typebot lists are arrays; numbers and booleans arrive when a custom body is written without quotes. */
function toText(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value)) {
    const parts = value.map(toText).filter((v): v is string => v !== undefined && v !== '');
    return parts.join(', ');
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const text = String(value);
    // A custom body quoting an unset variable can reach us as the literal template.
    return /^\{\{[^}]*\}\}$/.test(text.trim()) ? undefined : text;
  }
  return undefined;
}

function splitUrls(text: string): string[] {
  return text
    .split(/\s*,\s*/)
    .map((u) => u.trim())
    .filter((u) => /^https?:\/\/\S+$/i.test(u));
}

/** Name/value pairs from either `{variables: [{name, value}]}`, `{variables: {...}}` or a flat object. */
function entriesOf(body: Record<string, unknown>): Array<[string, unknown]> {
  const vars = body.variables;
  if (Array.isArray(vars)) {
    return vars
      .filter(isObject)
      .filter((v) => typeof v.name === 'string')
      .map((v) => [v.name as string, v.value]);
  }
  if (isObject(vars)) return Object.entries(vars);
  return Object.entries(body);
}

function firstString(sources: Array<Record<string, unknown> | undefined>, keys: string[]): string | undefined {
  for (const source of sources)
    for (const key of keys) {
      const v = source?.[key];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
    }
  return undefined;
}

/**
 * Reads the body of a Typebot HTTP Request block: the default `parseAnswers()` shape
 * `{"submittedAt": ISO, "<variable>": "<value>", ...}` or a custom body with `variables`.
 */
export function parseHookBody(input: unknown, opts: HookBodyOptions = {}): HookBody {
  let body = input;
  if (Buffer.isBuffer(body)) body = body.toString('utf8');
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch (e) {
      throw new HookBodyError(`body is not JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(body)) throw new HookBodyError('body must be a JSON object');

  const fileFields = opts.fileFields ?? DEFAULT_FILE_FIELDS;
  const reserved = [...RESULT_ID_KEYS, ...SUBMITTED_AT_KEYS];
  const fields: Record<string, string> = {};
  const fileUrls: Record<string, string[]> = {};
  for (const [name, value] of entriesOf(body)) {
    if (reserved.includes(name)) continue;
    const text = toText(value);
    if (text === undefined) continue;
    if (fileFields.includes(name)) {
      const urls = splitUrls(text);
      if (urls.length > 0) fileUrls[name] = urls;
    } else {
      fields[name] = text;
    }
  }

  // In the variables shapes these may sit at the top, in meta, or among the variables themselves.
  const asObject = Object.fromEntries(entriesOf(body));
  const sources = [body, isObject(body.meta) ? body.meta : undefined, asObject];
  const resultId = firstString(sources, RESULT_ID_KEYS);
  const submittedAt = firstString(sources, SUBMITTED_AT_KEYS);
  return { fields, fileUrls, ...(resultId ? { resultId } : {}), ...(submittedAt ? { submittedAt } : {}) };
}
