/**
 * Runs a task again and again: sooner while it keeps finding work, later while it finds none, within
 * bounds. `trigger()` runs it now (e.g. on reconnect) and restarts from the shortest interval.
 */
/** What one run of the task says: how much it found, or that it ran nothing and when it is next due. */
export type TaskOutcome = number | { dueInMs: number };

export class AdaptiveTimer {
  private interval: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly task: () => Promise<TaskOutcome>,
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly onError: (err: unknown) => void,
  ) {
    this.interval = minMs;
  }

  currentInterval(): number {
    return this.interval;
  }

  start(): void {
    this.schedule(this.interval);
  }

  trigger(): void {
    this.interval = this.minMs;
    this.schedule(0);
  }

  stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    return this.running ?? Promise.resolve();
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), ms);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    let outcome = 0 as TaskOutcome;
    this.running = (async () => {
      try {
        outcome = await this.task();
      } catch (err) {
        this.onError(err);
      }
    })();
    await this.running;
    this.running = undefined;
    if (typeof outcome === 'object') return this.schedule(Math.max(0, outcome.dueInMs));
    this.interval = outcome > 0 ? Math.max(this.minMs, Math.floor(this.interval / 2)) : Math.min(this.maxMs, this.interval * 2);
    this.schedule(this.interval);
  }
}
