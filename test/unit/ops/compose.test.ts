import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { ConfigError } from '../../../src/config/errors';
import { loadConfig } from '../../../src/config/load';
import { removeTempDirs, tempDir, writeFile } from '../../helpers';
import Ajv from 'ajv';
import { readContract, contractPath } from '../../fakes/contracts';
import { composeVariables, interpolate, interpolateAll, parseDotenv, readText, repoPath } from './support';

interface Healthcheck {
  test: string[] | string;
  interval?: string;
  start_period?: string;
}
interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: Healthcheck;
  secrets?: string[];
  command?: string[] | string;
  stop_grace_period?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets: Record<string, { environment?: string; file?: string }>;
}

const COMPOSE_TEXT = readText('docker-compose.yml');
const raw = YAML.parse(COMPOSE_TEXT, { merge: true }) as Compose;
/** .env as a user makes it from .env.example: every published sample secret replaced (Ponte refuses them). */
const dotenv = Object.fromEntries(
  Object.entries(parseDotenv(readText('.env.example'))).map(([k, v]) => [
    k,
    /replace[-_ ]?(me|with)/i.test(v) ? createHash('md5').update(k).digest('hex') : v,
  ]),
);
/** The compose file as docker compose sees it with that .env. */
const compose = interpolateAll(raw, dotenv);
const svc = (name: string) => compose.services[name];

const dir = tempDir('ponte-compose-');
afterAll(removeTempDirs);

const EXPECTED_SERVICES = ['rails', 'sidekiq', 'postgres', 'redis', 'typebot-builder', 'typebot-viewer', 'ponte', 'prometheus', 'grafana'];

function ms(duration: string): number {
  const m = /^(\d+)(ms|s|m|h)$/.exec(duration);
  if (!m) throw new Error(`not a compose duration: ${duration}`);
  return Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
}

/** `[ip:]host:container` of a published port. */
function parsePort(spec: string): { ip?: string; host: number; container: number } {
  const parts = spec.split(':');
  const container = Number(parts.pop());
  const host = Number(parts.pop());
  return { ip: parts.pop(), host, container };
}

function volumesOf(name: string): Array<{ src: string; dst: string; ro: boolean; bind: boolean }> {
  return (svc(name).volumes ?? []).map((v) => {
    const [src, dst, mode] = v.split(':');
    return { src, dst, ro: mode === 'ro', bind: src.startsWith('./') || src.startsWith('/') };
  });
}

const healthcheckText = (name: string) => {
  const t = svc(name).healthcheck?.test;
  return Array.isArray(t) ? t.join(' ') : (t ?? '');
};

/** The ponte service's environment as the container gets it, secrets turned into files on this machine. */
function ponteEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(svc('ponte').environment ?? {})) {
    const secret = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(value);
    if (key.endsWith('_FILE') && secret) {
      const name = secret[1];
      expect(svc('ponte').secrets).toContain(name);
      const from = compose.secrets[name]?.environment;
      expect(from && from in dotenv).toBe(true);
      env[key] = writeFile(dir, `secrets/${name}`, `${dotenv[from!]}\n`);
    } else {
      env[key] = value;
    }
  }
  return env;
}

