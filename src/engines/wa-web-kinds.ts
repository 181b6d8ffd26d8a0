import type { MessageKind } from '../core/messages';

/**
 * WhatsApp Web's own message type names, which both libraries pass through unchanged; anything not
 * listed becomes `unknown` (with its raw type kept for the placeholder).
 */
export const WA_WEB_KINDS: Readonly<Record<string, MessageKind>> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  audio: 'audio',
  ptt: 'voice',
  document: 'document',
  sticker: 'sticker',
  location: 'location',
  vcard: 'contact',
  multi_vcard: 'contact',
  poll_creation: 'poll',
  call_log: 'call',
};
