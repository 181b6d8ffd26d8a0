import type Redis from 'ioredis';
import type { EngineSession } from '../engines/types';
import { PermanentError } from '../queue/errors';
import type { Keys } from '../store/keys';
import { phoneVariants } from '../core/phone-variants';

/** WhatsApp ids of a number rarely change; a number with no account may get one, so that is asked again sooner. */
const FOUND_TTL_S = 7 * 24 * 3600;
const MISSING_TTL_S = 3600;
const NONE = '-';

/**
 * The WhatsApp chat of a phone number an agent writes to first (no WhatsApp contact_inbox yet): asked of
 * the engine once per form of the number (PITFALLS.md 7: +55 11 98765-4321 may be the account
 * 551187654321) and remembered in Redis. A number with no account fails the message with that reason,
 * instead of a send into nothing.
 */
export class NumberBook {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** The chat found by an earlier lookup, if any. */
  async remembered(session: string, phone: string): Promise<string | undefined> {
    const cached = await this.redis.get(this.keys.number(session, phone.replace(/\D/g, '')));
    return cached && cached !== NONE ? cached : undefined;
  }

  async chatFor(session: string, engine: EngineSession, phone: string): Promise<string> {
    const lookup = engine.capabilities.lookupNumber;
    const digits = phone.replace(/\D/g, '');
    if (!lookup) return `${digits}@c.us`;
    const key = this.keys.number(session, digits);
    const cached = await this.redis.get(key);
    if (cached === NONE) throw notOnWhatsApp(digits);
    if (cached) return cached;
    for (const form of phoneVariants(digits)) {
      const chatId = await lookup(form.slice(1));
      if (chatId) {
        await this.redis.set(key, chatId, 'EX', FOUND_TTL_S);
        return chatId;
      }
    }
    await this.redis.set(key, NONE, 'EX', MISSING_TTL_S);
    throw notOnWhatsApp(digits);
  }
}

function notOnWhatsApp(digits: string): PermanentError {
  return new PermanentError(`+${digits} has no WhatsApp account (asked WhatsApp for every form of the number)`);
}