describe('docker-compose.yml', () => {
  /** The official schema (its $schema names draft-07 without the '#' Ajv keys it by: not re-validated). */
  const composeSpec = () =>
    new Ajv({ strict: false, allErrors: true, validateSchema: false }).compile(readContract(contractPath('compose-spec.schema.json'))!);

  test('is a valid Compose file by the official Compose Specification schema', () => {
    const validate = composeSpec();
    // As docker compose validates it: the file itself, before interpolation.
    const ok = validate(YAML.parse(COMPOSE_TEXT, { merge: true }));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  test('the schema check is real: a misspelt key is caught', () => {
    const validate = composeSpec();
    const broken = YAML.parse(COMPOSE_TEXT, { merge: true }) as { services: Record<string, Record<string, unknown>> };
    broken.services.ponte.enviroment = { X: '1' };
    expect(validate(broken)).toBe(false);
  });

  test('carries what the stack needs to talk to itself: Typebot may call Ponte, Chatwoot may post to it, Ponte links for Typebot', () => {
    const ponteHost = 'ponte';
    const port = (YAML.parse(readText('config/ponte.compose.yaml')) as { http: { port: number } }).http.port;
    // Typebot's SSRF guard lets flows reach Ponte's registration hook and /media links.
    for (const name of ['typebot-builder', 'typebot-viewer'])
      expect(svc(name).environment?.SSRF_ALLOWED_HOSTS?.split(',')).toContain(ponteHost);
    // Chatwoot 4.14+ refuses webhooks to private addresses unless told otherwise.
    for (const name of ['rails', 'sidekiq']) expect(svc(name).environment?.SAFE_FETCH_ALLOW_PRIVATE_NETWORK).toBe('true');
    // The links Ponte hands to flows point at the ponte service, at the port its config listens on.
    const config = loadConfig({ path: repoPath('config/ponte.compose.yaml'), env: ponteEnv() });
    expect(config.http.publicUrl).toBe(`http://${ponteHost}:${port}`);
    expect(Object.keys(compose.services)).toContain(ponteHost);
  });

  test('runs the whole stack, on the agreed images, pinned', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...EXPECTED_SERVICES].sort());
    expect(svc('rails').image).toBe('chatwoot/chatwoot:v4.13.0');
    expect(svc('sidekiq').image).toBe('chatwoot/chatwoot:v4.13.0');
    expect(svc('postgres').image).toBe('pgvector/pgvector:0.8.0-pg16');
    expect(svc('redis').image).toBe('redis:7.4.2-alpine');
    expect(svc('typebot-builder').image).toMatch(/^baptistearno\/typebot-builder:/);
    expect(svc('typebot-viewer').image).toMatch(/^baptistearno\/typebot-viewer:/);
    expect(svc('prometheus').image).toMatch(/^prom\/prometheus:/);
    expect(svc('grafana').image).toMatch(/^grafana\/grafana:/);
    // Pinned to a release: a tag with a full version, never a moving one (latest, a bare major).
    for (const [name, s] of Object.entries(compose.services)) {
      if (!s.image || s.build) continue;
      expect({ name, tag: s.image.split(':')[1] }).toEqual({
        name,
        tag: expect.stringMatching(/^v?\d+\.\d+\.\d+(-[\w.]+)?$|^\d+\.\d+\.\d+-pg\d+$/),
      });
    }
    // Typebot's builder and viewer run the same release.
    expect(svc('typebot-builder').image!.split(':')[1]).toBe(svc('typebot-viewer').image!.split(':')[1]);
  });

  test('builds Ponte from docker/Dockerfile: Node 24, Debian chromium, non-root, /data volume, /readyz healthcheck', () => {
    const ponte = svc('ponte');
    expect(ponte.build).toEqual({ context: '.', dockerfile: 'docker/Dockerfile' });
    const dockerfile = readText(ponte.build!.dockerfile);
    const stages = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]);
    // Node 20 reached its end of life in April 2026: the image runs the maintained LTS, as npm test does too.
    expect(stages).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/apt-get install[^\n]*\bchromium\b/);
    const user = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]).at(-1);
    expect(user).toBeDefined();
    expect(['root', '0']).not.toContain(user);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK .*\/readyz/m);
    // The image looks for its config where compose mounts it.
    const configPath = /PONTE_CONFIG=(\S+)/.exec(dockerfile)?.[1];
    expect(configPath).toBe('/config/ponte.yaml');
    expect(ponte.environment?.PONTE_CONFIG).toBe(configPath);
  });

  test("mounts Ponte's config read-only, its session data on a named volume, and every bind source exists", () => {
    const ponte = volumesOf('ponte');
    expect(ponte).toContainEqual({ src: './config/ponte.compose.yaml', dst: '/config/ponte.yaml', ro: true, bind: true });
    const data = ponte.find((v) => v.dst === '/data');
    expect(data?.bind).toBe(false);
    for (const name of Object.keys(compose.services)) {
      for (const v of volumesOf(name)) {
        if (v.bind) expect({ name, src: v.src, exists: fs.existsSync(repoPath(v.src)) }).toEqual({ name, src: v.src, exists: true });
        else expect({ name, volume: v.src, declared: v.src in compose.volumes }).toEqual({ name, volume: v.src, declared: true });
      }
    }
    // Everything that keeps state keeps it on a volume.
    expect(volumesOf('postgres').map((v) => v.dst)).toContain('/var/lib/postgresql/data');
    expect(volumesOf('redis').map((v) => v.dst)).toContain('/data');
    expect(volumesOf('rails').map((v) => v.dst)).toContain('/app/storage');
    expect(volumesOf('prometheus').map((v) => v.dst)).toContain('/prometheus');
    expect(volumesOf('grafana').map((v) => v.dst)).toContain('/var/lib/grafana');
  });

  test('publishes ports on 127.0.0.1 only, never twice, and keeps Postgres and Redis internal', () => {
    const hostPorts: number[] = [];
    for (const [name, s] of Object.entries(compose.services)) {
      for (const spec of s.ports ?? []) {
        const p = parsePort(spec);
        expect({ name, ip: p.ip }).toEqual({ name, ip: '127.0.0.1' });
        expect(Number.isInteger(p.host) && Number.isInteger(p.container)).toBe(true);
        hostPorts.push(p.host);
      }
    }
    expect(new Set(hostPorts).size).toBe(hostPorts.length);
    expect(svc('postgres').ports).toBeUndefined();
    expect(svc('redis').ports).toBeUndefined();
    expect(svc('sidekiq').ports).toBeUndefined();
  });

  test('orders start-up with depends_on, waiting for health where a service has a healthcheck', () => {
    const needs: Record<string, Record<string, string>> = {
      rails: { postgres: 'service_healthy', redis: 'service_healthy' },
      sidekiq: { postgres: 'service_healthy', redis: 'service_healthy', rails: 'service_healthy' },
      'typebot-builder': { postgres: 'service_healthy' },
      'typebot-viewer': { postgres: 'service_healthy' },
      ponte: { redis: 'service_healthy', rails: 'service_started' },
      grafana: { prometheus: 'service_healthy' },
    };
    for (const [name, deps] of Object.entries(needs)) {
      const actual = Object.fromEntries(Object.entries(svc(name).depends_on ?? {}).map(([d, c]) => [d, c.condition]));
      expect({ name, depends_on: actual }).toEqual({ name, depends_on: deps });
    }
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
        expect(Object.keys(compose.services)).toContain(dep);
        if (condition === 'service_healthy')
          expect({ name, dep, healthcheck: !!svc(dep).healthcheck }).toEqual({ name, dep, healthcheck: true });
      }
    }
  });

  test('has healthchecks: Ponte on /readyz at the port its config listens on', () => {
    for (const name of ['postgres', 'redis', 'rails', 'ponte', 'prometheus', 'grafana'])
      expect({ name, test: healthcheckText(name) }).toEqual({ name, test: expect.stringMatching(/\S/) });
    const config = YAML.parse(readText('config/ponte.compose.yaml')) as { http: { port: number }; shutdownTimeoutMs: number };
    expect(healthcheckText('ponte')).toContain(`http://127.0.0.1:${config.http.port}/readyz`);
    const published = (svc('ponte').ports ?? []).map(parsePort);
    expect(published.map((p) => p.container)).toEqual([config.http.port]);
    // Docker waits longer than Ponte's own drain on SIGTERM.
    expect(ms(svc('ponte').stop_grace_period!)).toBeGreaterThan(config.shutdownTimeoutMs);
    // Redis is asked with its password, which compose must not swallow ($$ keeps the $ for the shell).
    expect(raw.services.redis.healthcheck!.test).toContain('REDISCLI_AUTH="$$REDIS_PASSWORD" redis-cli ping | grep -q PONG');
  });

  test('Redis keeps what Ponte persists: append-only file, no eviction, same password for everyone', () => {
    const command = ([] as string[]).concat(svc('redis').command ?? []).join(' ');
    expect(command).toMatch(/--appendonly yes/);
    expect(command).toMatch(/--maxmemory-policy noeviction/);
    expect(command).toMatch(/--requirepass "\$REDIS_PASSWORD"/);
    expect(svc('redis').environment?.REDIS_PASSWORD).toBe(dotenv.REDIS_PASSWORD);
    expect(svc('rails').environment?.REDIS_PASSWORD).toBe(dotenv.REDIS_PASSWORD);
    expect(new URL(svc('rails').environment!.REDIS_URL).hostname).toBe('redis');
    expect(svc('rails').environment?.POSTGRES_HOST).toBe('postgres');
    expect(svc('rails').environment?.POSTGRES_PASSWORD).toBe(svc('postgres').environment?.POSTGRES_PASSWORD);
  });

  test('Typebot uses its own database on the shared Postgres, created by the init script', () => {
    for (const name of ['typebot-builder', 'typebot-viewer']) {
      const db = new URL(svc(name).environment!.DATABASE_URL);
      expect(db.hostname).toBe('postgres');
      expect(db.pathname).toBe('/typebot');
      expect(decodeURIComponent(db.password)).toBe(svc('postgres').environment?.TYPEBOT_DB_PASSWORD);
      expect(svc(name).environment?.ENCRYPTION_SECRET).toHaveLength(32);
    }
    const init = volumesOf('postgres').find((v) => v.dst === '/docker-entrypoint-initdb.d');
    expect(init?.bind).toBe(true);
    const scripts = fs.readdirSync(repoPath(init!.src));
    expect(scripts.some((f) => /CREATE DATABASE typebot/.test(fs.readFileSync(path.join(repoPath(init!.src), f), 'utf8')))).toBe(true);
  });

  test('Prometheus mounts its config and rules; Grafana its provisioning', () => {
    const prom = volumesOf('prometheus');
    expect(prom).toContainEqual({ src: './prometheus/prometheus.yml', dst: '/etc/prometheus/prometheus.yml', ro: true, bind: true });
    expect(prom).toContainEqual({ src: './prometheus/alerts.yml', dst: '/etc/prometheus/alerts.yml', ro: true, bind: true });
    const graf = volumesOf('grafana');
    expect(graf).toContainEqual({ src: './grafana/provisioning', dst: '/etc/grafana/provisioning', ro: true, bind: true });
    expect(graf).toContainEqual({ src: './grafana/dashboards', dst: '/etc/grafana/dashboards', ro: true, bind: true });
  });
});

