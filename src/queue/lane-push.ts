import { randomUUID } from 'node:crypto';
import type Redis from 'ioredis';
import type { Keys } from '../store/keys';
import { currentTraceparent, inSpan, maskedLane } from '../observability/tracing';
import { pushLaneItem, type LanePushKeys, type LanePushOutcome } from '../store/lane-store';

export interface LaneItem<T> {
  id: string;
  enqueuedAt: number;
  data: T;
  /** W3C traceparent of the push (tracing on only): the drain's spans, in any process, continue its trace. */
  tp?: string;
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
  return tracedPush(queue, lane, data, (raw) => pushLaneItem(redis, keys, queue, lane, raw, opts));
}

/**
 * One push in its span (`lane.push`): the item carries the span's context through Redis, so the wait and
 * the attempts, wherever they run, join the trace of whatever pushed it.
 */
export function tracedPush<T>(
  queue: string,
  lane: string,
  data: T,
  push: (raw: string) => Promise<LanePushOutcome>,
): Promise<{ id?: string; wake: boolean }> {
  return inSpan('lane.push', { 'ponte.queue': queue, 'ponte.lane': maskedLane(lane) }, async (span) => {
    const item = laneItem(data);
    const outcome = await push(JSON.stringify(item));
    span.setAttribute('ponte.outcome', outcome);
    span.setAttribute('ponte.item', item.id);
    return pushed(item, outcome);
  });
}

/** A new item for a lane: its id and enqueue time travel with it (retries, dead letters, replays). */
export function laneItem<T>(data: T): LaneItem<T> {
  const tp = currentTraceparent();
  return tp ? { id: randomUUID(), enqueuedAt: Date.now(), data, tp } : { id: randomUUID(), enqueuedAt: Date.now(), data };
}

/** What a push did, for the pusher: the item's id when it was pushed, and whether the lane needs waking. */
export function pushed(item: LaneItem<unknown>, outcome: LanePushOutcome): { id?: string; wake: boolean } {
  if (outcome === 'guarded' || outcome === 'needless') return { wake: false };
  return { id: item.id, wake: outcome === 'wake' };
}
