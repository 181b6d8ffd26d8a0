import type { EngineSession } from '../engines/types';
import { PermanentError } from '../queue/errors';
import type { NumberBookStore } from '../store/number-book-store';
import { phoneVariants } from '../core/phone-variants';
import { phoneId } from '../core/whatsapp-ids';

/**
 * The WhatsApp chat of a phone number an agent writes to first (no WhatsApp contact_inbox yet): asked of
 * the engine once per form of the number (PITFALLS.md 7: +55 11 98765-4321 may be the account
 * 551187654321) and remembered in Redis. A number with no account fails the message with that reason,
 * instead of a send into nothing.
 */
export class NumberBook {
  constructor(private readonly store: NumberBookStore) {}

  /** The chat found by an earlier lookup, if any. */
  async remembered(session: string, phone: string): Promise<string | undefined> {
    return (await this.store.answer(session, phone.replace(/\D/g, ''))) || undefined;
  }

  async chatFor(session: string, engine: EngineSession, phone: string): Promise<string> {
    const lookup = engine.capabilities.lookupNumber;
    const digits = phone.replace(/\D/g, '');
    if (!lookup) return phoneId(digits);
    const cached = await this.store.answer(session, digits);
    if (cached === null) throw notOnWhatsApp(digits);
    if (cached) return cached;
    for (const form of phoneVariants(digits)) {
      const chatId = await lookup(form.slice(1));
      if (chatId) {
        await this.store.rememberChat(session, digits, chatId);
        return chatId;
      }
    }
    await this.store.rememberNoAccount(session, digits);
    throw notOnWhatsApp(digits);
  }
}

function notOnWhatsApp(digits: string): PermanentError {
  return new PermanentError(`+${digits} has no WhatsApp account (asked WhatsApp for every form of the number)`);
}
