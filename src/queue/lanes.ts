import { randomUUID } from 'node:crypto';
import BeeQueue from 'bee-queue';
import type Redis from 'ioredis';
import { backoffDelay, type BackoffPolicy } from '../core/backoff';
import type { JourneyLog, JourneyOf, JourneyStep } from '../core/journey';
import type { Logger } from '../observability/logger';
import { contextOf, failed, inSpan, maskedLane, pastSpan, type Span } from '../observability/tracing';
import type { Keys } from '../store/keys';
import { LaneStore } from '../store/lane-store';
import type { RedisLock } from '../store/lock';
import type { DeadLetters } from './dead-letters';
import { NotYetError, retryHint } from './errors';
import { tracedPush, type LaneItem, type PushOptions } from './lane-push';

export type { LaneItem, PushOptions } from './lane-push';

export interface LanePolicy extends BackoffPolicy {
  /** Attempts before an item is dead-lettered. */
  maxAttempts: number;
  /** An item older than this is dead-lettered at its next failure, whatever the count. */
  maxAgeMs: number;
  /** Lanes drained at once (different chats in parallel). */
  concurrency: number;
  /**
   * How long a lane stays locked by a worker that stopped renewing it (a killed process). The holder
   * renews it while it works, so this bounds only how soon a crashed worker's lane is taken over.
   */
  lockTtlMs?: number;
}

export type LaneHandler<T> = (data: T, item: { id: string; enqueuedAt: number; lane: string }) => Promise<void>;

export interface LaneEvents<T> {
  onRetry?: (reason: string) => void;
  onDeadLetter?: (reason: string, data: T) => void;
  /**
   * false when a lane is better drained by another process (its session runs elsewhere): a wake-up for
   * it then always goes through the shared queue. Default: every lane may be drained here.
   */
  drainsHere?: (lane: string) => boolean;
  /** The message an item is, for its journey: each failed attempt with its reason, the dead letter, a replay. */
  journey?: { log: JourneyLog; of: JourneyOf<T> };
  /** An item reached its first attempt after waiting this long in its lane since its push. */
  onWait?: (lane: string, seconds: number) => void;
}

/** What a set of lanes is built from. */
export interface LanesOptions<T> {
  /** The queue's name (`inbound`, `outbound`, `bot`, `registration`): part of every key and of the metrics' labels. */
  name: string;
  /** The shared connection for the lanes' own commands (auto-pipelined with the relay's). */
  redis: Redis;
  /** Where bee-queue opens its own connections for the wake-ups (it cannot share ioredis'). */
  redisUrl: string;
  keys: Keys;
  /** Where items out of attempts (or too old) go. */
  deadLetters: DeadLetters;
  /** Attempts, backoff, age limit and concurrency. */
  policy: LanePolicy;
  logger: Logger;
  /** Hooks for metrics, journeys and ownership; none by default. */
  events?: LaneEvents<T>;
}

const LOCK_TTL_MS = 5_000;
const SWEEP_MS = 3_000;
const SWEEP_BATCH = 500;

/**
 * Ordered lanes (one per chat) on Redis, drained by bee-queue workers. An item is persisted (RPUSH)
 * before anything else happens to it; one worker at a time drains a lane, head first, so per-chat order
 * holds while different chats run in parallel. A failing head is retried with backoff (the lane waits,
 * keeping order) and dead-lettered once out of attempts; nothing is dropped silently.
 */
export class Lanes<T> {
  private readonly queue: BeeQueue<{ lane: string }>;
  private sweeper?: NodeJS.Timeout;
  private handler?: LaneHandler<T>;
  private active = 0;
  /** The head each lane waits to try again (its wait was measured at its first attempt). */
  private readonly triedHeads = new Map<string, string>();
  private waiting: Array<() => void> = [];
  private closing = false;
  private readonly store: LaneStore;

  readonly name: string;
  private readonly deadLetters: DeadLetters;
  private readonly policy: LanePolicy;
  private readonly logger: Logger;
  private readonly events: LaneEvents<T>;

