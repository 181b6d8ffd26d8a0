import type Redis from 'ioredis';
import type { Keys } from './keys';

/** A cursor outlives any retry of its message (lanes dead-letter long before). */
const PART_TTL_S = 7 * 24 * 3600;
/** Kept after a part's WhatsApp id in its cursor: the part went without its quote (the agent is told). */
const QUOTE_DROPPED = 'quote-dropped';

/** One part of an agent's message that went to WhatsApp. */
export interface SentPart {
  waId: string;
  /** WhatsApp refused the quote and the part went without it. */
  quoteDropped: boolean;
}

/**
 * Where a multi-part agent message got to: per part, the WhatsApp id it went out as
 * (`<prefix>cursor:cw-part:<session>:<cwId>:<part>`, value `<waId>[ quote-dropped]`), so a retry
 * resumes after the last part sent instead of sending it again.
 */
export class PartCursors {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** The part as an earlier attempt sent it, if it did. */
  async sent(session: string, cwId: number, part: number): Promise<SentPart | undefined> {
    const raw = await this.redis.get(this.keys.agentMessagePart(session, cwId, part));
    if (!raw) return undefined;
    const [waId, flag] = raw.split(' ');
    return { waId, quoteDropped: flag === QUOTE_DROPPED };
  }

  async keep(session: string, cwId: number, part: number, sent: SentPart): Promise<void> {
    await this.redis.set(
      this.keys.agentMessagePart(session, cwId, part),
      sent.quoteDropped ? `${sent.waId} ${QUOTE_DROPPED}` : sent.waId,
      'EX',
      PART_TTL_S,
    );
  }

  /** The cursors of a message's parts, for IdMap.record to delete with its record in one step. */
  keysToForget(session: string, cwId: number, parts: number): string[] {
    return Array.from({ length: parts }, (_, i) => this.keys.agentMessagePart(session, cwId, i));
  }
}
