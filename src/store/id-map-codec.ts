/**
 * How the id map's values are written, compactly, and read, in this format and the previous one (JSON),
 * so data written before an upgrade keeps deduplicating after it.
 *
 * WhatsApp side (`map:wa:<session>:<waId>`, a string): `<conversationId>:<messageId>`, `h` (handled without
 * a Chatwoot counterpart) or `1` (taken in, not relayed yet: the "known" mark). Before: JSON
 * `{"conversationId":1,"messageId":2}` or `{"handled":true}`.
 *
 * Chatwoot side (a field of `map:cwb:<session>:<id / 100>`, a small hash): the WhatsApp id alone when its
 * chat is the one WhatsApp serializes into it (`true_<chat>_<id>`), else `<chatId> <waId>`. Before: a key
 * per message, `map:cw:<session>:<id>`, JSON `{"chatId":"...","waId":"..."}`.
 */

import type { HelpdeskRef } from '../core/ports';

export type { HelpdeskRef };

export interface WhatsAppRef {
  chatId: string;
  waId: string;
}

/** The value of a WhatsApp id taken in and not relayed yet (also what a lane push's mark writes). */
export const KNOWN = '1';
const HANDLED = 'h';

export function encodeHelpdesk(ref: HelpdeskRef | 'handled'): string {
  return ref === 'handled' ? HANDLED : `${ref.conversationId}:${ref.messageId}`;
}

/** undefined: nothing recorded (or only taken in). */
export function decodeHelpdesk(v: string | null | undefined): HelpdeskRef | 'handled' | undefined {
  if (!v || v === KNOWN) return undefined;
  if (v === HANDLED) return 'handled';
  const colon = v.indexOf(':');
  if (v[0] !== '{' && colon > 0) return { conversationId: Number(v.slice(0, colon)), messageId: Number(v.slice(colon + 1)) };
  const parsed = JSON.parse(v) as HelpdeskRef & { handled?: boolean };
  return parsed.handled ? 'handled' : { conversationId: parsed.conversationId, messageId: parsed.messageId };
}

/** True when the value says the id was relayed or handled (not merely taken in). */
export function isDone(v: string | null | undefined): boolean {
  return decodeHelpdesk(v) !== undefined;
}

/** The chat WhatsApp Web serializes into a message id (`<fromMe>_<chat>_<id>[_<participant>]`), if any. */
export function chatInId(waId: string): string | undefined {
  const m = /^(?:true|false)_([^_\s]+@[a-z.]+)_/.exec(waId);
  return m?.[1];
}

export function encodeWhatsApp(ref: WhatsAppRef): string {
  return chatInId(ref.waId) === ref.chatId ? ref.waId : `${ref.chatId} ${ref.waId}`;
}

export function decodeWhatsApp(v: string | null | undefined): WhatsAppRef | undefined {
  if (!v) return undefined;
  if (v[0] === '{') return JSON.parse(v) as WhatsAppRef;
  const space = v.indexOf(' ');
  if (space >= 0) return { chatId: v.slice(0, space), waId: v.slice(space + 1) };
  return { chatId: chatInId(v) ?? '', waId: v };
}
