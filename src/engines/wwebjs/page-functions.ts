/**
 * Functions Ponte runs inside WhatsApp Web itself, where a whatsapp-web.js method would cost more than
 * the question is worth or hide the answer:
 * - `getChats()` refreshes every group's metadata from the server (Utils.js getChatModel) and
 *   `fetchMessages({limit})` loads older history until it has `limit` messages (Chat.js): catch-up only
 *   needs ids and the messages of a time window;
 * - `Message.delete(true)` decides between "for everyone" and "for me" without saying which
 *   (Message.js: canSenderRevokeMsg / canAdminRevokeMsg);
 * - `downloadMedia()` answers undefined both for media that is gone and for media the phone is still
 *   re-uploading (Message.js: mediaStage REUPLOADING);
 * - `Call.reject()` casts a stanza and never learns whether WhatsApp acted on it (Utils.js rejectCall);
 * - the QR refresh on UNPAIRED_IDLE runs in Node's scope and throws (Client.js inject).
 *
 * puppeteer sends each function's source text to the page, so each is self-contained: no closure, no
 * import, no module constant, only the page's globals. They use the same WhatsApp Web modules the
 * library's own page code uses, so a WhatsApp Web build the library runs on has them.
 */

import type { PageLaunchSocketUtils, PageMsg, PageWindow } from './page-globals';

// The page's global; it does not exist in Node, where these functions are never called.
declare const window: PageWindow;

/** Ids of the chats with activity at or after `sinceTs`: one read of WhatsApp Web's chat list, no server call. */
export function ponteActiveChats(sinceTs: number): string[] {
  const chats = window.require('WAWebCollections').Chat.getModelsArray();
  return chats.filter((chat) => Number(chat.t) >= sinceTs).map((chat) => chat.id._serialized);
}

/**
 * The messages of one chat at or after `sinceTs`, as whatsapp-web.js models. Older history is loaded only
 * until a message older than `sinceTs` is in memory (the window is then complete), the history ends, or
 * `maxLoads` batches were loaded. Notifications are left out, as Chat.fetchMessages does. A phone number
 * finds the chat WhatsApp Web keeps under the contact's linked id (and the other way round) through the
 * contact book the library's enforceLidAndPnRetrieval reads, without creating a chat that is not there.
 * Messages come in the chat's order: each batch loaded is older than what was in memory, which matters for
 * messages of the same second (their timestamps cannot order them; a reloaded page holds only the newest).
 */
export async function ponteMessagesSince(
  chatId: string,
  sinceTs: number,
  maxLoads: number,
): Promise<{ messages: unknown[]; complete: boolean }> {
  const { Chat } = window.require('WAWebCollections');
  let chat = Chat.get(chatId);
  // Page code cannot import core/whatsapp-ids (see above): its id checks are written out here.
  if (!chat && /@(c\.us|lid)$/.test(chatId)) {
    const wid = window.require('WAWebWidFactory').createWid(chatId);
    const contacts = window.require('WAWebApiContact');
    const other = chatId.endsWith('@lid') ? contacts.getPhoneNumber(wid) : contacts.getCurrentLid(wid);
    if (other) chat = Chat.get(other._serialized);
  }
  if (!chat) return { messages: [], complete: true };
  let loaded: PageMsg[] = chat.msgs.getModelsArray();
  let complete = false;
  for (let loads = 0; ; loads++) {
    let oldest = Infinity;
    for (const m of loaded) oldest = Math.min(oldest, Number(m.t));
    if (oldest < sinceTs) {
      complete = true;
      break;
    }
    if (loads >= maxLoads) break;
    const earlier = await window.require('WAWebChatLoadMessages').loadEarlierMsgs({ chat });
    if (!earlier || !earlier.length) {
      complete = true;
      break;
    }
    loaded = [...earlier, ...loaded];
  }
  const seen = new Set<string>();
  const messages = loaded
    .filter((m) => !seen.has(m.id._serialized) && seen.add(m.id._serialized) && Number(m.t) >= sinceTs && !m.isNotification)
    .map((m) => window.WWebJS.getMessageModel(m));
  return { messages, complete };
}

