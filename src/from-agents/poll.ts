import { AdaptiveTimer, type TaskOutcome } from '../core/adaptive-timer';

export interface FromAgentsPollOptions {
  /** One look in the helpdesk; resolves with the number of messages it found and queued. */
  sweep: () => Promise<number>;
  minMs: number;
  maxMs: number;
  /** True while a live feed (the realtime socket) delivers agent messages: the poll then only backs it up. */
  live?: () => boolean;
  onError: (err: unknown) => void;
  now?: () => number;
}

/**
 * The poll of agent messages for one inbox. On its own (webhook or poll intake) it is the adaptive timer:
 * sooner while it keeps finding messages, later while it finds none, within [minMs, maxMs]. While a
 * live feed is up it is a low-rate safety net: at most one sweep per maxMs. Sweeps never overlap, so two
 * callers (the timer and a resubscribed socket) cannot interleave their finds out of order.
 */
export class FromAgentsPoll {
  private readonly timer: AdaptiveTimer;
  private chain: Promise<unknown> = Promise.resolve();
  private lastSweepAt = 0;
  private forced = false;
  private readonly now: () => number;

  constructor(private readonly o: FromAgentsPollOptions) {
    this.now = o.now ?? Date.now;
    this.timer = new AdaptiveTimer(() => this.tick(), o.minMs, o.maxMs, o.onError);
  }

  start(): void {
    this.timer.start();
  }

  stop(): Promise<void> {
    return this.timer.stop();
  }

  /** Sweeps now, then adaptively from the shortest interval (reconnects, the live feed going down). */
  trigger(): void {
    this.forced = true;
    this.timer.trigger();
  }

  /** One sweep now, after any sweep in progress; resolves with what it found. */
  sweepNow(): Promise<number> {
    const run = this.chain.then(async () => {
      const started = this.now();
      const found = await this.o.sweep();
      this.lastSweepAt = started;
      return found;
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  currentInterval(): number {
    return this.timer.currentInterval();
  }

  /**
   * While the feed is live a sweep is due maxMs after the last one, whoever ran it (a resubscription
   * sweeps too): a tick before that waits exactly until then, so no gap between sweeps exceeds maxMs.
   */
  private async tick(): Promise<TaskOutcome> {
    const forced = this.forced;
    this.forced = false;
    const due = this.lastSweepAt + this.o.maxMs;
    if (!forced && this.o.live?.() && this.now() < due) return { dueInMs: due - this.now() };
    const found = await this.sweepNow();
    return this.o.live?.() ? { dueInMs: this.o.maxMs } : found;
  }
}
