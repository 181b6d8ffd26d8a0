import type { AckEvent, CallEvent, EditEvent, MessageKind, ReactionEvent, RemoteMessage, RevokeEvent } from '../../core/messages';
import { fallbackMime, WA_WEB_KINDS, WA_WEB_SYSTEM_TYPES, waWebAck } from '../wa-web-kinds';
import { isMediaKind } from '../../core/messages';
import { isBroadcastId, isGroupId } from '../../core/whatsapp-ids';

/**
 * wppconnect hands Ponte plain JSON (whatever survived puppeteer's serialisation of WhatsApp Web's
 * models), typed by interfaces that do not match it: ids arrive as strings or as Wid/MsgKey objects,
 * `filename`, `lat`, `lng`, `loc` exist only at run time. Everything is read defensively here, once.
 */
export type RawJson = Record<string, unknown>;

/** A Wid (`351912345678@c.us`) from a string or a `{_serialized}` / `{user, server}` object. */
export function widOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (value && typeof value === 'object') {
    const o = value as RawJson;
    if (typeof o._serialized === 'string' && o._serialized) return o._serialized;
    if (typeof o.user === 'string' && typeof o.server === 'string') return `${o.user}@${o.server}`;
  }
  return undefined;
}

/**
 * A message id as WhatsApp Web prints it, `<fromMe>_<chat>_<stanza>[_<participant>]`, from a string or
 * a MsgKey object (acks and unread listings carry objects; messages carry strings).
 */
export function msgIdOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value || undefined;
  if (!value || typeof value !== 'object') return undefined;
  const o = value as RawJson;
  if (typeof o._serialized === 'string' && o._serialized) return o._serialized;
  const remote = widOf(o.remote);
  if (typeof o.fromMe === 'boolean' && remote && typeof o.id === 'string' && o.id) {
    const participant = widOf(o.participant);
    return `${o.fromMe}_${remote}_${o.id}${participant ? `_${participant}` : ''}`;
  }
  return undefined;
}

export interface ParsedMsgId {
  fromMe: boolean;
  remote: string;
  stanza: string;
  participant?: string;
}

export function parseMsgId(id: string): ParsedMsgId | undefined {
  const m = /^(true|false)_([^_]+@[^_]+)_([^_]+)(?:_(.+))?$/.exec(id);
  if (!m) return undefined;
  return { fromMe: m[1] === 'true', remote: m[2], stanza: m[3], ...(m[4] ? { participant: m[4] } : {}) };
}

export interface NormaliseContext {
  /** Our own id (`<n>@c.us`): the sender of our own messages. */
  meId?: string;
  /** Our own linked id, when known: groups name us by it. */
  meLid?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};

/** WhatsApp mixes seconds and milliseconds (reactions, edits); Ponte keeps seconds. */
export function secondsOf(value: unknown): number {
  const n = num(value);
  if (!n || n <= 0) return Math.floor(Date.now() / 1000);
  return Math.floor(n > 1e12 ? n / 1000 : n);
}

function fromMeOf(raw: RawJson, id: string): boolean {
  if (typeof raw.fromMe === 'boolean') return raw.fromMe;
  const key = raw.id as RawJson | undefined;
  if (key && typeof key === 'object' && typeof key.fromMe === 'boolean') return key.fromMe;
  return id.startsWith('true_');
}

/** The chat: the MsgKey's remote (right for both directions and for groups), else from/to. */
export function chatIdOf(raw: RawJson, id: string, fromMe: boolean): string | undefined {
  const key = raw.id && typeof raw.id === 'object' ? widOf((raw.id as RawJson).remote) : undefined;
  return widOf(raw.chatId) ?? key ?? parseMsgId(id)?.remote ?? widOf(fromMe ? raw.to : raw.from);
}

