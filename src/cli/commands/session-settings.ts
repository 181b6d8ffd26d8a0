import fs from 'node:fs';
import { UsageError } from '../admin-client';

/**
 * `key=value` arguments as the settings object the admin API takes: dotted keys nest
 * (`proxy.url=socks5://h:1080`), values are read as JSON when they are (numbers, true/false, objects) and
 * as text otherwise, `@file` reads the value from a file (a password stays off the command line and out
 * of the shell history), and with `emptyIsNull` `key=` sends null (back to the default).
 */
export function sessionSettings(pairs: string[], options: { emptyIsNull?: boolean } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`"${pair}": expected key=value, e.g. inboxId=3 or proxy.url=http://proxy:3128`);
    const key = pair.slice(0, eq);
    if (!/^[A-Za-z][\w]*(\.[A-Za-z][\w]*)*$/.test(key)) throw new UsageError(`"${key}": expected a setting name like inboxId or proxy.url`);
    const value = valueOf(pair.slice(eq + 1), key, options.emptyIsNull ?? false);
    const path = key.split('.');
    let at = out;
    for (const part of path.slice(0, -1)) {
      const next = at[part];
      if (next !== undefined && (typeof next !== 'object' || next === null))
        throw new UsageError(`"${key}": ${part} is given a value and settings below it`);
      at = (at[part] ??= {}) as Record<string, unknown>;
    }
    at[path[path.length - 1]] = value;
  }
  return out;
}

function valueOf(text: string, key: string, emptyIsNull: boolean): unknown {
  if (text === '') {
    if (emptyIsNull) return null;
    throw new UsageError(`"${key}=": expected a value`);
  }
  if (text.startsWith('@')) {
    try {
      return fs.readFileSync(text.slice(1), 'utf8').trim();
    } catch (err) {
      throw new UsageError(`"${key}": cannot read ${text.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
