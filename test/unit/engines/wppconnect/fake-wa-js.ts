import type { FakeWhatsAppWeb, Raw } from './fake-whatsapp-web';

/**
 * wa-js (@wppconnect/wa-js 4.6.0, the `WPP` global wppconnect injects), as strict as its source in
 * node_modules/@wppconnect/wa-js/dist/wppconnect-wa.js: the functions wppconnect and Ponte call, over
 * the fake world's chats. Each rule names the wa-js function it comes from.
 */

/** wa-js `WPPError`: a code and a message (the code does not survive puppeteer, see fake-page.ts). */
export class WPPError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** wa-js `chat/defaultSendMessageOptions`: what every send does unless told otherwise. */
export const DEFAULT_SEND_OPTIONS = { detectMentioned: true, linkPreview: true, markIsRead: true, waitForAck: true, delay: 0 } as const;

/** What a send answers in the page (wa-js `sendRawMessage`); `ack` is the ack when it returned. */
export interface WaSendResult {
  id: string;
  ack: number;
  from: string;
  to: string;
}

const MSG_KEY = /^(true|false)_[^_]+@[^_]+_[^_]+(_.+)?$/;

export class FakeWaJs {
  constructor(private readonly world: FakeWhatsAppWeb) {}

  /**
   * wa-js `sendRawMessage` (what sendTextMessage, sendFileMessage, sendLocationMessage and
   * sendVCardContactMessage end in): defaults filled in, the chat found (`assertFindChat`), the message
   * prepared and its quote checked (`prepareRawMessage`, before anything is queued), the chat marked
   * read when `markIsRead`, the message queued, and with `waitForAck` the answer held until the
   * server acks it: forever when it never does (wa-js issue 1187).
   */
  async send(to: string, fields: Raw, options: Raw, record: { what: string; arg: unknown }): Promise<WaSendResult> {
    const o: Raw = { ...DEFAULT_SEND_OPTIONS, ...options };
    const chat = this.world.findOrCreateChat(to);
    if (o.quotedMsg !== undefined) this.quotable(o.quotedMsg);
    if (o.markIsRead) this.world.readMarks.push(chat);
    this.world.actions.push(record);
    const { raw, serverAck } = this.world.queueOwn(chat, { ...fields, ...(o.quotedMsg ? { quotedMsgId: o.quotedMsg } : {}) });
    if (o.waitForAck) await serverAck;
    return { id: raw.id, ack: raw.ack, from: raw.from, to: chat };
  }

  /**
   * wa-js `prepareRawMessage`: a string `quotedMsg` becomes a MsgKey (`MsgKey.fromString`) and then a
   * message (`getMessageById`, "Message <id> not found"); without a message model it is
   * `invalid_quoted_msg`, and one that cannot be answered (`canReplyMsg`: deleted) is
   * `quoted_msg_can_not_reply`.
   */
  private quotable(quoted: unknown): Raw {
    if (typeof quoted !== 'string' || !MSG_KEY.test(quoted)) throw new WPPError('invalid_quoted_msg', 'Invalid quotedMsg');
    const msg = this.getMessageById(quoted);
    if (msg.type === 'revoked') throw new WPPError('quoted_msg_can_not_reply', 'QuotedMsg can not reply');
    return msg;
  }

  /** wa-js `getMessageById`: the message, or `msg_not_found`. */
  getMessageById(id: string): Raw {
    const msg = this.world.find(id);
    if (!msg) throw new WPPError('msg_not_found', `Message ${id} not found`);
    return msg;
  }

  /**
   * wa-js `sendReactionToMessage`: the target must exist (`getMessageById`); no send defaults, so no
   * read mark. Whether WhatsApp's own `sendReactionToMsg` waits for the server is not in wa-js's source:
   * here it does not.
   */
  sendReaction(msgId: string, reaction: string | false): { sendMsgResult: string } {
    this.getMessageById(msgId);
    this.world.actions.push({ what: 'react', arg: { msgId, reaction } });
    return { sendMsgResult: 'OK' };
  }

  /** wa-js `assertGetChat`: the chat kept under exactly this id, or `chat_not_found`. */
  assertGetChat(id: string): string {
    if (!this.world.hasChat(id)) throw new WPPError('chat_not_found', `Chat not found for ${id}`);
    return id;
  }

