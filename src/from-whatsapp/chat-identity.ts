import type { EngineSession } from '../engines/types';
import type { LidCache } from '../store/lid-cache';
import type { Logger } from '../observability/logger';
import { phoneDigitsOf, phoneId, whatsAppIdKind } from '../core/whatsapp-ids';

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

/**
 * One person stays one contact whatever id form WhatsApp shows (`<phone>@c.us` or `<n>@lid`): the
 * chat key is the phone form whenever the phone is known, and the LID <-> phone link is remembered.
 */
export class ChatIdentities {
  constructor(
    private readonly lids: LidCache,
    private readonly logger: Logger,
  ) {}

  async resolve(session: string, chatId: string, engine: EngineSession | undefined): Promise<ChatIdentity> {
    switch (whatsAppIdKind(chatId)) {
      case 'group':
        return { chatKey: chatId, isGroup: true };
      case 'phone': {
        const digits = phoneDigitsOf(chatId);
        if (digits) return { chatKey: phoneId(digits), phone: `+${digits}`, isGroup: false };
        break;
      }
      case 'lid':
        return this.resolveLid(session, chatId, engine);
    }
    return { chatKey: chatId, isGroup: false };
  }

  private async resolveLid(session: string, lid: string, engine: EngineSession | undefined): Promise<ChatIdentity> {
    const known = await this.lids.phoneOf(session, lid);
    let phone = known ?? undefined;
    if (known === undefined && engine) {
      try {
        phone = (await engine.resolveContact(lid)).phone;
      } catch (err) {
        this.logger.debug({ err, chatId: lid }, 'LID resolution failed');
      }
      await this.lids.record(session, lid, phone, phone ? LID_TTL_S : LID_UNKNOWN_TTL_S);
    }
    if (phone) {
      const digits = phone.replace(/\D/g, '');
      return { chatKey: phoneId(digits), phone: `+${digits}`, lid, isGroup: false };
    }
    return { chatKey: lid, lid, isGroup: false };
  }
}
