import type { AgentAttachment, AgentMessage } from '../core/agent-messages';
import { markdownToWhatsApp } from '../core/markdown/to-whatsapp';

/** The parts of a Chatwoot message (webhook payload or API list item) that say what to send. */
export interface CwMessageLike {
  id: number;
  content?: string | null;
  content_attributes?: Record<string, unknown> | null;
  attachments?: Array<{
    data_url?: string | null;
    content_type?: string | null;
    extension?: string | null;
    file_type?: string | null;
    file_size?: number | null;
  }> | null;
  created_at?: string | number | null;
}

export interface CwConversationLike {
  id: number;
  inbox_id?: number;
  contact_inbox?: { source_id?: string | null } | null;
  meta?: { sender?: { phone_number?: string | null } | null } | null;
}

const BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
  '3gp': 'video/3gpp',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  oga: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  wav: 'audio/wav',
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  vcf: 'text/vcard',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  zip: 'application/zip',
};

export function toAgentMessage(msg: CwMessageLike, conv: CwConversationLike, inboxId: number): AgentMessage {
  const attrs = msg.content_attributes ?? {};
  const replyId = typeof attrs.in_reply_to === 'number' ? attrs.in_reply_to : Number(attrs.in_reply_to) || undefined;
  const replyExternal = typeof attrs.in_reply_to_external_id === 'string' ? attrs.in_reply_to_external_id : undefined;
  return {
    id: msg.id,
    conversationId: conv.id,
    inboxId,
    chatKey: conv.contact_inbox?.source_id ?? undefined,
    contactPhone: conv.meta?.sender?.phone_number ?? undefined,
    text: markdownToWhatsApp(msg.content ?? ''),
    attachments: (msg.attachments ?? []).filter((a) => a.data_url).map(toAttachment),
    inReplyTo: replyId || replyExternal ? { helpdeskId: replyId, externalId: replyExternal } : undefined,
    createdAt: toUnix(msg.created_at),
  };
}

function toAttachment(a: NonNullable<CwMessageLike['attachments']>[number]): AgentAttachment {
  const url = a.data_url!;
  let filename: string | undefined;
  try {
    const last = new URL(url).pathname.split('/').pop();
    filename = last ? decodeURIComponent(last) : undefined;
  } catch {
    filename = undefined;
  }
  const ext = (a.extension ?? filename?.split('.').pop() ?? '').toLowerCase();
  return { url, filename, mimetype: a.content_type ?? BY_EXTENSION[ext], size: a.file_size ?? undefined };
}

function toUnix(value: string | number | null | undefined): number {
  if (typeof value === 'number') return value;
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? Math.floor(Date.now() / 1000) : Math.floor(ms / 1000);
}
