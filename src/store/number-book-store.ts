import type Redis from 'ioredis';
import type { Keys } from './keys';

/** WhatsApp ids of a number rarely change; a number with no account may get one, so that is asked again sooner. */
const FOUND_TTL_S = 7 * 24 * 3600;
const MISSING_TTL_S = 3600;
/** Stored for a number WhatsApp has no account for. */
const NONE = '-';

/**
 * What the engines answered when asked for the WhatsApp chat of a phone number, per session and number
 * (digits only): `<prefix>number:<session>:<digits>`.
 */
export class NumberBookStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** The chat id found, `null` when WhatsApp said the number has no account, undefined when never asked (or forgotten). */
  async answer(session: string, digits: string): Promise<string | null | undefined> {
    const cached = await this.redis.get(this.keys.number(session, digits));
    if (cached === NONE) return null;
    return cached ?? undefined;
  }

  async rememberChat(session: string, digits: string, chatId: string): Promise<void> {
    await this.redis.set(this.keys.number(session, digits), chatId, 'EX', FOUND_TTL_S);
  }

  async rememberNoAccount(session: string, digits: string): Promise<void> {
    await this.redis.set(this.keys.number(session, digits), NONE, 'EX', MISSING_TTL_S);
  }
}
