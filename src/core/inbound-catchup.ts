import type Redis from 'ioredis';
import type { EngineSession } from '../engines/types';
import type { Keys } from '../store/keys';
import type { IdMap } from '../store/id-map';
import type { Logger } from '../observability/logger';
import type { InboundJob } from './inbound-relay';

export interface InboundCatchupDeps {
  redis: Redis;
  keys: Keys;
  idMap: IdMap;
  /** false when the message was already taken in (live, or by an earlier sweep). */
  enqueue: (job: InboundJob) => Promise<boolean>;
  logger: Logger;
  lookbackMinutes: number;
}

/** Overlap with the last sweep: engines' clocks and ours differ, and dedupe makes overlap free. */
const OVERLAP_S = 120;
const MAX_LOOKBACK_S = 7 * 24 * 3600;

/**
 * Asks a session's engine for messages the live connection may have missed (while disconnected, or
 * dropped by the library) and feeds the unrelayed ones through the normal inbound path.
 */
export class InboundCatchup {
  constructor(private readonly deps: InboundCatchupDeps) {}

  /** Records that a chat's messages up to `timestamp` (unix s) were relayed. */
  async seen(session: string, chatId: string, timestamp: number): Promise<void> {
    await this.deps.redis.eval(
      `local cur = tonumber(redis.call('hget', KEYS[1], ARGV[1]) or '0') if tonumber(ARGV[2]) > cur then redis.call('hset', KEYS[1], ARGV[1], ARGV[2]) end return 1`,
      1,
      this.deps.keys.lastSeen(session),
      chatId,
      timestamp,
    );
  }

  /** Returns how many missed messages were found and enqueued. */
  async sweep(session: string, engine: EngineSession): Promise<number> {
    if (engine.state() !== 'CONNECTED') return 0;
    const { redis, keys, idMap } = this.deps;
    const seen = await redis.hgetall(keys.lastSeen(session));
    const now = Math.floor(Date.now() / 1000);
    const marks = Object.values(seen).map(Number);
    // After a long downtime, look back to the last message relayed before it (at most a week).
    const lastRelayed = marks.length ? Math.max(...marks) - OVERLAP_S : Infinity;
    const since = Math.max(now - MAX_LOOKBACK_S, Math.min(now - this.deps.lookbackMinutes * 60, lastRelayed));
    const chats = await engine.activeChats(since);
    let found = 0;
    for (const chatId of chats) {
      const chatSince = seen[chatId] ? Number(seen[chatId]) - OVERLAP_S : since;
      const messages = await engine.recentMessages(chatId, chatSince);
      for (const message of messages) {
        if (await idMap.byWa(session, message.id)) continue;
        if (await this.deps.enqueue({ session, receivedAt: Date.now(), catchup: true, event: { type: 'message', message } })) found += 1;
      }
    }
    if (found) this.deps.logger.info({ session, found }, 'catch-up found missed messages');
    return found;
  }
}
