import type WAWebJS from 'whatsapp-web.js';
import { fallbackMime, WA_WEB_KINDS, WA_WEB_SYSTEM_TYPES, waWebAck } from '../wa-web-kinds';
import type { Ack, AckEvent, CallEvent, EditEvent, MessageKind, ReactionEvent, RemoteMessage, RevokeEvent } from '../../core/messages';
import { isMediaKind } from '../../core/messages';
import { isGroupId } from '../../core/whatsapp-ids';

/**
 * whatsapp-web.js objects -> Ponte's message model. Pure functions over the library's real classes
 * (built from raw data in tests), so every field Ponte reads is pinned by a fixture.
 */

/** The raw WhatsApp Web model the library keeps in `Message._data` (not in its typings). */
export interface RawMessageData {
  id?: unknown;
  type?: string;
  body?: string;
  caption?: string;
  mimetype?: string;
  filename?: string;
  size?: number;
  notifyName?: string;
  quotedStanzaID?: string;
  quotedParticipant?: unknown;
  quotedRemoteJid?: unknown;
  latestEditMsgKey?: unknown;
  latestEditSenderTimestampMs?: number;
  protocolMessageKey?: unknown;
  [key: string]: unknown;
}

/** The library hands ids as strings or as Wid/MsgKey objects with `_serialized`; Ponte keeps strings. */
export function serialized(id: unknown): string | undefined {
  if (typeof id === 'string') return id || undefined;
  if (id && typeof id === 'object') {
    const s = (id as { _serialized?: unknown })._serialized;
    if (typeof s === 'string' && s) return s;
    const { user, server } = id as { user?: unknown; server?: unknown };
    if (typeof user === 'string' && typeof server === 'string') return `${user}@${server}`;
  }
  return undefined;
}

export function ackOf(code: number): Ack | undefined {
  return waWebAck(code);
}

function rawOf(msg: WAWebJS.Message): RawMessageData {
  return (msg as unknown as { _data?: RawMessageData })._data ?? {};
}

/** The chat a message belongs to: the MsgKey's remote, which is right for both directions and groups. */
export function chatIdOf(msg: WAWebJS.Message): string {
  return serialized((msg.id as unknown as { remote?: unknown }).remote) ?? (msg.fromMe ? msg.to : msg.from);
}

export interface NormaliseContext {
  /** Our own id (`<n>@c.us`), for the sender of our own messages. */
  meId?: string;
  /** Our own linked id (`<n>@lid`): WhatsApp names us by it in newer chats. */
  meLid?: string;
}

/** `undefined` for system messages nobody typed (encryption notices, protocol messages, ...). */
export function toRemoteMessage(msg: WAWebJS.Message, ctx: NormaliseContext = {}): RemoteMessage | undefined {
  const raw = rawOf(msg);
  const type = msg.type ?? raw.type ?? 'unknown';
  if (WA_WEB_SYSTEM_TYPES.has(type)) return undefined;
  const id = serialized(msg.id);
  if (!id) return undefined;
  const chatId = chatIdOf(msg);
  const isGroup = isGroupId(chatId);
  const kind: MessageKind = WA_WEB_KINDS[type] ?? 'unknown';
  const from = isGroup ? (msg.author ?? (msg.fromMe ? ctx.meId : undefined) ?? msg.from) : msg.fromMe ? (ctx.meId ?? msg.from) : msg.from;
  const out: RemoteMessage = {
    id,
    chatId,
    from,
    fromMe: Boolean(msg.fromMe),
    timestamp: Number(msg.timestamp) || Math.floor(Date.now() / 1000),
    kind,
    isGroup,
  };
  const text = textOf(msg, kind);
  if (text !== undefined) out.text = text;
  if (isMediaKind(kind)) {
    out.media = {
      mimetype: raw.mimetype || fallbackMime(kind),
      ...(raw.filename ? { filename: raw.filename } : {}),
      ...(typeof raw.size === 'number' ? { size: raw.size } : {}),
      // getMessageById finds the message again by this id when Ponte downloads the bytes later.
      handle: id,
    };
  }
  if (kind === 'location' && msg.location) {
    // The library splits WhatsApp's "name\naddress" text into name and address.
    const { latitude, longitude, name, address } = msg.location as unknown as {
      latitude: number | string;
      longitude: number | string;
      name?: string;
      address?: string;
    };
    out.location = { lat: Number(latitude), lng: Number(longitude), ...(name ? { name } : {}), ...(address ? { address } : {}) };
  }
  if (kind === 'contact') out.vcards = [...(msg.vCards ?? [])];
  const quotedId = quotedIdOf(msg, raw, chatId, ctx);
  if (quotedId) out.quotedId = quotedId;
  if (!msg.fromMe && raw.notifyName) out.pushName = raw.notifyName;
  if (kind === 'unknown') out.rawType = type;
  return out;
}

function textOf(msg: WAWebJS.Message, kind: MessageKind): string | undefined {
  switch (kind) {
    case 'text':
    case 'poll':
      return msg.body ?? '';
    case 'image':
    case 'video':
    case 'document':
    case 'audio':
    case 'voice':
    case 'sticker': {
      // Without a directPath the library puts the base64 thumbnail into `body`: only the caption is text.
      const caption = rawOf(msg).caption;
      return typeof caption === 'string' && caption ? caption : undefined;
    }
    default:
      // vCards, locations, calls and unknown kinds: the body is data or engine noise, not words.
      return undefined;
  }
}

