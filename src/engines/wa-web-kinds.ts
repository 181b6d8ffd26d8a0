import type { Ack, MessageKind } from '../core/messages';

/**
 * WhatsApp Web's own message model, as both libraries pass it through unchanged: one table of types,
 * of system entries and of ack codes, so wppconnect and whatsapp-web.js can never disagree on a kind.
 */

/** The mimetype a file of each kind has when WhatsApp Web's message does not say. */
const FALLBACK_MIME: Partial<Record<MessageKind, string>> = {
  image: 'image/jpeg',
  video: 'video/mp4',
  audio: 'audio/mpeg',
  voice: 'audio/ogg; codecs=opus',
  document: 'application/octet-stream',
  sticker: 'image/webp',
};

export function fallbackMime(kind: MessageKind): string {
  return FALLBACK_MIME[kind] ?? 'application/octet-stream';
}

/** Message types and the kind Ponte relays them as; anything not listed becomes `unknown` (raw type kept). */
export const WA_WEB_KINDS: Readonly<Record<string, MessageKind>> = {
  chat: 'text',
  image: 'image',
  video: 'video',
  // Round video notes: a video with media of its own (ENGINES.md "Second look").
  ptv: 'video',
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

/** Entries WhatsApp Web keeps in a chat's message list that nobody typed: never relayed. */
export const WA_WEB_SYSTEM_TYPES: ReadonlySet<string> = new Set([
  'e2e_notification',
  'notification',
  'notification_template',
  'group_notification',
  'broadcast_notification',
  'gp2',
  'protocol',
  'revoked',
  'ciphertext',
  'debug',
  'reaction',
  'pin_message',
  'keep_in_chat',
  // The parent of several photos sent at once: it has no media of its own, and each picture arrives as
  // a message of its own right after it (ENGINES.md "Second look").
  'album',
]);

const ACKS: Record<number, Ack> = { 0: 'PENDING', 1: 'SENT', 2: 'DELIVERED', 3: 'READ', 4: 'PLAYED' };

/**
 * WhatsApp Web ack codes. -1 is the failure both libraries name; whatsapp-web.js also reports -2 … -7
 * (expired, too big, gone, ...) and wppconnect folds them into FAILED: every negative code is a failure.
 */
export function waWebAck(code: unknown): Ack | undefined {
  const n = Number(code);
  if (!Number.isInteger(n)) return undefined;
  if (n < 0) return 'FAILED';
  return ACKS[n];
}