/** `undefined` for system entries, broadcasts and anything without an id. */
export function toRemoteMessage(raw: RawJson | null | undefined, ctx: NormaliseContext = {}): RemoteMessage | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const type = str(raw.type) ?? 'unknown';
  if (WA_WEB_SYSTEM_TYPES.has(type) || raw.isNotification === true) return undefined;
  const id = msgIdOf(raw.id);
  if (!id) return undefined;
  const fromMe = fromMeOf(raw, id);
  const chatId = chatIdOf(raw, id, fromMe);
  // Status updates, broadcast lists and channel posts are not conversations anyone answers.
  if (!chatId || isBroadcastId(chatId)) return undefined;
  const isGroup = isGroupId(chatId);
  const kind: MessageKind = WA_WEB_KINDS[type] ?? 'unknown';
  const author = widOf(raw.author);
  const sender = widOf(raw.from);
  const from = isGroup
    ? (author ?? (fromMe ? ctx.meId : undefined) ?? sender ?? chatId)
    : fromMe
      ? (ctx.meId ?? sender ?? chatId)
      : (sender ?? chatId);
  const out: RemoteMessage = { id, chatId, from, fromMe, timestamp: secondsOf(raw.t ?? raw.timestamp), kind, isGroup };
  const text = textOf(raw, kind);
  if (text !== undefined) out.text = text;
  if (isMediaKind(kind)) {
    const filename = str(raw.filename);
    const size = num(raw.size);
    out.media = {
      mimetype: str(raw.mimetype) ?? fallbackMime(kind),
      ...(filename ? { filename } : {}),
      ...(size !== undefined ? { size } : {}),
      // getMessageById finds the message again (with a fresh download URL) by this id.
      handle: id,
    };
  }
  if (kind === 'location') {
    const lat = num(raw.lat);
    const lng = num(raw.lng);
    if (lat !== undefined && lng !== undefined) {
      // `loc` is "name\naddress" when the sender picked a place; plain pins have none.
      const [name, ...rest] = (str(raw.loc) ?? '').split('\n');
      const address = rest.join(', ').trim();
      out.location = { lat, lng, ...(name?.trim() ? { name: name.trim() } : {}), ...(address ? { address } : {}) };
    }
  }
  if (kind === 'contact') out.vcards = vcardsOf(raw, type);
  const quotedId = quotedIdOf(raw, chatId, ctx);
  if (quotedId) out.quotedId = quotedId;
  const pushName = fromMe ? undefined : (str((raw.sender as RawJson | undefined)?.pushname) ?? str(raw.notifyName));
  if (pushName) out.pushName = pushName;
  const chatName = isGroup ? str((raw.chat as RawJson | undefined)?.name) : undefined;
  if (chatName) out.chatName = chatName;
  if (kind === 'unknown') out.rawType = type;
  return out;
}

function textOf(raw: RawJson, kind: MessageKind): string | undefined {
  switch (kind) {
    case 'text':
      return typeof raw.body === 'string' ? raw.body : (str(raw.content) ?? '');
    case 'poll':
      return str(raw.pollName) ?? str(raw.body);
    case 'image':
    case 'video':
    case 'audio':
    case 'voice':
    case 'document':
    case 'sticker':
      // For media `body` is a base64 thumbnail: only the caption is words.
      return str(raw.caption);
    default:
      // vCards, locations (body = thumbnail), calls and unknown kinds: the body is data, not words.
      return undefined;
  }
}

function vcardsOf(raw: RawJson, type: string): string[] {
  if (type === 'multi_vcard') {
    const list = Array.isArray(raw.vcardList) ? raw.vcardList : [];
    return list.flatMap((v) => (v && typeof v === 'object' && str((v as RawJson).vcard) ? [(v as RawJson).vcard as string] : []));
  }
  return str(raw.body) ? [raw.body as string] : [];
}

/** The serialiser gives `quotedMsgId` when WhatsApp Web loaded the quoted message; else rebuild the key. */
function quotedIdOf(raw: RawJson, chatId: string, ctx: NormaliseContext): string | undefined {
  const direct = msgIdOf(raw.quotedMsgId);
  if (direct) return direct;
  const stanza = str(raw.quotedStanzaID);
  if (!stanza) return undefined;
  const remote = widOf(raw.quotedRemoteJid) ?? chatId;
  const participant = widOf(raw.quotedParticipant);
  const quotedFromMe = Boolean(participant && (participant === ctx.meId || participant === ctx.meLid));
  const base = `${quotedFromMe}_${remote}_${stanza}`;
  return isGroupId(remote) && participant ? `${base}_${participant}` : base;
}

