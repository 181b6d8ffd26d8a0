import type { WppClient } from './library';

/**
 * Functions Ponte runs inside WhatsApp Web itself, for what no wppconnect method does: wppconnect's
 * `sendText` forces `waitForAck: true`, `sendContactVcard` passes wa-js no options at all, and
 * `deleteMessage` throws away wa-js's answer (revoked for everyone, or only deleted here), and nothing
 * tells a message's media stage.
 *
 * They are serialised to the page by their source text (puppeteer), so each is self-contained: no
 * closure, no import, only the page's globals (`WPP` is wa-js). Named functions, so their source says
 * what they are. Each returns plain JSON: wa-js's answers carry models that do not survive
 * puppeteer's serialisation (wppconnect issue 2792).
 */

export interface SentRef {
  id?: string;
  ack?: number;
}

export interface RevokeAnswer {
  isRevoked?: boolean;
  isDeleted?: boolean;
  /** wa-js's SendMsgResult: OK, ERROR_NETWORK, ERROR_UNKNOWN, ... */
  sendMsgResult?: string;
}

/** A message model of WhatsApp Web, as far as these functions read it. */
interface PageMsg {
  mediaData?: { mediaStage?: string };
}

/** WhatsApp Web's rules for revoking; either may be missing from a build. */
interface PageRevokeRules {
  canSenderRevokeMsg?: (msg: PageMsg | undefined) => boolean;
  canAdminRevokeMsg?: (msg: PageMsg | undefined) => boolean;
}

// The page's globals, only what these functions use of them; they do not exist in Node, where these
// functions are never called.
declare const WPP: {
  chat: {
    sendTextMessage(to: string, content: string, options: Record<string, unknown>): Promise<SentRef>;
    sendVCardContactMessage(to: string, contacts: Array<{ id: string; name: string }>, options: Record<string, unknown>): Promise<SentRef>;
    deleteMessage(chatId: string, messageId: string, deleteMediaInDevice: boolean, revoke: boolean): Promise<RevokeAnswer>;
    getMessageById(messageId: string): Promise<PageMsg | undefined>;
  };
};
declare const window: { require?: (module: 'WAWebMsgActionCapability') => PageRevokeRules | undefined };

async function ponteSendText(arg: { to: string; content: string; options: Record<string, unknown> }): Promise<SentRef> {
  const sent = await WPP.chat.sendTextMessage(arg.to, arg.content, arg.options);
  return { id: sent.id, ack: sent.ack };
}

async function ponteSendContacts(arg: {
  to: string;
  contacts: Array<{ id: string; name: string }>;
  options: Record<string, unknown>;
}): Promise<SentRef> {
  const sent = await WPP.chat.sendVCardContactMessage(arg.to, arg.contacts, arg.options);
  return { id: sent.id, ack: sent.ack };
}

/** wa-js `deleteMessage(chat, id, deleteMediaInDevice, revoke)`, its answer kept. */
async function ponteDelete(arg: { chatId: string; messageId: string; revoke: boolean }): Promise<RevokeAnswer> {
  const done = await WPP.chat.deleteMessage(arg.chatId, arg.messageId, true, arg.revoke);
  return { isRevoked: done.isRevoked, isDeleted: done.isDeleted, sendMsgResult: done.sendMsgResult };
}

/**
 * WhatsApp Web's own rule for "delete for everyone" (the sender's time limit, or a group admin), the one
 * its menu and whatsapp-web.js ask; wa-js does not ask it. null when this WhatsApp Web build has no such
 * module: then nobody can tell beforehand.
 */
async function ponteCanRevoke(messageId: string): Promise<boolean | null> {
  const msg = await WPP.chat.getMessageById(messageId);
  let rules: PageRevokeRules | undefined;
  try {
    rules = typeof window.require === 'function' ? window.require('WAWebMsgActionCapability') : undefined;
  } catch {
    rules = undefined;
  }
  if (!rules || typeof rules.canSenderRevokeMsg !== 'function') return null;
  return Boolean(rules.canSenderRevokeMsg(msg) || (typeof rules.canAdminRevokeMsg === 'function' && rules.canAdminRevokeMsg(msg)));
}

/** WhatsApp Web's media stage of a message (RESOLVED, REUPLOADING, ERROR_MISSING, ...), null without media. */
async function ponteMediaStage(messageId: string): Promise<string | null> {
  const msg = await WPP.chat.getMessageById(messageId);
  return msg?.mediaData?.mediaStage ?? null;
}

export const pageSendText = (client: WppClient, to: string, content: string, options: Record<string, unknown>): Promise<SentRef> =>
  client.page.evaluate(ponteSendText, { to, content, options });

export const pageSendContacts = (
  client: WppClient,
  to: string,
  contacts: Array<{ id: string; name: string }>,
  options: Record<string, unknown>,
): Promise<SentRef> => client.page.evaluate(ponteSendContacts, { to, contacts, options });

/** Deletes for everyone (`revoke`) or on this device only. */
export const pageDelete = (client: WppClient, chatId: string, messageId: string, revoke: boolean): Promise<RevokeAnswer> =>
  client.page.evaluate(ponteDelete, { chatId, messageId, revoke });

export const pageCanRevoke = (client: WppClient, messageId: string): Promise<boolean | null> =>
  client.page.evaluate(ponteCanRevoke, messageId);

export const pageMediaStage = (client: WppClient, messageId: string): Promise<string | null> =>
  client.page.evaluate(ponteMediaStage, messageId);