/**
 * WhatsApp Web only keeps the quoted message's stanza id and sender; Ponte's ids are serialised MsgKeys
 * (`<fromMe>_<chat>_<stanza>[_<participant>]`), so the key is rebuilt the way WhatsApp Web prints it.
 */
function quotedIdOf(msg: WAWebJS.Message, raw: RawMessageData, chatId: string, ctx: NormaliseContext): string | undefined {
  if (!msg.hasQuotedMsg || !raw.quotedStanzaID) return undefined;
  const remote = serialized(raw.quotedRemoteJid) ?? chatId;
  const participant = serialized(raw.quotedParticipant);
  const quotedFromMe = Boolean(participant && (participant === ctx.meId || participant === ctx.meLid));
  const base = `${quotedFromMe}_${remote}_${raw.quotedStanzaID}`;
  return isGroupId(remote) && participant ? `${base}_${participant}` : base;
}

export function toAckEvent(msg: WAWebJS.Message, code: number): AckEvent | undefined {
  const ack = ackOf(code);
  const messageId = serialized(msg.id);
  // Acks of messages we received (we read them) are not delivery reports of anything Ponte sent.
  if (!ack || !messageId || !msg.fromMe) return undefined;
  return { messageId, chatId: chatIdOf(msg), ack };
}

/** `msg` is the placeholder the message turned into; its protocolMessageKey names the original when set. */
export function toRevokeEvent(msg: WAWebJS.Message, before?: WAWebJS.Message | null): RevokeEvent | undefined {
  const raw = rawOf(msg);
  const messageId = serialized(raw.protocolMessageKey) ?? serialized(before?.id) ?? serialized(msg.id);
  if (!messageId) return undefined;
  return {
    messageId,
    chatId: chatIdOf(msg),
    fromMe: Boolean(msg.fromMe),
    timestamp: Number(msg.timestamp) || Math.floor(Date.now() / 1000),
  };
}

/**
 * The library reports every change of `body` or `caption` as an edit (Client.js: Msg 'change:body
 * change:caption', with the new and previous value of whichever changed), including the first fill of a
 * message that was still decrypting: only a change of a text that already had one counts. For media the
 * text is the caption: `body` holds the base64 thumbnail, in edits too, and an edit may add a caption
 * that was not there, so a person's edit is known by the key it leaves on the message (latestEditMsgKey).
 * Both changes of one media edit report the same edit (same id, same text): `wiring` relays it once.
 */
export function toEditEvent(msg: WAWebJS.Message, newBody: string, prevBody: string, ctx: NormaliseContext = {}): EditEvent | undefined {
  const messageId = serialized(msg.id);
  if (!messageId || (msg.type as string) === 'revoked') return undefined;
  const raw = rawOf(msg);
  const edited = Boolean(raw.latestEditMsgKey || raw.latestEditSenderTimestampMs);
  const media = isMediaKind(WA_WEB_KINDS[msg.type ?? raw.type ?? ''] ?? 'unknown');
  const text = media ? (typeof raw.caption === 'string' ? raw.caption : '') : newBody;
  if (media) {
    if (!edited && !(prevBody && newBody === text && newBody !== prevBody)) return undefined;
  } else if (!prevBody || newBody === prevBody) {
    return undefined;
  }
  const chatId = chatIdOf(msg);
  const stamp = raw.latestEditSenderTimestampMs;
  const id = serialized(raw.latestEditMsgKey) ?? `${messageId}_edit_${stamp ?? digest(text)}`;
  const from = isGroupId(chatId) ? (msg.author ?? msg.from) : msg.fromMe ? (ctx.meId ?? msg.from) : msg.from;
  return {
    id,
    messageId,
    chatId,
    from,
    fromMe: Boolean(msg.fromMe),
    text,
    timestamp: stamp ? Math.floor(stamp / 1000) : Math.floor(Date.now() / 1000),
  };
}

export function toReactionEvent(reaction: WAWebJS.Reaction): ReactionEvent | undefined {
  const id = serialized(reaction.id);
  const messageId = serialized(reaction.msgId);
  if (!id || !messageId) return undefined;
  const parent = reaction.msgId as unknown as { remote?: unknown };
  const own = reaction.id as unknown as { remote?: unknown; fromMe?: boolean };
  const chatId = serialized(parent.remote) ?? serialized(own.remote) ?? reaction.senderId;
  return {
    id,
    messageId,
    chatId,
    from: reaction.senderId,
    fromMe: Boolean(own.fromMe),
    emoji: reaction.reaction ?? '',
    // The library divides WhatsApp's milliseconds by 1000: seconds with a fraction.
    timestamp: Math.floor(Number(reaction.timestamp) || Date.now() / 1000),
  };
}

export function toCallEvent(call: WAWebJS.Call): CallEvent | undefined {
  if (call.fromMe || !call.from) return undefined;
  return {
    id: String(call.id),
    from: call.from,
    isVideo: Boolean(call.isVideo),
    isGroup: Boolean(call.isGroup),
    timestamp: Number(call.timestamp) || Math.floor(Date.now() / 1000),
  };
}

/** A short stable token for an edit without a key of its own (dedupe of redelivered edits). */
function digest(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
