import { createHmac, randomBytes } from 'node:crypto';
import { couldNotCreate } from './errors';
import { setConversationStatus } from './conversations';
import type { ChatwootStore, EventOrigin } from './store';
import type { Attachment, Conversation, JsonObject, Message, MessageStatus, MessageType, UploadedFile, User } from './types';

export const MAX_ATTACHMENTS = 15;
export const MAX_CONTENT_LENGTH = 150_000;
export const MESSAGES_PER_MINUTE = 200;
const STATUSES: readonly MessageStatus[] = ['sent', 'delivered', 'read', 'failed'];
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/bmp', 'image/webp'];
const VIDEO_TYPES = ['video/ogg', 'video/mp4', 'video/webm', 'video/quicktime'];
// Only used to make signed blob ids look and behave like Rails' (tamper -> 404), never shared.
const SIGNING_KEY = randomBytes(32);

/** FileTypeHelper#file_type: anything not in these lists is a generic file. */
export function fileTypeOf(contentType: string): Attachment['file_type'] {
  const mime = contentType.split(';')[0].trim().toLowerCase();
  if (IMAGE_TYPES.includes(mime)) return 'image';
  if (VIDEO_TYPES.includes(mime)) return 'video';
  if (mime.includes('audio/')) return 'audio';
  return 'file';
}

/** ActiveStorage signed ids are base64 JSON + '--' + digest; the fake keeps the same look. */
export function signBlobId(blobId: number): string {
  const data = Buffer.from(JSON.stringify({ _rails: { data: blobId, pur: 'blob_id' } })).toString('base64');
  return `${data}--${createHmac('sha1', SIGNING_KEY).update(data).digest('hex')}`;
}

export function verifyBlobId(signed: string): number | null {
  const [data, digest] = signed.split('--');
  if (!data || !digest) return null;
  if (createHmac('sha1', SIGNING_KEY).update(data).digest('hex') !== digest) return null;
  try {
    const parsed = JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { _rails?: { data?: unknown } };
    return typeof parsed._rails?.data === 'number' ? parsed._rails.data : null;
  } catch {
    return null;
  }
}

export interface MessageInput {
  content?: string | null;
  message_type?: string;
  private?: boolean;
  source_id?: string | null;
  content_type?: string;
  content_attributes?: JsonObject;
  echo_id?: string | null;
  attachments?: UploadedFile[];
}

/**
 * Messages::MessageBuilder + Message validations. Everything is checked before anything is stored so a
 * rejected request leaves no trace, like the surrounding transaction in Rails.
 */
export function createMessage(
  store: ChatwootStore,
  conv: Conversation,
  input: MessageInput,
  author: User,
  origin: EventOrigin,
  allowTemplate = false,
): Message {
  const type = (input.message_type ?? 'outgoing') as MessageType;
  const allowed: MessageType[] = allowTemplate ? ['incoming', 'outgoing', 'template'] : ['incoming', 'outgoing'];
  if (!allowed.includes(type)) throw couldNotCreate(`'${String(input.message_type)}' is not a valid message_type`);
  const files = input.attachments ?? [];
  const content = input.content ?? null;
  if (content !== null && content.length > MAX_CONTENT_LENGTH) {
    throw couldNotCreate(`Validation failed: Content is too long (maximum is ${MAX_CONTENT_LENGTH} characters)`);
  }
  if (files.length > MAX_ATTACHMENTS) throw couldNotCreate('Validation failed: Attachments exceeded maximum allowed');
  if ((content === null || content.trim() === '') && files.length === 0) throw couldNotCreate("Validation failed: Content can't be blank");
  const ts = store.now();
  const recent = store.messagesOf(conv.display_id).filter((m) => m.created_at > ts - 60_000).length;
  if (recent >= MESSAGES_PER_MINUTE) throw couldNotCreate('Validation failed: Too many messages', 'rate_limit');

  const id = store.nextId('message');
  const contact = store.contact(conv.contact_id);
  const message: Message = {
    id,
    conversation_display_id: conv.display_id,
    inbox_id: conv.inbox_id,
    content,
    message_type: type,
    content_type: input.content_type ?? 'text',
    private: input.private ?? false,
    source_id: input.source_id ?? null,
    echo_id: input.echo_id ?? null,
    content_attributes: resolveReply(store, conv, { ...(input.content_attributes ?? {}) }),
    additional_attributes: {},
    status: 'sent',
    created_at: ts,
    updated_at: ts,
    sender_type: type === 'incoming' ? 'Contact' : 'User',
    sender_id: type === 'incoming' ? contact.id : author.id,
    attachments: files.map((f) => buildAttachment(store, id, f)),
  };
  store.messages.set(id, message);
  touchConversation(store, conv, message, origin);
  store.emit({ event: 'message_created', origin, message });
  return message;
}

