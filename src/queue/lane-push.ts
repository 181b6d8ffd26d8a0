import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Keys } from '../store/keys';
import { evalScript } from '../store/scripts';

export interface LaneItem<T> {
  id: string;
  enqueuedAt: number;
  data: T;
}

export interface PushOptions {
  /**
   * A key set with the item (what a relay took in), also when an `unless` key spares the push. Set only if
   * absent: the id map keeps this mark in the key of the id's mapping, which it must never overwrite.
   */
  mark?: { key: string; ttlS: number };
  /** Claimed with the push: when one exists already, nothing is pushed. */
  guard?: { keys: string[]; ttlS: number };
  /** When one exists, the item needs no work: nothing is pushed. */
  unless?: string[];
  /** The connection to push on (the webhook intake has its own). */
  via?: Redis;
}

// Appends an item; returns 1 when a wake-up must be sent: not when a worker holds the lane (it sees the
// item before it lets go), nor when a wake-up is already on its way (the wake key, cleared when a drain
// starts). In a burst this spares a queue job per message. Unless keys (the first ARGV[6] of KEYS[6..])
// say the item needs no work: -2, nothing pushed, the mark set. Guard keys (the rest) make it a claim
// too: -1, and nothing pushed, when one of them exists; else they are set with the item.
const PUSH = `
local guards = 6 + tonumber(ARGV[6])
for i = 6, guards - 1 do
  if redis.call('exists', KEYS[i]) == 1 then
    if ARGV[3] ~= '' then redis.call('set', KEYS[5], '1', 'EX', ARGV[3], 'NX') end
    return -2
  end
end
for i = guards, #KEYS do if redis.call('exists', KEYS[i]) == 1 then return -1 end end
for i = guards, #KEYS do redis.call('set', KEYS[i], '1', 'EX', ARGV[5]) end
redis.call('rpush', KEYS[1], ARGV[1])
redis.call('sadd', KEYS[2], ARGV[2])
if ARGV[3] ~= '' then redis.call('set', KEYS[5], '1', 'EX', ARGV[3], 'NX') end
if redis.call('exists', KEYS[3]) == 1 then return 0 end
if redis.call('set', KEYS[4], '1', 'NX', 'PX', ARGV[4]) then return 1 end
return 0`;

/** A pending wake-up older than this is assumed lost (its job failed to save); the sweeper covers it. */
const WAKE_TTL_MS = 5_000;

/**
 * Persists an item at the tail of a lane, in one Redis step with its mark and guards. `wake` says the
 * lane was idle: whoever pushed must get it drained (Lanes does; the webhook thread asks the main one).
 * Pure Redis: usable where no queue runs.
 */
export async function pushToLane<T>(redis: Redis, keys: Keys, queue: string, lane: string, data: T, opts: Omit<PushOptions, 'via'> = {}): Promise<{ id?: string; wake: boolean }> {
  const item: LaneItem<T> = { id: randomUUID(), enqueuedAt: Date.now(), data };
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
    JSON.stringify(item),
    lane,
    mark ? String(mark.ttlS) : '',
    String(WAKE_TTL_MS),
    String(guard?.ttlS ?? 0),
    String(unless.length),
  );
  if (res === -1 || res === -2) return { wake: false };
  return { id: item.id, wake: res === 1 };
}
