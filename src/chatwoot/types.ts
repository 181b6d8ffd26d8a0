/** The parts of Chatwoot's JSON Ponte reads (CONTRACTS.md); everything else passes through untyped. */
export interface CwContactInbox {
  source_id: string;
  inbox?: { id: number };
}

export interface CwContact {
  id: number;
  name?: string;
  phone_number?: string | null;
  identifier?: string | null;
  custom_attributes?: Record<string, unknown>;
  contact_inboxes?: CwContactInbox[];
}

export type CwConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';

/** The fields of an inbox Ponte reads (views/api/v1/models/_inbox.json.jbuilder). */
export interface CwInbox {
  id: number;
  name: string;
  /** `Channel::Api` for the inboxes Ponte relays to. */
  channel_type: string;
  /** API channels only. */
  webhook_url?: string | null;
  /** API channels, shown to administrators only: the secret Chatwoot 4.13+ signs this inbox's webhooks with. */
  secret?: string | null;
}

export interface CwConversation {
  /** The per-account display id used in every URL. */
  id: number;
  inbox_id: number;
  status: CwConversationStatus;
  contact_inbox?: { source_id?: string };
  meta?: { sender?: { id: number; phone_number?: string | null } };
  labels?: string[];
  last_activity_at?: number;
  /** Unix seconds an agent last opened the conversation (0: never). */
  agent_last_seen_at?: number | null;
  custom_attributes?: Record<string, unknown>;
}

export interface CwAttachment {
  id: number;
  file_type: string;
  data_url: string;
  content_type?: string;
  extension?: string | null;
  file_size?: number;
}

export interface CwMessage {
  id: number;
  content: string | null;
  /** Integer in API responses (0 incoming, 1 outgoing, 2 activity, 3 template). */
  message_type: number | string;
  private: boolean;
  source_id: string | null;
  content_attributes?: Record<string, unknown>;
  created_at: number | string;
  status?: string;
  attachments?: CwAttachment[];
  conversation_id?: number;
  sender?: { id: number; type?: string };
}

export interface NewMessage {
  content?: string;
  messageType: 'incoming' | 'outgoing';
  private?: boolean;
  sourceId?: string;
  contentAttributes?: Record<string, unknown>;
  attachments?: Array<{ filename: string; mimetype: string; data: Buffer }>;
}