/** InReplyToMessageBuilder: either key is resolved to the other within the same conversation. */
function resolveReply(store: ChatwootStore, conv: Conversation, attrs: JsonObject): JsonObject {
  const inConv = store.messagesOf(conv.display_id);
  if (attrs.in_reply_to !== undefined && attrs.in_reply_to !== null && attrs.in_reply_to !== '') {
    const target = inConv.find((m) => m.id === Number(attrs.in_reply_to));
    // An id outside the conversation is kept as sent; only the external id stays unresolved.
    if (target) attrs.in_reply_to = target.id;
    attrs.in_reply_to_external_id = target?.source_id ?? null;
  } else if (typeof attrs.in_reply_to_external_id === 'string' && attrs.in_reply_to_external_id !== '') {
    // find_by returns the oldest row when the bridge stored duplicate source_ids.
    const target = inConv.find((m) => m.source_id === attrs.in_reply_to_external_id);
    attrs.in_reply_to = target ? target.id : null;
  }
  return attrs;
}

function buildAttachment(store: ChatwootStore, messageId: number, f: UploadedFile): Attachment {
  const id = store.nextId('attachment');
  const dot = f.filename.lastIndexOf('.');
  return {
    id,
    message_id: messageId,
    file_type: fileTypeOf(f.content_type),
    content_type: f.content_type,
    filename: f.filename,
    extension: dot > 0 ? f.filename.slice(dot + 1).toLowerCase() : null,
    file_size: f.data.length,
    blob_key: randomBytes(14).toString('hex'),
    signed_id: signBlobId(id),
    data: Buffer.from(f.data),
  };
}

/** Message#after_create_commit: reopen first, then activity timestamps; the created event follows. */
function touchConversation(store: ChatwootStore, conv: Conversation, message: Message, origin: EventOrigin): void {
  if (message.message_type === 'incoming' && (conv.status === 'resolved' || conv.status === 'snoozed')) {
    setConversationStatus(store, conv, 'open', null, origin);
  }
  conv.last_activity_at = message.created_at;
  conv.updated_at = message.created_at;
  if (message.message_type === 'incoming') {
    conv.waiting_since ??= message.created_at;
    store.contact(conv.contact_id).last_activity_at = message.created_at;
  } else if (!message.private) {
    conv.first_reply_created_at ??= message.created_at;
    conv.waiting_since = null;
  }
}

/**
 * Messages::StatusUpdateService: unknown statuses and read -> delivered are ignored (the caller still gets 200);
 * external_error survives only on failed. Returns whether anything changed (only then message_updated fires).
 */
export function updateMessageStatus(
  store: ChatwootStore,
  message: Message,
  status: unknown,
  externalError: unknown,
  origin: EventOrigin,
): boolean {
  if (typeof status !== 'string' || !(STATUSES as readonly string[]).includes(status)) return false;
  const next = status as MessageStatus;
  if (message.status === 'read' && next === 'delivered') return false;
  const attrs = { ...message.content_attributes };
  if (next === 'failed') attrs.external_error = externalError === undefined || externalError === null ? null : String(externalError);
  else delete attrs.external_error;
  const changed = next !== message.status || JSON.stringify(attrs) !== JSON.stringify(message.content_attributes);
  if (!changed) return false;
  message.status = next;
  message.content_attributes = attrs;
  message.updated_at = store.now();
  store.emit({ event: 'message_updated', origin, message });
  return true;
}

/** MessagesController#destroy: content and attributes are overwritten and the files are purged. */
export function deleteMessage(store: ChatwootStore, message: Message, origin: EventOrigin): Message {
  message.content = 'This message was deleted';
  message.content_type = 'text';
  message.content_attributes = { deleted: true };
  message.attachments = [];
  message.updated_at = store.now();
  store.emit({ event: 'message_updated', origin, message });
  return message;
}

export function findAttachment(store: ChatwootStore, id: number): Attachment | undefined {
  for (const m of store.messages.values()) {
    const a = m.attachments.find((x) => x.id === id);
    if (a) return a;
  }
  return undefined;
}
