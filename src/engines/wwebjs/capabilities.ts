import type WAWebJS from 'whatsapp-web.js';
import type { EngineCapabilities } from '../types';

/**
 * Typing, read marks, revokes, call rejection and number lookups over whatsapp-web.js. `client()` throws
 * EngineNotReadyError while the session is not connected; `knownCall` finds a Call seen by this client.
 */
export function capabilitiesOf(client: () => WAWebJS.Client, knownCall: (id: string) => WAWebJS.Call | undefined): EngineCapabilities {
  return {
    revoke: async (_chatId, messageId) => {
      const msg = await client().getMessageById(messageId);
      if (!msg) throw new Error('the message to delete is no longer in WhatsApp Web');
      await msg.delete(true);
      return 'everyone';
    },
    typing: async (chatId, on) => {
      const chat = await client().getChatById(chatId);
      if (!chat) return;
      await (on ? chat.sendStateTyping() : chat.clearState());
    },
    // Marks the chat read on the phone: only when Ponte is asked to, never as a side effect of sending.
    markRead: async (chatId) => {
      await client().sendSeen(chatId);
    },
    rejectCall: async (callId, from) => {
      const c = client();
      // A call this client never saw (e.g. before a reconnect): the library's Call only needs id and caller.
      const Call = require('whatsapp-web.js/src/structures/Call') as new (client: WAWebJS.Client, data: object) => WAWebJS.Call;
      await (knownCall(callId) ?? new Call(c, { id: callId, peerJid: from })).reject();
    },
    lookupNumber: async (digits) => (await client().getNumberId(digits))?._serialized ?? null,
  };
}
