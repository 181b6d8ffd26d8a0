import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Keys } from '../store/keys';
import { pushLaneItem, type LanePushKeys, type LanePushOutcome } from '../store/lane-store';

export interface LaneItem<T> {
  id: string;
  enqueuedAt: number;
  data: T;
}

export interface PushOptions extends LanePushKeys {
  /** The connection to push on (the webhook intake has its own). */
  via?: Redis;
}

/**
 * Persists an item at the tail of a lane, in one Redis step with its mark and guards (nothing is pushed
 * when a guard or an unless key exists: no id then). `wake` says the lane was idle: whoever pushed must
 * get it drained (Lanes does; the webhook thread asks the main one). Usable where no queue runs.
 */
export async function pushToLane<T>(
  redis: Redis,
  keys: Keys,
  queue: string,
  lane: string,
  data: T,
  opts: Omit<PushOptions, 'via'> = {},
): Promise<{ id?: string; wake: boolean }> {
  const item = laneItem(data);
  return pushed(item, await pushLaneItem(redis, keys, queue, lane, JSON.stringify(item), opts));
}

/** A new item for a lane: its id and enqueue time travel with it (retries, dead letters, replays). */
export function laneItem<T>(data: T): LaneItem<T> {
  return { id: randomUUID(), enqueuedAt: Date.now(), data };
}

/** What a push did, for the pusher: the item's id when it was pushed, and whether the lane needs waking. */
export function pushed(item: LaneItem<unknown>, outcome: LanePushOutcome): { id?: string; wake: boolean } {
  if (outcome === 'guarded' || outcome === 'needless') return { wake: false };
  return { id: item.id, wake: outcome === 'wake' };
}
