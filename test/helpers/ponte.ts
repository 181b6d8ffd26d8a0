import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { assertBuilt, childEnv, CLI } from './cli';
import { request, type HttpResult, type RequestOptions } from './http';
import { drained, exitOf, freePort, isAlive, safeKill, track } from './processes';
import { tempDir } from './temp';
import { sleep } from './wait';

/** What a config template can use: a free port, a private dir, a data dir for Redis, a fresh token. */
export interface PonteContext {
  port: number;
  dir: string;
  dataDir: string;
  adminToken: string;
}

export interface RunningPonte {
  baseUrl: string;
  adminToken: string;
  port: number;
  dir: string;
  dataDir: string;
  configPath: string;
  proc: ChildProcess;
  /** Sends `signal` (SIGTERM by default) and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the daemon wrote to stdout and stderr so far. */
  logs(): string;
  /** An admin API call with the daemon's token. */
  admin<T = any>(method: string, pathname: string, options?: Omit<RequestOptions, 'token'>): Promise<HttpResult<T>>;
  /** The embedded redis-server pid the daemon recorded in <dataDir>/redis.pid, if any. */
  redisPid(): number | undefined;
}

/**
 * A config with one or more simulator sessions, embedded Redis in the context's data dir, JSON logs.
 * A session may carry more settings (inboxId, groups, ...); `extra` adds top-level sections (chatwoot, queue...).
 */
export function simulatorConfig(
  ctx: PonteContext,
  sessions: Array<{ id: string; simulator?: Record<string, unknown> } & Record<string, unknown>>,
  extra: Record<string, unknown> = {},
): string {
  return YAML.stringify({
    http: { port: ctx.port, host: '127.0.0.1', adminToken: ctx.adminToken },
    redis: { url: 'embedded', dataDir: ctx.dataDir },
    log: { level: 'info', pretty: false },
    sessions: sessions.map((s) => ({ ...s, id: s.id, engine: 'simulator', simulator: s.simulator ?? {} })),
    shutdownTimeoutMs: 2000,
    ...extra,
  });
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Writes the config (a YAML string, or a template given the context) into a temp dir and runs
 * `ponte start --config <file>` there. Resolves once /readyz answers 200 (or, with `waitReady: false`,
 * once /healthz answers); rejects with the daemon's output when it exits or times out first.
 */
export async function startPonte(config: string | ((ctx: PonteContext) => string), options: StartOptions = {}): Promise<RunningPonte> {
  // A port found free can be bound by a parallel test before the daemon listens on it: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPonteOnce(config, options);
    } catch (err) {
      if (typeof config === 'string' || attempt >= 3 || !/EADDRINUSE|already in use/.test(String(err))) throw err;
    }
  }
}

interface StartOptions {
  env?: Record<string, string | undefined>;
  waitReady?: boolean;
  timeoutMs?: number;
  /** A process group of its own, as a terminal's foreground job (a test signals the whole group: `-pid`). */
  detached?: boolean;
}

async function startPonteOnce(config: string | ((ctx: PonteContext) => string), options: StartOptions): Promise<RunningPonte> {
  assertBuilt();
  const dir = tempDir('ponte-e2e-');
  const ctx: PonteContext = {
    port: await freePort(),
    dir,
    dataDir: path.join(dir, 'redis'),
    adminToken: `e2e-${randomBytes(12).toString('hex')}`,
  };
  const text = typeof config === 'function' ? config(ctx) : config;
  const parsed = (YAML.parse(text) ?? {}) as { http?: { port?: number; host?: string; adminToken?: string }; redis?: { dataDir?: string } };
  const port = parsed.http?.port ?? 8080;
  const host = !parsed.http?.host || parsed.http.host === '0.0.0.0' ? '127.0.0.1' : parsed.http.host;
  const adminToken = parsed.http?.adminToken ?? '';
  const dataDir = path.resolve(dir, parsed.redis?.dataDir ?? 'data/redis');
  const configPath = path.join(dir, 'ponte.yaml');
  fs.writeFileSync(configPath, text);

  const proc = track(
    spawn(process.execPath, [CLI, 'start', '--config', configPath], {
      cwd: dir,
      env: childEnv(options.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: options.detached === true,
    }),
  );
  let output = '';
  proc.stdout!.on('data', (b: Buffer) => (output += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (output += b.toString()));
  const baseUrl = `http://${host}:${port}`;
  const pidFile = path.join(dataDir, 'redis.pid');
  let lastRedisPid: number | undefined;
  const redisPid = () => (lastRedisPid = readPid(pidFile) ?? lastRedisPid);

  const stop = async (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15000) => {
    redisPid();
    if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs);
    const result = await exitOf(proc);
    clearTimeout(timer);
    await drained(proc); // the last log lines may still be in the pipe
    return result;
  };
  const running: RunningPonte = {
    baseUrl,
    adminToken,
    port,
    dir,
    dataDir,
    configPath,
    proc,
    stop,
    logs: () => output,
    admin: (method, pathname, opts = {}) => request(method, `${baseUrl}${pathname}`, { ...opts, token: adminToken }),
    redisPid,
  };

  const probe = options.waitReady === false ? '/healthz' : '/readyz';
  const deadline = Date.now() + (options.timeoutMs ?? 15000);
  for (;;) {
    redisPid();
    if (proc.exitCode !== null || proc.signalCode !== null) {
      throw new Error(`ponte start exited (${proc.exitCode ?? proc.signalCode}) before ${probe} answered 200:\n${output}`);
    }
    try {
      // Another test's daemon may hold the port this one was given: only our own process counts.
      const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as { pid?: number };
      if (health.pid !== proc.pid) throw new Error(`port ${port} answered by pid ${health.pid}`);
      const res = await fetch(`${baseUrl}${probe}`);
      if (res.status === 200) return running;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await killPonte(running);
      throw new Error(`ponte start: ${probe} did not answer 200 within ${options.timeoutMs ?? 15000} ms:\n${output}`);
    }
    await sleep(50);
  }
}

/** Safety net for afterAll: SIGKILL the daemon if it still runs, and its embedded redis-server with it. */
export async function killPonte(p: RunningPonte | undefined): Promise<void> {
  if (!p) return;
  const redis = p.redisPid();
  if (p.proc.exitCode === null && p.proc.signalCode === null) {
    p.proc.kill('SIGKILL');
    await exitOf(p.proc);
  }
  if (redis && isAlive(redis)) safeKill(redis, 'SIGKILL');
}

/** Parses the daemon's output as JSON lines; throws naming the first line that is not JSON. */
export function jsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`log line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
      }
    });
}
