import { isChatKey, phoneId } from './whatsapp-ids';

/** What an agent (or the helpdesk) asks Ponte to deliver to WhatsApp, independent of the helpdesk's JSON. */
export interface AgentAttachment {
  url: string;
  mimetype?: string;
  filename?: string;
  size?: number;
}

export interface AgentMessage {
  /** The helpdesk's message id (dedupe key of this direction). */
  id: number;
  conversationId: number;
  inboxId: number;
  /** The conversation's contact_inbox source id: Ponte's chat key when Ponte created it. */
  chatKey?: string;
  /** The contact's phone (E.164), used when the chat key is not a WhatsApp id. */
  contactPhone?: string;
  /** Already converted to WhatsApp formatting. */
  text: string;
  attachments: AgentAttachment[];
  /** Quoted message: its helpdesk id and/or its external id (`WAID:<id>`). */
  inReplyTo?: { helpdeskId?: number; externalId?: string };
  /** Unix seconds. */
  createdAt: number;
}

export type AgentEvent =
  | { type: 'send'; message: AgentMessage }
  | { type: 'delete'; id: number; conversationId: number; inboxId: number }
  | { type: 'typing'; conversationId: number; inboxId: number; chatKey?: string; contactPhone?: string; on: boolean }
  | { type: 'seen'; conversationId: number; inboxId: number; chatKey?: string; contactPhone?: string }
  /** Labels an agent added to the conversation (a bot's resume label hands the chat back to it). */
  | { type: 'labels'; conversationId: number; inboxId: number; chatKey?: string; contactPhone?: string; added: string[] }
  /** An agent resolved the conversation: the episode is over (a bot may greet the next one). */
  | { type: 'resolved'; conversationId: number; inboxId: number; chatKey?: string; contactPhone?: string };

/** The WhatsApp chat a helpdesk conversation talks to. */
export function chatIdFor(chatKey: string | undefined, contactPhone: string | undefined): string | undefined {
  if (chatKey && isChatKey(chatKey)) return chatKey;
  const digits = contactPhone?.replace(/\D/g, '');
  return digits && digits.length >= 6 ? phoneId(digits) : undefined;
}
