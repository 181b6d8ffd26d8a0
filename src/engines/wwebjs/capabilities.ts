import type WAWebJS from 'whatsapp-web.js';
import type { EngineCapabilities } from '../types';
import { ponteCallListed, ponteChatState, ponteRevokeReach } from './page-functions';
import { pageOf } from './util';

export interface CapabilityTimings {
  /** How long a rejected call may still be listed by WhatsApp Web before Ponte calls the rejection failed. */
  callRejectConfirmMs: number;
  callRejectPollMs: number;
}

export const DEFAULT_TIMINGS: CapabilityTimings = { callRejectConfirmMs: 3000, callRejectPollMs: 250 };

/**
 * Typing, read marks, revokes, call rejection and number lookups over whatsapp-web.js. `client()` throws
 * EngineNotReadyError while the session is not connected; `knownCall` finds a Call seen by this client.
 * Chat-addressed calls go through WhatsApp Web's own chat lookup, so a phone number reaches the chat of a
 * contact WhatsApp Web knows by linked id.
 */
export function capabilitiesOf(
  client: () => WAWebJS.Client,
  knownCall: (id: string) => WAWebJS.Call | undefined,
  timings: CapabilityTimings = DEFAULT_TIMINGS,
): EngineCapabilities {
  return {
    // Message.delete(true) deletes for this device only once the sender may no longer revoke (time
    // limit): asked first with WhatsApp Web's own rule, so the agent learns the customer still has it.
    revoke: async (_chatId, messageId) => {
      const c = client();
      const reach = await pageOf(c).evaluate(ponteRevokeReach, messageId);
      const msg = reach ? await c.getMessageById(messageId) : null;
      if (!reach || !msg) throw new Error('the message to delete is no longer in WhatsApp Web');
      await msg.delete(true);
      return reach;
    },
    typing: async (chatId, on) => {
      await pageOf(client()).evaluate(ponteChatState, chatId, on ? 'typing' : 'stop');
    },
    // Marks the chat read on the phone: only when Ponte is asked to, never as a side effect of sending.
    // The library's sendSeen finds the chat as WhatsApp Web knows it (Utils.js getChat).
    markRead: async (chatId) => {
      await client().sendSeen(chatId);
    },
    // Call.reject() casts a stanza and resolves whatever WhatsApp does with it; on 1.34.7 the phone may
    // keep ringing (upstream 201746). WhatsApp Web drops a call once it ended: still listed means refused.
    rejectCall: async (callId, from) => {
      const c = client();
      if ((await pageOf(c).evaluate(ponteCallListed, callId)) === false) {
        throw new Error('WhatsApp Web has no such call ringing: it ended (or was answered elsewhere) before it could be rejected');
      }
      // A call this client never saw (e.g. before a reconnect): the library's Call only needs id and caller.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the library exports no Call class: its own file, untyped, on demand
      const Call = require('whatsapp-web.js/src/structures/Call') as new (client: WAWebJS.Client, data: object) => WAWebJS.Call;
      await (knownCall(callId) ?? new Call(c, { id: callId, peerJid: from })).reject();
      const deadline = Date.now() + timings.callRejectConfirmMs;
      for (;;) {
        const listed = await pageOf(c).evaluate(ponteCallListed, callId);
        // null: this WhatsApp Web build keeps its calls elsewhere, and nothing contradicts the library.
        if (listed !== true) return;
        if (Date.now() >= deadline) {
          throw new Error(
            `WhatsApp still shows the call ${Math.round(timings.callRejectConfirmMs / 1000)} s after rejecting it: the rejection did not reach the caller (whatsapp-web.js rejectCall is known to fail on this version)`,
          );
        }
        await new Promise((r) => setTimeout(r, timings.callRejectPollMs));
      }
    },
    lookupNumber: async (digits) => (await client().getNumberId(digits))?._serialized ?? null,
  };
}
