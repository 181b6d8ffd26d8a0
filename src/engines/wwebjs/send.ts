import { randomBytes } from 'node:crypto';
import WAWebJS from 'whatsapp-web.js';
import type { OutboundMessage, SendResult } from '../../core/messages';
import { maskPhoneLike } from '../../observability/logger';
import { serialized } from './normalise';

/**
 * Options on every send, decided rather than inherited:
 * - sendSeen false: the library's default marks the whole chat read on the phone whenever Ponte sends,
 *   hiding unread messages from the person holding the phone.
 * - parseVCards false: an agent's text that happens to look like a vCard must arrive as that text;
 *   only a contact send turns it on.
 * - ignoreQuoteErrors true: when the quoted message is gone from WhatsApp Web, the reply still goes
 *   out (without the quote) instead of failing and being retried forever.
 */
export const SEND_DEFAULTS = { sendSeen: false, parseVCards: false, ignoreQuoteErrors: true } as const;

export async function sendOutbound(client: WAWebJS.Client, message: OutboundMessage): Promise<SendResult> {
  if (message.kind === 'reaction') return react(client, message.messageId, message.emoji);
  const quoted = message.quotedId ? { quotedMessageId: message.quotedId } : {};
  let sent: WAWebJS.Message | undefined;
  switch (message.kind) {
    case 'text':
      sent = await client.sendMessage(message.chatId, message.text, { ...SEND_DEFAULTS, ...quoted });
      break;
    case 'location': {
      const { lat, lng, name, address } = message.location;
      const place = new WAWebJS.Location(lat, lng, { ...(name ? { name } : {}), ...(address ? { address } : {}) });
      sent = await client.sendMessage(message.chatId, place, { ...SEND_DEFAULTS, ...quoted });
      break;
    }
    case 'contact':
      sent = await client.sendMessage(message.chatId, message.vcard, { ...SEND_DEFAULTS, parseVCards: true, ...quoted });
      break;
    default: {
      const { data, mimetype, filename } = message.media;
      const media = new WAWebJS.MessageMedia(mimetype, data.toString('base64'), filename ?? null, data.length);
      sent = await client.sendMessage(message.chatId, media, {
        ...SEND_DEFAULTS,
        ...quoted,
        // Stickers have no caption on WhatsApp; the library would attach it to nothing.
        ...(message.caption && message.kind !== 'sticker' ? { caption: message.caption } : {}),
        sendAudioAsVoice: message.kind === 'voice',
        sendMediaAsDocument: message.kind === 'document',
        sendMediaAsSticker: message.kind === 'sticker',
      });
    }
  }
  const remoteId = serialized(sent?.id);
  // sendMessage resolves empty when WhatsApp Web has no chat for the id (not on WhatsApp, bad id).
  if (!sent || !remoteId) throw new Error(`WhatsApp Web has no chat ${maskPhoneLike(message.chatId)}: is the number on WhatsApp?`);
  // ignoreQuoteErrors sends without the quote, silently, when the quoted message is gone or cannot be
  // quoted (Utils.js sendMessage): the sent message tells, and the agent is told.
  const quoteDropped = Boolean(message.quotedId) && !sent.hasQuotedMsg;
  return { remoteId, timestamp: Number(sent.timestamp) || Math.floor(Date.now() / 1000), ...(quoteDropped ? { quoteDropped } : {}) };
}

async function react(client: WAWebJS.Client, messageId: string, emoji: string): Promise<SendResult> {
  const target = await client.getMessageById(messageId);
  if (!target) throw new Error('the message to react to is no longer in WhatsApp Web');
  await target.react(emoji);
  // WhatsApp gives a sent reaction no id back; this one is unique and names what was reacted to.
  return {
    remoteId: `${messageId}_reaction_${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
    timestamp: Math.floor(Date.now() / 1000),
  };
}
