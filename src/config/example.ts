import type { z } from 'zod';
import { configSchema } from './schema';
import { arrayElement, description, kindOf, objectShape, recordValue, unwrap } from './schema-walk';

/** Values shown for keys without a default, so the example is a working starting point. */
const SAMPLES: Record<string, unknown> = {
  'http.adminToken': 'replace-with-a-long-random-token',
  'sessions[].id': 'main',
  'sessions[].engine': 'simulator',
  'sessions[].inboxId': 1,
  'chatwoot.baseUrl': 'https://chatwoot.example.com',
  'chatwoot.accountId': 1,
  'chatwoot.apiToken': 'replace-with-your-chatwoot-user-access-token',
  'chatwoot.webhookSecret': 'replace-with-the-inbox-webhook-secret',
  // A map of named entries is shown with one sample entry, every key of it documented.
  'typebot.bots{}': 'drivers',
  'typebot.bots{}.baseUrl': 'https://typebot-viewer.example.com',
  'typebot.bots{}.publicId': 'driver-registration',
  'typebot.bots{}.trigger': { keywords: ['registo', 'motorista'] },
  'registration.bot': 'drivers',
  'registration.endpoint': 'https://backend.example.com/drivers/register-typebot/',
  'registration.secret': 'replace-with-a-long-random-shared-secret',
  'registration.resultsApi.baseUrl': 'https://typebot-builder.example.com',
  'registration.resultsApi.token': 'replace-with-your-typebot-api-token',
};

/** A fully commented YAML example generated from the schema, so it can never drift from it. */
export function configExample(): string {
  const lines = [
    '# Ponte configuration. Every key can be overridden by env PONTE_<SECTION>__<KEY>',
    '# (e.g. PONTE_HTTP__PORT=9090); secrets can also come from files: PONTE_HTTP__ADMINTOKEN_FILE=/run/secrets/t',
    '',
  ];
  emitObject(configSchema, '', 0, lines);
  return lines.join('\n') + '\n';
}

function emitObject(schema: z.ZodType, path: string, indent: number, out: string[], firstPrefix = ''): void {
  const shape = objectShape(schema) ?? {};
  let first = true;
  for (const [key, child] of Object.entries(shape)) {
    const pad = ' '.repeat(indent);
    const lead = first && firstPrefix ? firstPrefix : pad;
    const keyPath = path ? `${path}.${key}` : key;
    const desc = description(child);
    const kind = kindOf(child);
    const optional = isOptional(child);
    if (desc) out.push(`${first && firstPrefix ? pad : pad}# ${desc}${optional ? ' (optional)' : ''}`);
    if (kind === 'object' && optional && !Object.keys(SAMPLES).some((k) => k.startsWith(`${keyPath}.`))) {
      // An optional section without samples (a session's proxy) is shown commented out: left as it is,
      // it would read as an empty section that fails validation.
      const inner: string[] = [];
      emitObject(child, keyPath, indent + 2, inner);
      out.push(`${lead}# ${key}:`);
      for (const line of inner) out.push(line.replace(/^(\s*)(# )?/, (_m, sp: string) => `${sp}# `));
    } else if (kind === 'object') {
      out.push(`${lead}${key}:`);
      emitObject(child, keyPath, indent + 2, out);
    } else if (kind === 'record' && objectShape(recordValue(child)!) && `${keyPath}{}` in SAMPLES) {
      out.push(`${lead}${key}:`);
      out.push(`${pad}  ${String(SAMPLES[`${keyPath}{}`])}:`);
      emitObject(recordValue(child)!, `${keyPath}{}`, indent + 4, out);
    } else if (kind === 'array' && objectShape(arrayElement(child)!)) {
      out.push(`${lead}${key}:`);
      emitObject(arrayElement(child)!, `${keyPath}[]`, indent + 4, out, `${pad}  - `);
    } else {
      const value = sampleValue(child, keyPath);
      const line = `${optional && value === undefined ? '# ' : ''}${key}: ${value === undefined ? '' : format(value)}`;
      out.push(`${lead}${line}`.trimEnd());
    }
    first = false;
    if (indent === 0) out.push('');
  }
}

function isOptional(schema: z.ZodType): boolean {
  return (schema as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'optional';
}

function sampleValue(schema: z.ZodType, keyPath: string): unknown {
  if (keyPath in SAMPLES) return SAMPLES[keyPath];
  const d = (schema as unknown as { _zod: { def: { type: string; defaultValue?: unknown } } })._zod.def;
  if (d.type === 'default') return typeof d.defaultValue === 'function' ? (d.defaultValue as () => unknown)() : d.defaultValue;
  const inner = unwrap(schema) as unknown as { options?: unknown[] };
  if (kindOf(schema) === 'enum' && Array.isArray(inner.options)) return inner.options[0];
  return undefined;
}

function format(value: unknown): string {
  // Plain only when YAML cannot read it as anything but this string (no ':' , no leading digit or '+').
  if (typeof value === 'string')
    return /^[A-Za-z][\w./-]*$/.test(value) && !/^(true|false|null|yes|no|on|off)$/i.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value);
}
