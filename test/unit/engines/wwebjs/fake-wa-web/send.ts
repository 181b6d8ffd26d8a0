/**
 * The one piece of whatsapp-web.js's page helpers the fake replaces: `window.WWebJS.sendMessage`
 * (util/Injected/Utils.js) is 440 lines over WhatsApp Web's send pipeline (media upload, link previews,
 * protobufs) that only a real WhatsApp Web can run. This keeps what Ponte depends on:
 * - the message is keyed under the chat it was handed, i.e. the chat `getChat` resolved the number to
 *   (a contact known by linked id: `<lid>@lid`, Utils.js findOrCreateLatestChat);
 * - a quoted message that is gone is dropped silently with `ignoreQuoteErrors` (thrown without it);
 * - media: `body` is the base64 thumbnail, the text is in `caption`;
 * - WhatsApp Web adds the message to its collection before the send resolves (the echo comes first).
 */
import { rawMessage, stanzaId, type Raw } from '../raw';
import type { ChatModel, MsgModel, PageCollections } from './collections';

const THUMBNAIL = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a';

export interface SendHooks {
  me: string;
  collections: PageCollections;
  /** Stores the message in the world and hands it to every live page (WhatsApp Web's 'add'). */
  publish(raw: Raw): void;
  storeMedia(id: string, media: { data: string; mimetype: string; filename?: string }): void;
  /** The options each send reached WhatsApp Web's send helper with. */
  sends: Array<{ chatId: string; options: Record<string, unknown> }>;
}

export function fakeSendMessage(hooks: SendHooks) {
  return async (chat: ChatModel, content: unknown, options: Record<string, unknown> = {}): Promise<MsgModel | undefined> => {
    const extra: Record<string, unknown> = {};
    let type = 'chat';
    let body = typeof content === 'string' ? content : '';
    const media = options.media as { mimetype: string; data: string; filename?: string } | undefined;
    if (media) {
      type = options.sendAudioAsVoice
        ? 'ptt'
        : options.sendMediaAsDocument
          ? 'document'
          : options.sendMediaAsSticker
            ? 'sticker'
            : media.mimetype.split('/')[0];
      if (!['image', 'video', 'audio', 'ptt', 'sticker'].includes(type)) type = 'document';
      Object.assign(extra, {
        mimetype: media.mimetype,
        filename: media.filename,
        caption: options.caption,
        directPath: `/v/t62.7118-24/${stanzaId()}.enc`,
        mediaKey: 'c2VudC1tZWRpYS1rZXk=',
        size: Buffer.from(media.data, 'base64').length,
        mediaData: { mediaStage: 'RESOLVED' },
      });
      body = type === 'sticker' ? '' : THUMBNAIL;
    } else if (options.location) {
      const loc = options.location as { latitude: number; longitude: number; description?: string };
      type = 'location';
      Object.assign(extra, { lat: loc.latitude, lng: loc.longitude, loc: loc.description });
      body = '';
    } else if (options.parseVCards && body.startsWith('BEGIN:VCARD')) {
      type = 'vcard';
    }
    if (options.quotedMessageId) {
      const quoted = hooks.collections.Msg.get(String(options.quotedMessageId));
      if (!quoted && !options.ignoreQuoteErrors) throw new Error('Could not get the quoted message.');
      // WAWebMsgReply.canReplyMsg: a revoked message cannot be quoted; the library then sends without it.
      if (quoted && quoted.raw.type !== 'revoked') {
        const q = quoted.raw;
        Object.assign(extra, {
          quotedMsg: { type: q.type, body: q.body },
          quotedStanzaID: q.id.id,
          quotedParticipant: q.id.fromMe ? hooks.me : q.from,
        });
      }
    }
    hooks.sends.push({ chatId: chat.id._serialized, options: { ...options } });
    const raw = rawMessage({ chat: chat.id._serialized, me: hooks.me, fromMe: true, type, body, extra });
    if (media) hooks.storeMedia(raw.id._serialized, media);
    hooks.publish(raw);
    return hooks.collections.Msg.get(raw.id._serialized);
  };
}
