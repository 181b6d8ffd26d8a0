/**
 * Engine- and helpdesk-agnostic message model. Engines normalise their library objects into these
 * shapes; the Chatwoot and Typebot sides only ever see these, never an engine type.
 */

/** WhatsApp chat ids: `<digits>@c.us` (phone), `<id>@g.us` (group), `<id>@lid` (linked id). */
export type ChatId = string;

export type MessageKind =
  'text' | 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker' | 'location' | 'contact' | 'poll' | 'call' | 'unknown';

export const MEDIA_KINDS = ['image', 'video', 'audio', 'voice', 'document', 'sticker'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

export function isMediaKind(kind: MessageKind): kind is MediaKind {
  return (MEDIA_KINDS as readonly string[]).includes(kind);
}

/** A handle the engine can turn back into bytes later; the bytes are not kept in the event. */
export interface MediaRef {
  mimetype: string;
  filename?: string;
  /** Bytes, when the engine knows it before download. */
  size?: number;
  /** Engine-private token (message id, direct path, ...). Opaque to everything but the engine. */
  handle: string;
}

export interface Location {
  lat: number;
  lng: number;
  name?: string;
  address?: string;
}

/** One WhatsApp message, as received or as sent from the paired phone itself. */
export interface RemoteMessage {
  id: string;
  chatId: ChatId;
  /** Sender: the contact in a 1:1 chat, the participant (author) in a group, our own id when fromMe. */
  from: string;
  fromMe: boolean;
  /** Unix seconds. */
  timestamp: number;
  kind: MessageKind;
  /** Body for text, caption for media. */
  text?: string;
  media?: MediaRef;
  quotedId?: string;
  location?: Location;
  vcards?: string[];
  /** Sender's own display name (WhatsApp push name). */
  pushName?: string;
  /** Group subject, when the engine knows it. */
  chatName?: string;
  isGroup: boolean;
  /** The library's own type name, kept for placeholders of kinds Ponte does not convert. */
  rawType?: string;
}

export type Ack = 'FAILED' | 'PENDING' | 'SENT' | 'DELIVERED' | 'READ' | 'PLAYED';

export interface AckEvent {
  messageId: string;
  chatId: ChatId;
  ack: Ack;
}

export interface RevokeEvent {
  /** The id of the message that was deleted for everyone. */
  messageId: string;
  chatId: ChatId;
  fromMe: boolean;
  timestamp: number;
}

export interface EditEvent {
  /** Id of the edit itself (unique, used for dedupe). */
  id: string;
  /** Id of the message that was edited. */
  messageId: string;
  chatId: ChatId;
  from: string;
  fromMe: boolean;
  text: string;
  timestamp: number;
}

export interface ReactionEvent {
  /** Id of the reaction itself (unique, used for dedupe). */
  id: string;
  /** Id of the message reacted to. */
  messageId: string;
  chatId: ChatId;
  from: string;
  fromMe: boolean;
  /** Empty string: the reaction was removed. */
  emoji: string;
  timestamp: number;
  pushName?: string;
}

export interface CallEvent {
  id: string;
  from: string;
  isVideo: boolean;
  isGroup: boolean;
  timestamp: number;
}

/** What Ponte asks an engine to send. */
export type OutboundMessage =
  | { kind: 'text'; chatId: ChatId; text: string; quotedId?: string }
  | {
      kind: MediaKind;
      chatId: ChatId;
      media: { data: Buffer; mimetype: string; filename?: string };
      caption?: string;
      quotedId?: string;
    }
  | { kind: 'location'; chatId: ChatId; location: Location; quotedId?: string }
  | { kind: 'contact'; chatId: ChatId; vcard: string; quotedId?: string }
  | { kind: 'reaction'; chatId: ChatId; messageId: string; emoji: string };

export interface SendResult {
  remoteId: string;
  /** Unix seconds. */
  timestamp: number;
  /**
   * WhatsApp refused the quote (the quoted message is gone, or is not a WhatsApp message) and the
   * message went out without it: the agent is told.
   */
  quoteDropped?: boolean;
}

export interface ContactInfo {
  id: string;
  /** E.164 with +, when known. */
  phone?: string;
  lid?: string;
  name?: string;
  avatarUrl?: string;
}

/** What became of a message's media before relaying it. */
export type MediaOutcome =
  | { status: 'ok'; data: Buffer; mimetype: string; filename?: string }
  | { status: 'too_large'; size: number; limitMB: number }
  | { status: 'gone' };