  constructor(options: LanesOptions<T>) {
    const { name, redis, redisUrl, keys } = options;
    this.name = name;
    this.deadLetters = options.deadLetters;
    this.policy = options.policy;
    this.logger = options.logger;
    this.events = options.events ?? {};
    this.store = new LaneStore(redis, keys, name);
    this.queue = new BeeQueue<{ lane: string }>(`${name}`, {
      prefix: `${keys.prefix}bq`,
      redis: { url: redisUrl } as never,
      activateDelayedJobs: true,
      // bee-queue raises delayed jobs in batches up to this far apart (default 1 s): a retry due in 20 ms
      // would wait up to a second, and a lane waiting for a retry holds up its whole chat.
      delayedDebounce: 25,
      removeOnSuccess: true,
      removeOnFailure: true,
      stallInterval: 5000,
      getEvents: false,
      sendEvents: false,
    });
    this.queue.on('error', (err) => this.logger.warn({ err: { message: err.message }, queue: name }, 'queue connection problem'));
  }

  /**
   * Persists an item at the tail of its lane and wakes a worker. Resolves once it is in Redis. `mark`
   * sets a key in the same step (the relays remember what they took in without another round trip).
   */
  async push(lane: string, data: T, mark?: { key: string; ttlS: number }): Promise<string> {
    return (await this.pushOnce(lane, data, { mark }))!;
  }

  /**
   * Like push, but nothing is pushed (undefined comes back) when one of the `guard` keys exists, or one
   * of the `unless` keys. Guard keys are set with the item (a webhook's delivery ids: claimed and queued
   * at once); unless keys are only looked at (an echo of our own send needs no work), and the mark is
   * set all the same.
   */
  async pushOnce(lane: string, data: T, opts: PushOptions = {}): Promise<string | undefined> {
    const { via, ...claims } = opts;
    const result = await tracedPush(this.name, lane, data, (raw) => this.store.push(lane, raw, claims, via));
    // The item is safe in Redis once the script ran: the caller (a webhook waiting to answer) need not wait
    // for the wake-up too. A wake-up that fails is covered by the sweeper, which finds the pending lane.
    if (result.wake) this.wakeUp(lane);
    return result.id;
  }

  /** Gets a lane drained that a push elsewhere (the webhook thread) found idle. */
  wakeUp(lane: string): void {
    void this.wake(lane).catch((err: Error) =>
      this.logger.warn({ err: { message: err.message }, queue: this.name }, 'lane wake-up failed; the sweeper will pick the lane up'),
    );
  }

  /**
   * Gets a lane drained: here and now when this process has a free worker (no queue job: five Redis
   * round trips fewer per wake-up), else through a queue job any worker may take. A retry at a later
   * time is always a delayed job. A drain lost with the process is found by the sweeper.
   */
  private async wake(lane: string, at?: number): Promise<void> {
    if (!at && this.handler && !this.closing && this.active < this.policy.concurrency && (this.events.drainsHere?.(lane) ?? true)) {
      void this.run(lane).catch((err: Error) =>
        this.logger.warn({ err: { message: err.message }, queue: this.name, lane }, 'lane drain failed; the sweeper will pick the lane up'),
      );
      return;
    }
    const job = this.queue.createJob({ lane });
    if (at) job.delayUntil(at);
    await job.save();
  }

  /** One drain, counted against the worker limit whether it came from a queue job or from a push here. */
  private async run(lane: string): Promise<void> {
    this.active += 1;
    try {
      await this.drain(lane);
    } finally {
      this.active -= 1;
      this.waiting.shift()?.();
    }
  }