describe('.env.example', () => {
  test('documents every variable the compose file uses, and nothing else', () => {
    const used = composeVariables(COMPOSE_TEXT);
    for (const s of Object.values(raw.secrets)) if (s.environment) used.add(s.environment);
    expect([...used].filter((v) => !(v in dotenv)).sort()).toEqual([]);
    expect(
      Object.keys(dotenv)
        .filter((v) => !used.has(v))
        .sort(),
    ).toEqual([]);
  });

  test('the stack refuses to start with the secrets unset', () => {
    for (const secret of [
      'POSTGRES_PASSWORD',
      'REDIS_PASSWORD',
      'CHATWOOT_SECRET_KEY_BASE',
      'TYPEBOT_ENCRYPTION_SECRET',
      'TYPEBOT_DB_PASSWORD',
      'GRAFANA_ADMIN_PASSWORD',
    ]) {
      const { [secret]: _dropped, ...rest } = dotenv;
      expect(() => interpolateAll(raw, rest)).toThrow(new RegExp(`required variable ${secret}`));
    }
  });

  test("its PONTE_ variables are ones Ponte's CLI reads, not stray config keys", () => {
    expect(Object.keys(dotenv).filter((v) => v.startsWith('PONTE_'))).toEqual(['PONTE_ADMIN_TOKEN']);
  });

  test('interpolation follows compose: defaults, required values, $$ escapes', () => {
    expect(interpolate('${A:-x} ${B-y} ${C} $$D', { A: '', B: '', C: 'c' })).toBe('x  c $D');
    expect(() => interpolate('${A:?set A}', { A: '' })).toThrow(/set A/);
  });
});