/** Only acks of our own messages are delivery reports; those of received messages are our reads. */
export function toAckEvent(raw: RawJson | null | undefined): AckEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const messageId = msgIdOf(raw.id);
  const ack = waWebAck(raw.ack);
  if (!messageId || !ack) return undefined;
  const parsed = parseMsgId(messageId);
  const key = raw.id && typeof raw.id === 'object' ? (raw.id as RawJson) : undefined;
  const fromMe = typeof key?.fromMe === 'boolean' ? key.fromMe : (parsed?.fromMe ?? raw.fromMe === true);
  if (!fromMe) return undefined;
  const chatId = widOf(key?.remote) ?? parsed?.remote ?? widOf(raw.to);
  if (!chatId) return undefined;
  return { messageId, chatId, ack };
}

/** `onRevokedMessage` gives `{id, refId, from, to, author}`; refId names the deleted message. */
export function toRevokeEvent(raw: RawJson | null | undefined): RevokeEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const messageId = msgIdOf(raw.refId);
  if (!messageId) return undefined;
  const parsed = parseMsgId(messageId);
  const chatId = parsed?.remote ?? widOf(raw.from);
  if (!chatId) return undefined;
  return { messageId, chatId, fromMe: parsed?.fromMe ?? false, timestamp: secondsOf(raw.t ?? raw.timestamp) };
}

/**
 * `onMessageEdit` gives `{chat, id, msg}`: `msg` is the edited message as it now is. For media its
 * `body` is still the base64 thumbnail and the (new, perhaps first) caption is in `caption`.
 */
export function toEditEvent(raw: RawJson | null | undefined, ctx: NormaliseContext = {}): EditEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const msg = (raw.msg ?? {}) as RawJson;
  const messageId = msgIdOf(raw.id) ?? msgIdOf(msg.id);
  if (!messageId || msg.type === 'revoked') return undefined;
  const kind = WA_WEB_KINDS[str(msg.type) ?? ''];
  const text = kind && isMediaKind(kind) ? str(msg.caption) : str(msg.body);
  if (text === undefined) return undefined;
  const parsed = parseMsgId(messageId);
  const fromMe = parsed?.fromMe ?? msg.fromMe === true;
  const chatId = parsed?.remote ?? chatIdOf(msg, messageId, fromMe) ?? widOf(raw.chat);
  if (!chatId) return undefined;
  const stamp = num(msg.latestEditSenderTimestampMs);
  const id = msgIdOf(msg.latestEditMsgKey) ?? `${messageId}_edit_${stamp ?? digest(text)}`;
  const author = widOf(msg.author);
  const from = isGroupId(chatId) ? (author ?? (fromMe ? ctx.meId : undefined) ?? chatId) : fromMe ? (ctx.meId ?? chatId) : chatId;
  return { id, messageId, chatId, from, fromMe, text, timestamp: secondsOf(stamp ?? msg.t) };
}

/** `onReactionMessage` gives MsgKey objects for the reaction and its target, and the sender's Wid. */
export function toReactionEvent(raw: RawJson | null | undefined, ctx: NormaliseContext = {}): ReactionEvent | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const id = msgIdOf(raw.id);
  const messageId = msgIdOf(raw.msgId);
  if (!id || !messageId) return undefined;
  const own = parseMsgId(id);
  const target = parseMsgId(messageId);
  const chatId = target?.remote ?? own?.remote;
  if (!chatId) return undefined;
  const sender = widOf(raw.sender);
  const fromMe = own?.fromMe ?? Boolean(sender && (sender === ctx.meId || sender === ctx.meLid));
  const from = sender ?? (fromMe ? ctx.meId : undefined) ?? chatId;
  return {
    id,
    messageId,
    chatId,
    from,
    fromMe,
    emoji: typeof raw.reactionText === 'string' ? raw.reactionText : '',
    timestamp: secondsOf(raw.timestamp),
  };
}

/** CallStore models: only calls someone places to us (not our own outgoing ones). */
export function toCallEvent(raw: RawJson | null | undefined): CallEvent | undefined {
  if (!raw || typeof raw !== 'object' || raw.outgoing === true) return undefined;
  const id = str(raw.id) ?? msgIdOf(raw.id);
  const peer = widOf(raw.peerJid) ?? widOf(raw.from);
  if (!id || !peer) return undefined;
  const isGroup = raw.isGroup === true;
  return { id, from: peer, isVideo: raw.isVideo === true, isGroup, timestamp: secondsOf(raw.offerTime ?? raw.t) };
}

/** A short stable token for an edit without a key of its own (dedupe of redelivered edits). */
function digest(text: string): string {
  let h = 5381;
  for (let i = 0; i < text.length; i++) h = ((h << 5) + h + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}