/**
 * Typing on or off in the chat WhatsApp Web knows the id by: `getChat` resolves a phone number to the
 * lid chat (Utils.js findOrCreateLatestChat) without the group metadata refresh of `getChatById`.
 * Resolves with the chat id addressed, null when WhatsApp Web has no chat for it.
 */
export async function ponteChatState(chatId: string, state: 'typing' | 'stop'): Promise<string | null> {
  const chat = await window.WWebJS.getChat(chatId, { getAsModel: false });
  if (!chat) return null;
  await window.WWebJS.sendChatstate(state, chat.id._serialized);
  return chat.id._serialized;
}

/**
 * What `Message.delete(true)` will do with this message: 'everyone' when WhatsApp Web lets us revoke it
 * (the sender within the time limit, or a group admin), 'me' when it will only delete it on this device.
 * null when WhatsApp Web does not have the message.
 */
export async function ponteRevokeReach(messageId: string): Promise<'everyone' | 'me' | null> {
  const { Msg } = window.require('WAWebCollections');
  const msg = Msg.get(messageId) || (await Msg.getMessagesById([messageId]))?.messages?.[0];
  if (!msg) return null;
  const rules = window.require('WAWebMsgActionCapability');
  return rules.canSenderRevokeMsg(msg) || rules.canAdminRevokeMsg(msg) ? 'everyone' : 'me';
}

/** The media stage of a message (RESOLVED, REUPLOADING, ERROR_..., FETCHING), null when there is none. */
export async function ponteMediaStage(messageId: string): Promise<string | null> {
  const { Msg } = window.require('WAWebCollections');
  const msg = Msg.get(messageId) || (await Msg.getMessagesById([messageId]))?.messages?.[0];
  return msg?.mediaData?.mediaStage ?? null;
}

/**
 * Whether WhatsApp Web still holds the call (ringing): the call collection's own Map, the one the library
 * watches for incoming calls (Client.js attachEventListeners). null when this build has no such Map.
 */
export function ponteCallListed(callId: string): boolean | null {
  let calls: Record<string, unknown> | undefined;
  try {
    calls = window.require('WAWebCallCollection');
  } catch {
    return null;
  }
  const ringing = calls ? Object.values(calls).find((v): v is Map<unknown, { id?: unknown } | undefined> => v instanceof Map) : undefined;
  if (!ringing) return null;
  for (const [id, call] of ringing) if (id === callId || call?.id === callId) return true;
  return false;
}

/**
 * Keeps the QR code coming. After its first code and five more WhatsApp Web stops at UNPAIRED_IDLE and
 * waits for a click on "reload"; the library's handler for it calls `window.require(...)` in Node, where
 * it throws, so the QR would freeze after about 160 s. This listener lives in the page, where `window`
 * exists, and asks for a new code the way the page itself can (`WAWebLaunchSocketUtils.refreshQR`, the
 * call the library's own cancelPairingCode uses; the older `Cmd.refreshQR` where a build still has it).
 * Installed once per page load.
 */
export function ponteKeepQrFresh(): boolean {
  if (window.ponteKeepsQrFresh) return false;
  window.ponteKeepsQrFresh = true;
  window.require('WAWebSocketModel').Socket.on('change:state', (_socket: unknown, state: string) => {
    if (state !== 'UNPAIRED_IDLE') return;
    let launch: PageLaunchSocketUtils | undefined;
    try {
      launch = window.require('WAWebLaunchSocketUtils');
    } catch {
      launch = undefined;
    }
    if (launch && typeof launch.refreshQR === 'function') launch.refreshQR();
    else window.require('WAWebCmd').Cmd.refreshQR();
  });
  return true;
}