describe('config/ponte.compose.yaml', () => {
  const file = repoPath('config/ponte.compose.yaml');

  test('validates with the environment the compose file gives the ponte container', () => {
    const config = loadConfig({ path: file, env: ponteEnv() });
    expect(config.http.adminToken).toBe(dotenv.PONTE_ADMIN_TOKEN);
    expect(config.chatwoot?.apiToken).toBe(dotenv.CHATWOOT_API_TOKEN);
    expect(config.chatwoot?.webhookSecret).toBe(dotenv.CHATWOOT_WEBHOOK_SECRET);
    expect(config.chatwoot?.accountId).toBe(Number(dotenv.CHATWOOT_ACCOUNT_ID));
    expect(config.sessions.map((s) => s.inboxId)).toEqual([Number(dotenv.CHATWOOT_INBOX_ID)]);
    expect(config.http.host).toBe('0.0.0.0');
  });

  test('reaches Redis and Chatwoot by their compose service names and ports', () => {
    const config = loadConfig({ path: file, env: ponteEnv() });
    const redis = new URL(config.redis.url);
    expect(redis.hostname).toBe('redis');
    expect(redis.port).toBe('6379');
    expect(decodeURIComponent(redis.password)).toBe(dotenv.REDIS_PASSWORD);
    expect(redis.pathname).not.toBe('/0'); // database 0 is Chatwoot's
    const chatwoot = new URL(config.chatwoot!.internalUrl!);
    expect(chatwoot.hostname).toBe('rails');
    expect(String(svc('rails').command)).toContain(`-p ${chatwoot.port}`);
    // Attachment links name Chatwoot's FRONTEND_URL: Ponte knows it, to fetch them from rails instead.
    expect(config.chatwoot!.baseUrl).toBe(svc('rails').environment?.FRONTEND_URL);
  });

  test('holds no secret itself: alone, it is refused for the missing admin token and Chatwoot credentials', () => {
    const text = readText('config/ponte.compose.yaml');
    expect(text).not.toMatch(/^\s*(adminToken|apiToken|webhookSecret|webhookToken):/m);
    let problems: string[] = [];
    try {
      loadConfig({ path: file, env: {} });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      problems = (err as ConfigError).problems;
    }
    expect(problems.join('\n')).toMatch(/http\.adminToken/);
    expect(problems.join('\n')).toMatch(/chatwoot\.apiToken/);
  });

  test('a wrong value in the compose environment is caught (the check is real)', () => {
    expect(() => loadConfig({ path: file, env: { ...ponteEnv(), PONTE_SESSIONS__0__INBOXID: 'first' } })).toThrow(ConfigError);
  });
});