  start(handler: LaneHandler<T>): void {
    this.handler = handler;
    this.queue.process(this.policy.concurrency, async (job) => {
      // Drains started by pushes here count too: a job waits for a free worker.
      while (this.active >= this.policy.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
      await this.run(job.data.lane);
    });
    void this.queue.checkStalledJobs(5000).catch(() => undefined);
    this.sweeper = setInterval(() => void this.sweep().catch((err) => this.logger.warn({ err }, 'lane sweep failed')), SWEEP_MS);
    this.sweeper.unref();
    // Lanes left with items by a crash or a restart are picked up now, not at the next event.
    void this.sweep().catch((err) => this.logger.warn({ err }, 'lane recovery failed'));
  }

  /** Wakes every lane with items whose worker is gone and that is not waiting for a retry. */
  async sweep(): Promise<number> {
    const lanes = await this.store.pendingLanes();
    let woken = 0;
    // A batch at a time: a restart after an outage can find tens of thousands of lanes waiting.
    for (let i = 0; i < lanes.length; i += SWEEP_BATCH) {
      const batch = lanes.slice(i, i + SWEEP_BATCH);
      const states = await this.store.states(batch);
      for (const [j, { locked, retryAt }] of states.entries()) {
        if (locked || retryAt > Date.now()) continue;
        await this.wake(batch[j]);
        woken += 1;
      }
    }
    return woken;
  }

  /** Items waiting in one lane (the one being worked on included: it leaves the lane once done). */
  async length(lane: string): Promise<number> {
    return this.store.length(lane);
  }

  async depth(): Promise<number> {
    return this.store.depth();
  }

  private async drain(lane: string): Promise<void> {
    if (this.closing || !this.handler) return;
    const ttl = this.policy.lockTtlMs ?? LOCK_TTL_MS;
    const token = randomUUID();
    const begun = await this.store.beginDrain(lane, token, ttl, Date.now());
    // A delayed wake-up is scheduled for the retry; a busy lane's holder re-checks it after releasing it.
    if (begun === 'retry-scheduled' || begun === 'busy') return;
    const lock = this.store.lock(lane, token);
    let scheduledRetry = false;
    let lost = false;
    // Keep the lock while a slow item (a media download, a Chatwoot timeout) is worked on; a killed
    // worker stops renewing, and its lane is free again within one TTL.
    const heartbeat = setInterval(
      () => {
        lock.renew(ttl).then(
          (held) => {
            if (!held) lost = true;
          },
          () => undefined, // Redis unreachable: the pop will tell whether we still hold the lane
        );
      },
      Math.max(20, Math.floor(ttl / 3)),
    );
    heartbeat.unref();
    let finished = false;
    // The pop that emptied the lane let it go.
    let released = false;
    try {
      let raw = begun.head;
      while (!this.closing && !lost && raw != null) {
        const outcome = await this.tracedHead(lane, raw, lock);
        if (typeof outcome === 'object') {
          raw = outcome.next;
          released = raw == null;
          continue;
        }
        // The head changed under us (a replay pushed to an emptied lane): look again.
        if (outcome === 'next') {
          raw = await this.store.head(lane);
          continue;
        }
        if (outcome === 'retry-later') {
          scheduledRetry = true;
          break;
        }
        if (outcome === 'lost') {
          // Another worker owns the lane now and redoes this head (the relays' dedupe makes that safe).
          // Looping here would redo it again and again, since only the holder may pop.
          lost = true;
          this.logger.warn({ queue: this.name, lane }, 'lost the lane lock while working; leaving the lane to its new holder');
        }
      }
      finished = true;
    } finally {
      clearInterval(heartbeat);
      // Failing half-way (Redis gone): let the lane go at once rather than after the lock's TTL.
      if (!finished && !lost) await lock.release().catch(() => undefined);
    }
    if (lost || released) return;
    const left = await this.store.endDrain(lane, token).catch(() => 0);
    // An item pushed after our last look but before the release found the lane locked: wake it now.
    if (!scheduledRetry && !this.closing && left > 0) await this.wake(lane);
  }

  /**
   * The head's attempt in its span (`lane.attempt`), under the context its push left in the item; at its
   * first attempt, the wait since the push (`lane.wait`, and `onWait`).
   */
  private async tracedHead(lane: string, raw: string, lock: RedisLock): Promise<HeadOutcome> {
    const item = JSON.parse(raw) as LaneItem<T>;
    const parent = contextOf(item.tp);
    const attributes = { 'ponte.queue': this.name, 'ponte.lane': maskedLane(lane), 'ponte.item': item.id };
    if (this.triedHeads.get(lane) !== item.id) {
      this.events.onWait?.(lane, Math.max(0, Date.now() - item.enqueuedAt) / 1000);
      pastSpan('lane.wait', attributes, item.enqueuedAt, parent);
    }
    const outcome = await inSpan('lane.attempt', attributes, (span) => this.processHead(lane, raw, lock, item, span), { parent });
    if (outcome === 'retry-later') {
      // Lanes waiting here for a retry that another process then drained are forgotten in bulk.
      if (this.triedHeads.size >= 10_000) this.triedHeads.clear();
      this.triedHeads.set(lane, item.id);
    } else this.triedHeads.delete(lane);
    return outcome;
  }

  private async processHead(lane: string, raw: string, lock: RedisLock, item: LaneItem<T>, span: Span): Promise<HeadOutcome> {
    try {
      await this.handler!(item.data, { id: item.id, enqueuedAt: item.enqueuedAt, lane });
      const popped = await this.pop(lane, raw, lock, item.id);
      span.setAttribute('ponte.outcome', popped === false ? 'lost' : 'ok');
      return popped === false ? 'lost' : popped;
    } catch (err) {
      if (err instanceof NotYetError) {
        span.setAttribute('ponte.outcome', 'not_yet');
        const at = Date.now() + err.retryAfterMs;
        await this.store.waitUntil(lane, at, err.retryAfterMs);
        await this.wake(lane, at);
        return 'retry-later';
      }
      // Failures are rare: their count is stored, and read, only then.
      const attempts = await this.store.attempts(item.id);
      const reason = describeError(err);
      const hint = retryHint(err);
      const tooOld = Date.now() - item.enqueuedAt > this.policy.maxAgeMs;
      failed(span, err);
      span.setAttribute('ponte.attempt', attempts + 1);
      if (!hint.retryable || attempts + 1 >= this.policy.maxAttempts || tooOld) {
        const why = hint.retryable ? `${reason} (gave up after ${attempts + 1} attempts)` : reason;
        await this.deadLetters.add({
          id: item.id,
          queue: this.name,
          lane,
          data: item.data,
          reason: why,
          attempts: attempts + 1,
          enqueuedAt: item.enqueuedAt,
          failedAt: Date.now(),
        });
        const popped = await this.pop(lane, raw, lock, item.id);
        span.setAttribute('ponte.outcome', 'dead_letter');
        if (popped === false) return 'lost';
        this.events.onDeadLetter?.(why, item.data);
        this.noteJourney(item.data, { step: 'dead-letter', reason: why, attempts: attempts + 1, queue: this.name, deadLetterId: item.id });
        this.logger.error({ queue: this.name, item: item.id, attempts: attempts + 1, reason: why }, 'dead-lettered');
        return popped;
      }
      const delay = Math.max(hint.retryAfterMs ?? 0, backoffDelay(attempts, this.policy));
      const at = Date.now() + delay;
      await this.store.recordFailure(lane, item.id, attempts + 1, at, delay);
      span.setAttribute('ponte.outcome', 'retry');
      await this.wake(lane, at);
      this.events.onRetry?.(reason);
      this.noteJourney(item.data, { step: 'attempt-failed', attempt: attempts + 1, reason, retryInMs: delay });
      this.logger.warn({ queue: this.name, item: item.id, attempt: attempts + 1, inMs: delay, reason }, 'will retry');
      return 'retry-later';
    }
  }

  /** false when the lane is no longer ours; 'next' when the head was not ours to pop; else the next head. */
  private async pop(lane: string, raw: string, lock: RedisLock, itemId: string): Promise<false | 'next' | { next: string | null }> {
    const popped = await this.store.popHead(lane, lock.token, raw, itemId);
    if (popped === 'lost') return false;
    return popped === 'head-changed' ? 'next' : popped;
  }

  /** Puts a dead-lettered item back at the tail of its lane. */
  async replay(id: string): Promise<boolean> {
    const entry = await this.deadLetters.get(this.name, id);
    if (!entry) return false;
    await this.push(entry.lane, entry.data as T);
    await this.deadLetters.remove(this.name, id);
    this.noteJourney(entry.data as T, { step: 'replayed', queue: this.name, deadLetterId: id });
    this.logger.info({ queue: this.name, item: id }, 'dead letter replayed');
    return true;
  }

  private noteJourney(data: T, step: JourneyStep): void {
    const journey = this.events.journey;
    const ref = journey?.of(data);
    if (ref) journey!.log.note(ref, step);
  }

  /** Stops taking work and waits (bounded) for the lanes being drained to reach a safe point. */
  async close(timeoutMs: number): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    const deadline = Date.now() + timeoutMs;
    while (this.active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const closed = this.queue.close(Math.max(100, deadline - Date.now())).then(
      () => true,
      () => true,
    );
    // bee-queue ends its connections with QUIT, which waits for a reconnect when Redis is unreachable
    // (and its clients keep retrying for ever): past the deadline they are ended without a word.
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(100, deadline - Date.now()) + 500)));
    const inTime = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (!inTime) endClients(this.queue);
  }
}

/** bee-queue's node_redis clients (not in its typings), ended at once without waiting for replies. */
function endClients(queue: object): void {
  const q = queue as unknown as Record<'client' | 'bclient' | 'eclient', { end?: (flush: boolean) => void } | undefined>;
  for (const client of [q.client, q.bclient, q.eclient]) client?.end?.(false);
}

type HeadOutcome = { next: string | null } | 'next' | 'retry-later' | 'lost';

function describeError(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}
