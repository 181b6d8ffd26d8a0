import fs from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod';
import { configSchema, type PonteConfig } from './schema';
import { ConfigError, describeValue, formatPath } from './errors';
import { child, kindOf } from './schema-walk';

export const DEFAULT_CONFIG_PATH = 'config/ponte.yaml';
const ENV_PREFIX = 'PONTE_';
/** Env vars of the CLI itself, not config keys. */
const NOT_KEYS = new Set(['PONTE_CONFIG', 'PONTE_URL', 'PONTE_ADMIN_TOKEN']);

type Json = Record<string, unknown>;

export interface LoadOptions {
  path?: string;
  env?: NodeJS.ProcessEnv;
}

/** Reads YAML, applies `PONTE_<SECTION>__<KEY>` (and `..._FILE`) overrides, validates. Throws ConfigError. */
export function loadConfig(options: LoadOptions = {}): PonteConfig {
  const env = options.env ?? process.env;
  const path = options.path ?? env.PONTE_CONFIG ?? DEFAULT_CONFIG_PATH;
  const raw = readYaml(path);
  const origins = new Map<string, string>();
  const problems = applyEnv(raw, env, origins);
  return validate(raw, path, problems, origins);
}

/** Validates an already-built object (used by tests and `config validate`). */
export function validate(raw: unknown, source: string, earlier: string[] = [], origins = new Map<string, string>()): PonteConfig {
  const result = configSchema.safeParse(raw, { reportInput: true });
  const problems = [...earlier, ...duplicateSessionIds(raw), ...crossChecks(raw)];
  if (!result.success) {
    for (const issue of result.error.issues) problems.push(formatIssue(issue, raw, origins));
  }
  if (problems.length) throw new ConfigError(source, problems);
  return (result as { data: PonteConfig }).data;
}

// Checked apart from zod, which skips refinements of a list whose items already have problems.
function duplicateSessionIds(raw: unknown): string[] {
  const list = (raw as { sessions?: unknown })?.sessions;
  if (!Array.isArray(list)) return [];
  const seen = new Map<string, number>();
  const problems: string[] = [];
  list.forEach((s, i) => {
    const id = (s as { id?: unknown })?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id))
      problems.push(`sessions[${i}].id: "${id}" is already the id of sessions[${seen.get(id)}]; session ids must be unique`);
    else seen.set(id, i);
  });
  return problems;
}

/** Rules that span sections. */
function crossChecks(raw: unknown): string[] {
  const cfg = raw as { chatwoot?: Record<string, unknown>; sessions?: Array<{ inboxId?: unknown }> } | undefined;
  const problems: string[] = [];
  const sessions = Array.isArray(cfg?.sessions) ? cfg.sessions : [];
  if (cfg?.chatwoot && typeof cfg.chatwoot === 'object') {
    // Without the webhook (intake websocket or poll) nothing needs authenticating: the route refuses everything.
    const intake = cfg.chatwoot.intake ?? 'webhook';
    if (intake === 'webhook' && !cfg.chatwoot.webhookSecret && !cfg.chatwoot.webhookToken) {
      problems.push(
        'chatwoot: set webhookSecret (Chatwoot 4.13+ signs its webhooks) or webhookToken (older versions); an unauthenticated webhook would let anyone send WhatsApp messages (without a URL Chatwoot can reach, set intake: websocket or poll)',
      );
    }
  } else {
    sessions.forEach((s, i) => {
      if (s && typeof s === 'object' && s.inboxId !== undefined)
        problems.push(`sessions[${i}].inboxId: set, but there is no chatwoot section to relay to`);
    });
  }
  return problems;
}

function readYaml(path: string): Json {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? String(err)})`;
    throw new ConfigError(path, [`${path}: ${why}; pass --config <file> or create it (ponte config example > ${path})`]);
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length) {
    throw new ConfigError(
      path,
      doc.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]}`),
    );
  }
  const value = doc.toJS() as unknown;
  if (value == null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new ConfigError(path, ['(root): expected a mapping of sections (http, redis, log, sessions, ...)']);
  return value as Json;
}

function applyEnv(raw: Json, env: NodeJS.ProcessEnv, origins: Map<string, string>): string[] {
  const problems: string[] = [];
  const names = Object.keys(env)
    .filter((n) => n.startsWith(ENV_PREFIX) && !NOT_KEYS.has(n))
    .sort();
  for (const name of names) {
    let body = name.slice(ENV_PREFIX.length);
    let value = env[name] as string;
    if (body.endsWith('_FILE')) {
      body = body.slice(0, -'_FILE'.length);
      try {
        value = fs.readFileSync(value, 'utf8').trim();
      } catch (err) {
        problems.push(`${name}: cannot read the secret file ${value} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        continue;
      }
    }
    const segments = body.split('__').filter(Boolean);
    let schema: z.ZodType = configSchema;
    const path: (string | number)[] = [];
    let ok = true;
    for (const seg of segments) {
      const next = child(schema, seg);
      if (!next) {
        problems.push(`${name}: no configuration key "${seg.toLowerCase()}" under ${formatPath(path)}`);
        ok = false;
        break;
      }
      path.push(next.key);
      schema = next.schema;
    }
    if (!ok || !path.length) continue;
    const parsed = coerce(value, kindOf(schema));
    if (parsed.error) {
      problems.push(`${name} (${formatPath(path)}): ${parsed.error}`);
      continue;
    }
    setPath(raw, path, parsed.value);
    origins.set(formatPath(path), name);
  }
  return problems;
}

function coerce(value: string, kind: string): { value?: unknown; error?: string } {
  switch (kind) {
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value))
        ? { value: Number(value) }
        : { error: `got ${JSON.stringify(value)}; expected a number` };
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(value)) return { value: true };
      if (/^(false|0|no|off)$/i.test(value)) return { value: false };
      return { error: `got ${JSON.stringify(value)}; expected true or false` };
    case 'object':
    case 'array':
    case 'record':
      try {
        return { value: YAML.parse(value) as unknown };
      } catch {
        return { error: `got ${JSON.stringify(value)}; expected YAML/JSON for a ${kind}` };
      }
    default:
      return { value };
  }
}

function setPath(target: Json, path: (string | number)[], value: unknown): void {
  let node: Record<string | number, unknown> = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      node[key] = value;
      return;
    }
    const nextIsIndex = typeof path[i + 1] === 'number';
    if (node[key] == null || typeof node[key] !== 'object') node[key] = nextIsIndex ? [] : {};
    node = node[key] as Record<string | number, unknown>;
  });
}

function getPath(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root as Record<PropertyKey, unknown> | undefined;
  for (const key of path) {
    if (node == null || typeof node !== 'object') return undefined;
    node = node[key] as Record<PropertyKey, unknown> | undefined;
  }
  return node;
}

function formatIssue(issue: z.core.$ZodIssue, raw: unknown, origins: Map<string, string>): string {
  const where = formatPath(issue.path);
  const origin = origins.get(where);
  const label = origin ? `${where} (from ${origin})` : where;
  if (issue.code === 'unrecognized_keys') {
    const paths = issue.keys.map((k) => formatPath([...issue.path, k]));
    return `${paths.join(', ')}: unknown key${issue.keys.length > 1 ? 's' : ''} (a typo? see ponte config example)`;
  }
  const value = getPath(raw, issue.path);
  const secretish = /token|secret|password/i.test(where);
  const got = value === undefined ? 'missing' : secretish ? 'got a value' : `got ${describeValue(value)}`;
  return `${label}: ${got}; ${issue.message}`;
}
