import type Redis from 'ioredis';
import type { Keys } from './keys';
import { luaScript } from './lua';

const RAISE_MARK = luaScript('catchup-raise-mark');

/** A chat's messages up to `timestamp` (unix s) were relayed. */
export interface SeenMark {
  session: string;
  chatId: string;
  timestamp: number;
}

/**
 * Per session, the newest relayed message of each chat (`<prefix>last-seen:<session>`, field = chat id,
 * unix seconds): where the WhatsApp catch-up (from-whatsapp/catch-up.ts) starts looking.
 */
export class WhatsAppCatchupMarks {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Raises the marks, in one round trip. */
  async raise(marks: SeenMark[]): Promise<void> {
    const pipe = this.redis.pipeline();
    for (const m of marks) pipe.eval(RAISE_MARK, 1, this.keys.lastSeen(m.session), m.chatId, m.timestamp);
    await pipe.exec();
  }

  /** Chat id -> its mark (unix s). */
  async of(session: string): Promise<Record<string, number>> {
    const seen = await this.redis.hgetall(this.keys.lastSeen(session));
    return Object.fromEntries(Object.entries(seen).map(([chatId, ts]) => [chatId, Number(ts)]));
  }
}
