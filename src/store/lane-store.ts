import type Redis from 'ioredis';
import type { Keys } from './keys';
import { RedisLock } from './lock';
import { luaScript } from './lua';
import { evalScript } from './scripts';

const PUSH = luaScript('lane-push');
const BEGIN_DRAIN = luaScript('lane-begin-drain');
const END_DRAIN = luaScript('lane-end-drain');
const POP_HEAD = luaScript('lane-pop-head');

/** A pending wake-up older than this is assumed lost (its job failed to save); the sweeper covers it. */
const WAKE_TTL_MS = 5_000;

export interface LanePushKeys {
  /** Set (only if absent) with the item, also when an `unless` key spares the push. */
  mark?: { key: string; ttlS: number };
  /** Claimed with the push: when one exists already, nothing is pushed. */
  guard?: { keys: string[]; ttlS: number };
  /** When one exists, the item needs no work: nothing is pushed. */
  unless?: string[];
}

/** 'wake': pushed into an idle lane, whoever pushed gets it drained; 'pushed': a worker or wake-up has it already. */
export type LanePushOutcome = 'wake' | 'pushed' | 'guarded' | 'needless';

/**
 * Appends an item (already serialized) at the tail of a lane, in one step with its mark and guards
 * (lua/lane-push.lua). A function, not a method: the webhook thread pushes on its own connection.
 */
export async function pushLaneItem(
  redis: Redis,
  keys: Keys,
  queue: string,
  lane: string,
  item: string,
  opts: LanePushKeys = {},
): Promise<LanePushOutcome> {
  const { mark, guard, unless = [] } = opts;
  const guardKeys = guard?.keys ?? [];
  const res = await evalScript(
    redis,
    PUSH,
    5 + unless.length + guardKeys.length,
    keys.lane(queue, lane),
    keys.pendingLanes(queue),
    keys.laneLock(queue, lane),
    keys.laneWake(queue, lane),
    mark?.key ?? keys.laneWake(queue, lane),
    ...unless,
    ...guardKeys,
    item,
    lane,
    mark ? String(mark.ttlS) : '',
    String(WAKE_TTL_MS),
    String(guard?.ttlS ?? 0),
    String(unless.length),
  );
  if (res === -1) return 'guarded';
  if (res === -2) return 'needless';
  return res === 1 ? 'wake' : 'pushed';
}

/** What a drain found when it began. */
export type DrainStart = { head: string | null } | 'retry-scheduled' | 'busy';

/** What popping the head worked on did. */
export type PopOutcome = { next: string | null } | 'head-changed' | 'lost';

/**
 * The Redis side of one queue's lanes (keys.ts: lane, lane-lock, lane-wake, lane-retry-at,
 * lane-attempts, lanes-pending): every command the lanes send, by what it means for them.
 */
export class LaneStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    readonly queue: string,
  ) {}

  push(lane: string, item: string, opts: LanePushKeys = {}, via: Redis = this.redis): Promise<LanePushOutcome> {
    return pushLaneItem(via, this.keys, this.queue, lane, item, opts);
  }

  /** The lanes holding items (the sweeper's list). */
  pendingLanes(): Promise<string[]> {
    return this.redis.smembers(this.keys.pendingLanes(this.queue));
  }

  /**
   * Whether each lane is held by a worker and until when it waits for a retry (0: none), read together
   * (one write each with auto-pipelining), not one by one: a restart after an outage can find tens of
   * thousands of lanes waiting.
   */
  async states(lanes: string[]): Promise<Array<{ locked: boolean; retryAt: number }>> {
    const states = await Promise.all(
      lanes.map((lane) =>
        Promise.all([this.redis.exists(this.keys.laneLock(this.queue, lane)), this.redis.get(this.keys.laneRetryAt(this.queue, lane))]),
      ),
    );
    return states.map(([locked, retryAt]) => ({ locked: locked > 0, retryAt: retryAt ? Number(retryAt) : 0 }));
  }

  /** Items in one lane. */
  length(lane: string): Promise<number> {
    return this.redis.llen(this.keys.lane(this.queue, lane));
  }

  /** Items in all lanes. */
  async depth(): Promise<number> {
    const lanes = await this.pendingLanes();
    if (!lanes.length) return 0;
    const pipe = this.redis.pipeline();
    for (const lane of lanes) pipe.llen(this.keys.lane(this.queue, lane));
    const res = (await pipe.exec()) ?? [];
    return res.reduce((sum, [, n]) => sum + Number(n ?? 0), 0);
  }

  /** The item at the head of a lane (null: empty). */
  head(lane: string): Promise<string | null> {
    return this.redis.lindex(this.keys.lane(this.queue, lane), 0);
  }

  /** Takes the lane for a drain (lua/lane-begin-drain.lua); the head comes with the lock. */
  async beginDrain(lane: string, token: string, lockTtlMs: number, now: number): Promise<DrainStart> {
    const k = this.keys;
    const res = await evalScript(
      this.redis,
      BEGIN_DRAIN,
      4,
      k.laneLock(this.queue, lane),
      k.laneRetryAt(this.queue, lane),
      k.laneWake(this.queue, lane),
      k.lane(this.queue, lane),
      token,
      lockTtlMs,
      now,
    );
    if (res === 0) return 'retry-scheduled';
    if (!Array.isArray(res)) return 'busy';
    // Lua's false comes back as null.
    return { head: (res[1] as string | null) ?? null };
  }

  /** The drain's hold on the lane, to renew while an item is worked on and to release. */
  lock(lane: string, token: string): RedisLock {
    return RedisLock.adopt(this.redis, this.keys.laneLock(this.queue, lane), token);
  }

  /** Lets the lane go if still ours (lua/lane-end-drain.lua); the items left in it. */
  async endDrain(lane: string, token: string): Promise<number> {
    return Number(
      await evalScript(this.redis, END_DRAIN, 2, this.keys.laneLock(this.queue, lane), this.keys.lane(this.queue, lane), token),
    );
  }

  /** Pops the head if it is still `raw` and the lane still ours (lua/lane-pop-head.lua). */
  async popHead(lane: string, token: string, raw: string, itemId: string): Promise<PopOutcome> {
    const k = this.keys;
    const res = await evalScript(
      this.redis,
      POP_HEAD,
      4,
      k.lane(this.queue, lane),
      k.laneLock(this.queue, lane),
      k.laneAttempts(this.queue),
      k.pendingLanes(this.queue),
      token,
      raw,
      itemId,
      lane,
    );
    if (res === -1) return 'lost';
    if (!Array.isArray(res)) return 'head-changed';
    // Lua's false comes back as null.
    return { next: (res[1] as string | null) ?? null };
  }

  /** The lane waits until `at`, `delayMs` from now (a drain before then does nothing); the mark outlives it by a minute. */
  async waitUntil(lane: string, at: number, delayMs: number): Promise<void> {
    await this.redis.set(this.keys.laneRetryAt(this.queue, lane), at, 'PX', delayMs + 60_000);
  }

  /** Failed attempts of an item so far (stored only once one failed). */
  async attempts(itemId: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.laneAttempts(this.queue), itemId)) ?? 0);
  }

  /** Records a failed attempt and the lane's wait for the retry, in one transaction. */
  async recordFailure(lane: string, itemId: string, attempts: number, retryAt: number, delayMs: number): Promise<void> {
    await this.redis
      .multi()
      .hset(this.keys.laneAttempts(this.queue), itemId, attempts)
      .set(this.keys.laneRetryAt(this.queue, lane), retryAt, 'PX', delayMs + 60_000)
      .exec();
  }
}
