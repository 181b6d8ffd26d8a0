import type Redis from 'ioredis';
import type { EngineSession } from '../engines/types';
import type { Keys } from '../store/keys';
import type { Logger } from '../observability/logger';

export interface ChatIdentity {
  chatKey: string;
  phone?: string;
  lid?: string;
  isGroup: boolean;
}

const LID_TTL_S = 365 * 24 * 3600;
/**
 * How long "WhatsApp Web does not know this LID's phone" holds: every message of such a chat would
 * otherwise ask the engine (a server look-up) again; the account may learn the number later.
 */
export const LID_UNKNOWN_TTL_S = 10 * 60;
const UNKNOWN = '-';

/**
 * One person stays one contact whatever id form WhatsApp shows (`<phone>@c.us` or `<n>@lid`): the
 * chat key is the phone form whenever the phone is known, and the LID <-> phone link is kept in Redis.
 */
export class ChatIdentities {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly logger: Logger,
  ) {}

  async resolve(session: string, chatId: string, engine: EngineSession | undefined): Promise<ChatIdentity> {
    if (chatId.endsWith('@g.us')) return { chatKey: chatId, isGroup: true };
    if (chatId.endsWith('@c.us') || chatId.endsWith('@s.whatsapp.net')) {
      const digits = chatId.split('@')[0].replace(/\D/g, '');
      return { chatKey: `${digits}@c.us`, phone: `+${digits}`, isGroup: false };
    }
    if (chatId.endsWith('@lid')) {
      const key = this.keys.lidToPhone(session, chatId);
      const known = (await this.redis.get(key)) ?? undefined;
      let phone = known === UNKNOWN ? undefined : known;
      if (known === undefined && engine) {
        try {
          phone = (await engine.resolveContact(chatId)).phone;
        } catch (err) {
          this.logger.debug({ err, chatId }, 'LID resolution failed');
        }
        await this.redis.set(key, phone ?? UNKNOWN, 'EX', phone ? LID_TTL_S : LID_UNKNOWN_TTL_S);
      }
      if (phone) {
        const digits = phone.replace(/\D/g, '');
        return { chatKey: `${digits}@c.us`, phone: `+${digits}`, lid: chatId, isGroup: false };
      }
      return { chatKey: chatId, lid: chatId, isGroup: false };
    }
    return { chatKey: chatId, isGroup: false };
  }
}
