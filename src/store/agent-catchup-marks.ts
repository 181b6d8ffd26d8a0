import type Redis from 'ioredis';
import type { Keys } from './keys';

/**
 * What the agent catch-up (from-agents/catch-up.ts) remembers between sweeps: when Ponte first served
 * each inbox, and per conversation the last agent read it turned into a read mark. Unix seconds.
 */
export class AgentCatchupMarks {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** When Ponte first served the inbox: `now` the first time it is asked, what it was set to after that. */
  async servedSince(inboxId: number, now: number): Promise<number> {
    const key = this.keys.agentsServedSince(inboxId);
    await this.redis.set(key, String(now), 'NX');
    return Number(await this.redis.get(key));
  }

  /** The agent_last_seen_at last turned into a read mark (0 when none). */
  async lastRead(inboxId: number, conversationId: number): Promise<number> {
    return Number((await this.redis.get(this.keys.agentSeen(inboxId, conversationId))) ?? 0);
  }

  async keepLastRead(inboxId: number, conversationId: number, seenAt: number, ttlS: number): Promise<void> {
    await this.redis.set(this.keys.agentSeen(inboxId, conversationId), String(seenAt), 'EX', ttlS);
  }
}
