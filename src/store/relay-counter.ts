import type Redis from 'ioredis';
import type { Keys } from './keys';
import type { Logger } from '../observability/logger';

export type RelayDirection = 'inbound' | 'outbound';

const FLUSH_MS = 5000;
const HOUR_MINUTES = 60;

/**
 * Messages relayed per session and minute, for "relayed in the last hour" on the admin page. Counted in
 * memory on the hot path and added to Redis every 5 s (one HINCRBY per session and direction, not one
 * write per message), so every daemon sharing the Redis adds to the same figures:
 * `<prefix>relayed:<session>` holds `<minute>:<direction>` fields and expires two hours after its last write.
 */
export class RelayCounter {
  private pending = new Map<string, number>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  count(session: string, direction: RelayDirection): void {
    const field = `${session}\n${Math.floor(this.now() / 60_000)}:${direction}`;
    this.pending.set(field, (this.pending.get(field) ?? 0) + 1);
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = this.pending;
    this.pending = new Map();
    const pipe = this.redis.pipeline();
    for (const [key, n] of batch) {
      const [session, field] = key.split('\n');
      pipe.hincrby(this.key(session), field, n);
      pipe.expire(this.key(session), 2 * 3600);
    }
    try {
      await pipe.exec();
    } catch (err) {
      // Only a figure for the page: kept for the next flush rather than lost.
      for (const [k, n] of batch) this.pending.set(k, (this.pending.get(k) ?? 0) + n);
      this.logger.warn({ err }, 'could not save the relayed-messages counts');
    }
  }

  /** Messages relayed in the last 60 minutes, per direction (this daemon's unsaved counts included). */
  async lastHour(session: string): Promise<Record<RelayDirection, number>> {
    const since = Math.floor(this.now() / 60_000) - HOUR_MINUTES + 1;
    const out: Record<RelayDirection, number> = { inbound: 0, outbound: 0 };
    const add = (field: string, n: number) => {
      const [minute, direction] = field.split(':');
      if (Number(minute) >= since && (direction === 'inbound' || direction === 'outbound')) out[direction] += n;
    };
    const stored = await this.redis.hgetall(this.key(session));
    const old = Object.keys(stored).filter((f) => Number(f.split(':')[0]) < since);
    for (const [field, n] of Object.entries(stored)) add(field, Number(n));
    for (const [key, n] of this.pending) {
      const [s, field] = key.split('\n');
      if (s === session) add(field, n);
    }
    if (old.length) await this.redis.hdel(this.key(session), ...old);
    return out;
  }

  private key(session: string): string {
    return this.keys.relayed(session);
  }
}
