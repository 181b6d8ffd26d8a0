import { z } from 'zod';
import type { MessageKind } from '../../core/messages';
import { WA_WEB_KINDS } from '../wa-web-kinds';
import { isGroupId, phoneId } from '../../core/whatsapp-ids';

const mediaSchema = z
  .object({
    mimetype: z.string().min(3),
    filename: z.string().optional(),
    base64: z.string(),
    /** The phone no longer has it: downloads fail. */
    gone: z.boolean().optional(),
    /**
     * The phone is re-uploading it (whatsapp-web.js REUPLOADING): downloads are "not yet" until the
     * simulator control `finishReupload` names this message.
     */
    reuploading: z.boolean().optional(),
  })
  .strict();

/** Body of `POST /admin/simulator/:session/inbound`: one WhatsApp event to inject. */
export const inboundSchema = z
  .object({
    id: z.string().min(1).optional(),
    from: z.string().min(3, { error: 'expected a WhatsApp id like 351912345678@c.us or a number' }),
    chatId: z.string().optional(),
    fromMe: z.boolean().default(false),
    type: z.enum([
      'text',
      'image',
      'video',
      'audio',
      'voice',
      'document',
      'sticker',
      'location',
      'contact',
      'poll',
      'call',
      'unknown',
      'reaction',
      'edit',
      'revoke',
      // WhatsApp Web's own types the engines must map (ENGINES.md "Second look"): a round video note, and
      // the parent of several photos sent at once (followed by one image per entry of "pictures").
      'ptv',
      'album',
      // Someone is calling right now (a call event, not the "missed call" message of type call).
      'call_offer',
    ] as const),
    text: z.string().optional(),
    caption: z.string().optional(),
    media: mediaSchema.optional(),
    /** For album: the photos, each with its own caption; their ids are `<album id>-1`, `-2`, ... */
    pictures: z.array(mediaSchema.extend({ caption: z.string().optional() })).optional(),
    quotedId: z.string().optional(),
    location: z.object({ lat: z.number(), lng: z.number(), name: z.string().optional(), address: z.string().optional() }).optional(),
    vcard: z.string().optional(),
    timestamp: z.number().int().positive().optional(),
    pushName: z.string().optional(),
    author: z.string().optional(),
    chatName: z.string().optional(),
    /** For @lid senders: the phone the account knows for it (resolveContact answers with it). */
    phone: z.string().optional(),
    /** For reaction/edit/revoke: the message acted upon. */
    targetId: z.string().optional(),
    emoji: z.string().optional(),
    rawType: z.string().optional(),
    /** For call_offer: a video call. */
    isVideo: z.boolean().optional(),
    /** Record in history without emitting an event: a message the live connection missed. */
    silent: z.boolean().default(false),
  })
  .strict()
  .superRefine((v, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (!cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (v.type === 'text') need(!!v.text, 'text', 'a text message needs "text"');
    if (['image', 'video', 'audio', 'voice', 'document', 'sticker', 'ptv'].includes(v.type))
      need(!!v.media, 'media', `a ${v.type} needs "media" {mimetype, base64}`);
    if (v.type === 'album') need(!!v.pictures?.length, 'pictures', 'an album needs "pictures" [{mimetype, base64, caption?}]');
    if (v.type === 'location') need(!!v.location, 'location', 'a location needs "location" {lat, lng}');
    if (v.type === 'contact') need(!!v.vcard, 'vcard', 'a contact needs "vcard"');
    if (['reaction', 'edit', 'revoke'].includes(v.type))
      need(!!v.targetId, 'targetId', `a ${v.type} needs "targetId" (the message it acts on)`);
    if (v.type === 'edit') need(!!(v.text ?? v.caption), 'text', 'an edit needs the new "text" (or "caption" for media)');
    if (v.chatId && isGroupId(v.chatId)) need(!!v.author || v.fromMe, 'author', 'a group message needs "author" (the participant)');
  });

export type InboundInjection = z.infer<typeof inboundSchema>;

/** The kind an injected message is relayed as (WhatsApp Web's own types through the shared table); undefined for events. */
export function messageKindOf(type: InboundInjection['type']): MessageKind | undefined {
  if (type === 'reaction' || type === 'edit' || type === 'revoke' || type === 'call_offer' || type === 'album') return undefined;
  return type === 'ptv' ? WA_WEB_KINDS.ptv : type;
}

/** `+351 912 345 678`, `351912345678` or `351912345678@c.us` -> `351912345678@c.us`. */
export function toJid(value: string): string {
  if (value.includes('@')) return value;
  return phoneId(value);
}
