import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../observability/logger';
import { claimOwnPort } from '../../guarded-fetch/own-ports';
import type { SpanRecord } from '../../observability/tracing-handover';
import type { FrontCounter, FrontSettings, FrontToMain, MainToFront } from './messages';

export interface FrontDoorEvents {
  /** Lanes the webhook found idle: get them drained. */
  onWake(lanes: string[]): void;
  onCount(counter: FrontCounter, labels: string[]): void;
  /** Webhook answer times, in seconds. */
  onAnswered(seconds: number[]): void;
  onRestart(): void;
  /** The thread's finished spans (tracing on). */
  onSpans?(spans: SpanRecord[]): void;
  /** Writes the thread's log lines (already redacted there). */
  logger: Logger;
  /** This module's own lines. */
  log: Logger;
}

/** Under ts-jest the sources are TypeScript, which a thread cannot load: it runs the build (`npm test` builds first). */
function entry(): string {
  const here = path.join(__dirname, 'thread.js');
  return fs.existsSync(here) ? here : path.resolve(__dirname, '../../../dist/src/http/front/thread.js');
}

const RESTART_MAX_MS = 30_000;

/**
 * The main thread's handle on the front thread (thread.ts): starts it, brings its counters, wake-ups and
 * log lines home, and starts it again if it dies, on the same port.
 */
export class FrontDoor {
  private worker?: Worker;
  private closing = false;
  private failures = 0;
  private restartTimer?: NodeJS.Timeout;
  /** The port is bound in the thread; downloads made here must still know it is ours. */
  private releasePort?: () => void;

  private constructor(
    private settings: FrontSettings,
    private readonly events: FrontDoorEvents,
  ) {}

  /** Resolves once the port is bound; rejects with the bind error (its `code`, e.g. EADDRINUSE). */
  static async start(settings: FrontSettings, events: FrontDoorEvents): Promise<FrontDoor> {
    const door = new FrontDoor(settings, events);
    await door.spawn();
    return door;
  }

  get port(): number {
    return this.settings.port;
  }

  private spawn(): Promise<void> {
    return new Promise((resolve, reject) => {
      const worker = new Worker(entry(), { workerData: this.settings });
      this.worker = worker;
      let up = false;
      worker.on('message', (m: FrontToMain) => {
        switch (m.t) {
          case 'listening':
            up = true;
            this.failures = 0;
            // A restart binds the same port: the URL configured in Chatwoot stays right.
            this.settings = { ...this.settings, port: m.port };
            this.releasePort ??= claimOwnPort(m.port);
            resolve();
            break;
          case 'listen-failed':
            reject(Object.assign(new Error(m.message), { code: m.code }));
            break;
          case 'wake':
            this.events.onWake(m.lanes);
            break;
          case 'count':
            this.events.onCount(m.counter, m.labels);
            break;
          case 'answered':
            this.events.onAnswered(m.seconds);
            break;
          case 'log':
            relayLine(this.events.logger, m.line);
            break;
          case 'spans':
            this.events.onSpans?.(m.spans);
            break;
          case 'closed':
            break;
        }
      });
      worker.on('error', (err) => this.events.log.error({ err }, 'the front thread failed'));
      worker.on('exit', (code) => {
        if (this.worker === worker) this.worker = undefined;
        if (!up) return reject(new Error(`the front thread stopped before listening (exit code ${code})`));
        if (this.closing) return;
        this.scheduleRestart(code);
      });
    });
  }

  private scheduleRestart(code: number): void {
    const delay = Math.min(1000 * 2 ** this.failures, RESTART_MAX_MS);
    this.failures += 1;
    this.events.log.error(
      { exitCode: code, restartInMs: delay, port: this.settings.port },
      'the front thread stopped: the HTTP port is closed until it restarts',
    );
    this.restartTimer = setTimeout(() => {
      if (this.closing) return;
      this.events.onRestart();
      this.spawn().catch((err: Error) => {
        this.events.log.error({ err: { message: err.message } }, 'the front thread could not start again');
        if (!this.closing && !this.worker) this.scheduleRestart(1);
      });
    }, delay);
    this.restartTimer.unref();
  }

  /** Sessions changed at run time: the thread routes and authenticates webhooks of these inboxes from now on (and after a restart). */
  setInboxes(inboxes: Array<[number, string]>, inboxSecrets: Array<[number, string]>): void {
    this.settings = { ...this.settings, inboxes, auth: { ...this.settings.auth, inboxSecrets } };
    this.worker?.postMessage({ t: 'inboxes', inboxes, inboxSecrets } satisfies MainToFront);
  }

  /** Stops taking requests, lets those in flight finish within `graceMs`, then ends the thread. */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    clearTimeout(this.restartTimer);
    this.releasePort?.();
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((r) => worker.once('exit', () => r()));
    worker.postMessage({ t: 'close', graceMs } satisfies MainToFront);
    // The thread ends itself; this is the bound on a thread that cannot.
    const timer = setTimeout(() => void worker.terminate(), graceMs + 2000);
    await exited;
    clearTimeout(timer);
  }

  /** Ends the thread as a crash would (tests). */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }
}

/** A pino line from the thread, written again by this thread's logger at its own level. */
function relayLine(logger: Logger, line: string): void {
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _host, app: _app, ...fields } = parsed;
  const name = logger.levels.labels[Number(level)] as 'info' | undefined;
  if (!name) return;
  // pino writes msg as a string, or leaves it out.
  const message = msg as string | undefined;
  logger[name]({ thread: 'front', ...fields }, String(message ?? ''));
}
