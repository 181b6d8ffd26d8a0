import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { validate } from '../../src/config/load';
import { startDaemon, type Daemon } from '../../src/main';
import { EmbeddedRedis } from '../../src/store/embedded-redis';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { startOtlpSink } from './otlp-sink';

export const BENCH_TOKEN = 'bench-admin-token-0123456789';
export const BENCH_SECRET = 'bench-webhook-secret-0123456789';

export interface FakeProcess {
  url: string;
  token: string;
  control: string;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** The Chatwoot fake in a child process (see fake-process.ts). */
export async function startFakeProcess(): Promise<FakeProcess> {
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'fake-process.js')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake exited with ${code}`)));
  });
  const info = JSON.parse(first) as { url: string; control: string; token: string };
  const call = async <T>(method: string, p: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${info.control}${p}`, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await res.json()) as T;
  };
  return {
    ...info,
    get: (p) => call('GET', p),
    post: (p, b) => call('POST', p, b),
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface BenchEnv {
  daemon: Daemon;
  chatwoot: FakeProcess;
  redis: EmbeddedRedis;
  stop(): Promise<void>;
}

/** A daemon on its own redis-server and the Chatwoot fake, tuned like a production box (no pacing). */
export async function benchEnv(opts: { webhook?: boolean } = {}): Promise<BenchEnv> {
  const logger = pino({ level: 'silent' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-'));
  const redis = new EmbeddedRedis({ dataDir: dir, binary: 'redis-server', logger });
  const redisUrl = await redis.start();
  const chatwoot = await startFakeProcess();
  const cwUrl = chatwoot.url;
  // BENCH_TRACING=otlp: tracing on, every message sampled, exported to a collector stand-in in its own process.
  const sink = process.env.BENCH_TRACING === 'otlp' ? await startOtlpSink() : undefined;
  const config = validate(
    {
      http: { port: 0, host: '127.0.0.1', adminToken: BENCH_TOKEN },
      redis: { url: redisUrl },
      log: { level: 'silent' },
      sessions: [
        {
          id: 'bench',
          engine: 'simulator',
          inboxId: 1,
          simulator: { ackIntervalMs: 60000 },
          pacing: { minGapMs: 0, jitterMs: 0, typing: false },
        },
      ],
      // The relay alone: no status conversation among the chats (its agent messages are commands, not sends).
      chatwoot: { baseUrl: cwUrl, accountId: 1, apiToken: chatwoot.token, webhookSecret: BENCH_SECRET, statusConversation: false },
      catchup: { minIntervalMs: 60000, maxIntervalMs: 300000 },
      ...(process.env.BENCH_CONCURRENCY ? { queue: { concurrency: Number(process.env.BENCH_CONCURRENCY) } } : {}),
      ...(sink ? { tracing: { otlpUrl: sink.url } } : {}),
    },
    'bench',
  );
  const daemon = await startDaemon(config, logger);
  if (opts.webhook)
    await chatwoot.post('/webhook', { url: `http://127.0.0.1:${daemon.http.port}/webhooks/chatwoot`, secret: BENCH_SECRET });
  return {
    daemon,
    chatwoot,
    redis,
    async stop() {
      await daemon.stop();
      if (sink) {
        const seen = await sink.count();
        line('tracing', `on: ${seen.spans} spans in ${seen.requests} OTLP/HTTP exports (${(seen.bytes / 1e6).toFixed(1)} MB)`);
        await sink.stop();
      } else line('tracing', 'off (BENCH_TRACING=otlp turns it on)');
      await chatwoot.stop();
      await redis.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Runs `fn` for `count` items, `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

export function line(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(44)} ${value}\n`);
}
