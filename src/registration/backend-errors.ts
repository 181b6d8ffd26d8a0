import { PermanentError } from '../queue/errors';

/** Django REST framework error bodies, flattened: `{"nif": ["..."], "variables": [{"value": ["..."]}]}` -> "variables[0].value". */
export function flattenFieldErrors(body: unknown, path = ''): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const add = (p: string, msg: string) => {
    (out[p || 'error'] ??= []).push(msg);
  };
  const walk = (value: unknown, p: string): void => {
    if (value === null || value === undefined) return;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') add(p, String(value));
    else if (Array.isArray(value)) value.forEach((v, i) => walk(v, typeof v === 'object' && v !== null ? `${p}[${i}]` : p));
    else for (const [k, v] of Object.entries(value as Record<string, unknown>)) walk(v, p ? `${p}.${k}` : k);
  };
  walk(body, path);
  return out;
}

const MAX_SUMMARY = 1000;

/** "nif: NIF já registado; email: Enter a valid email address." */
export function summarizeFieldErrors(fieldErrors: Record<string, string[]>): string {
  const text = Object.entries(fieldErrors)
    .map(([field, msgs]) => `${field}: ${msgs.join(' ')}`)
    .join('; ');
  return text.length > MAX_SUMMARY ? `${text.slice(0, MAX_SUMMARY)}…` : text;
}

/** A 4xx: retrying the same body cannot help. Keeps what the backend said for the dead-letter entry and the agent. */
export class BackendRejectedError extends PermanentError {
  constructor(
    readonly status: number,
    /** The parsed JSON body, or the text when it was not JSON. */
    readonly details: unknown,
    readonly fieldErrors: Record<string, string[]>,
  ) {
    const summary = summarizeFieldErrors(fieldErrors);
    super(`backend refused the registration (HTTP ${status})${summary ? `: ${summary}` : ''}`);
    this.name = 'BackendRejectedError';
  }
}