  /** wa-js `markIsComposing` / `markIsPaused` (through `assertGetChat`). */
  markIsComposing(to: string): void {
    this.assertGetChat(to);
    this.world.typingTargets.push(to);
    this.world.actions.push({ what: 'typing', arg: { to } });
  }

  markIsPaused(to: string): void {
    this.assertGetChat(to);
    this.world.actions.push({ what: 'paused', arg: { to } });
  }

  /** wa-js `markIsRead` (through `assertGetChat`). */
  markIsRead(chatId: string): { wid: string; unreadCount: number } {
    this.assertGetChat(chatId);
    this.world.readMarks.push(chatId);
    this.world.actions.push({ what: 'read', arg: chatId });
    return { wid: chatId, unreadCount: 0 };
  }

  /**
   * wa-js `deleteMessage(chatId, id, deleteMediaInDevice, revoke)`: with `revoke`, a message of ours is
   * revoked (`Cmd.sendRevokeMsgs`) and an already revoked one answers ERROR_UNKNOWN but `isRevoked`;
   * anyone else's is deleted on this device only (`Cmd.sendDeleteMsgs`). No time limit is looked at.
   */
  deleteMessage(
    chatId: string,
    id: string,
    revoke: boolean,
  ): { id: string; sendMsgResult: string; isRevoked: boolean; isDeleted: boolean; isSentByMe: boolean } {
    this.assertGetChat(chatId);
    const msg = this.getMessageById(id);
    const isSentByMe = msg.fromMe === true;
    if (revoke && msg.type === 'revoked') return { id, sendMsgResult: 'ERROR_UNKNOWN', isRevoked: true, isDeleted: false, isSentByMe };
    if (revoke && isSentByMe) {
      this.world.revokeTargets.push(chatId);
      this.world.actions.push({ what: 'delete', arg: { chatId, messageId: id, revoke } });
      msg.type = 'revoked';
      return { id, sendMsgResult: 'OK', isRevoked: true, isDeleted: false, isSentByMe };
    }
    this.world.actions.push({ what: 'delete', arg: { chatId, messageId: id, revoke: false } });
    this.world.remove(id);
    return { id, sendMsgResult: 'OK', isRevoked: false, isDeleted: true, isSentByMe };
  }

  /**
   * WhatsApp Web's own `WAWebMsgActionCapability.canSenderRevokeMsg` (the rule behind its "Delete for
   * everyone"; whatsapp-web.js `Message.delete` asks it): our own message, within the time limit.
   */
  canSenderRevokeMsg(msg: Raw): boolean {
    return msg.fromMe === true && msg.type !== 'revoked' && !this.world.pastRevokeWindow(msg.id);
  }

  /**
   * wa-js `contact/getPnLidEntry`: only `@c.us` and `@lid` ids (else `invalid_wid`); a LID's phone from
   * WhatsApp Web's cache, a phone's LID from the cache or, failing that, WhatsApp's server.
   */
  getPnLidEntry(id: string): Raw {
    const server = id.split('@')[1];
    if (server !== 'c.us' && server !== 'lid')
      throw new WPPError('invalid_wid', `Invalid WID value for ${id} - getPnLidEntry only supports @c.us and @lid.`);
    const lid = server === 'lid' ? id : this.world.lidOf.get(id);
    const pn = server === 'c.us' ? id : [...this.world.lidOf.entries()].find(([, l]) => l === id)?.[0];
    const wid = (w: string) => ({ id: w.split('@')[0], server: w.split('@')[1], _serialized: w });
    return { ...(lid ? { lid: wid(lid) } : {}), ...(pn ? { phoneNumber: wid(pn) } : {}) };
  }

  /**
   * wa-js `call/reject`: `call_not_found` for a call it does not have (ended, never rang), else true.
   */
  rejectCall(callId: string): boolean {
    if (this.world.callRejectionBroken || !this.world.ringing.has(callId))
      throw new WPPError('call_not_found', `Call ${callId || '<empty>'} not found`);
    this.world.ringing.delete(callId);
    this.world.actions.push({ what: 'rejectCall', arg: { callId } });
    return true;
  }
}
