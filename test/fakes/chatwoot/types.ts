/** Shapes shared by the Chatwoot fake's store, serializers and routes. Timestamps are epoch milliseconds. */

export type MessageType = 'incoming' | 'outgoing' | 'activity' | 'template';
export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed';
export type ConversationStatus = 'open' | 'resolved' | 'pending' | 'snoozed';
export type JsonObject = Record<string, unknown>;

/** Integer codes used by the application API (Message.message_types in Rails). */
export const MESSAGE_TYPE_CODE: Record<MessageType, number> = { incoming: 0, outgoing: 1, activity: 2, template: 3 };

export interface InboxConfig {
  id: number;
  name?: string;
  lockToSingleConversation?: boolean;
  /** Chatwoot's channel class; Ponte needs `Channel::Api` (default here). */
  channelType?: string;
}

export interface WebhookConfig {
  url: string;
  secret?: string;
}

export interface ChatwootFakeOptions {
  accountId?: number;
  apiToken?: string;
  inboxes?: InboxConfig[];
  /** false simulates Chatwoot < 4.2, where PATCH …/messages/:id does not exist. */
  supportsStatusUpdate?: boolean;
  webhook?: WebhookConfig;
  /**
   * Real API-inbox webhooks carry every event of the inbox, including the bridge's own inserts
   * (that is why CONTRACTS.md lists loop guards). Set false to only emit events caused by the agent-side helpers.
   */
  emitApiEvents?: boolean;
  /** Clock for created_at and the per-minute flood guard. */
  now?: () => number;
  /** Webhook delivery timeout (Chatwoot's WEBHOOK_TIMEOUT, 5 s by default). */
  webhookTimeoutMs?: number;
  /**
   * ActiveStorage on another host (S3, GCS, MinIO): data_url redirects to `<storageUrl>/<blob key>/<filename>`
   * and serving the bytes is that host's business. Default: the disk service on Chatwoot's own host.
   */
  storageUrl?: string;
  /**
   * Chatwoot's FRONTEND_URL, when it is not where the fake listens: Chatwoot builds every data_url from it
   * (url_helpers with default_url_options host), so an attachment link names the public host.
   */
  frontendUrl?: string;
}

export interface Inbox {
  id: number;
  name: string;
  lockToSingleConversation: boolean;
  channelType: string;
  /** Channel::Api#webhook_url: where Chatwoot posts the inbox's events. */
  webhookUrl?: string;
  /** Channel::Api#secret (WebhookSecretable, has_secure_token): what the inbox's webhooks are signed with. */
  secret?: string;
  /** Created through POST /inboxes: its events go to its own webhook_url, signed with its own secret. */
  ownWebhook?: boolean;
}

export interface User {
  id: number;
  name: string;
  email: string;
}

export interface Contact {
  id: number;
  name: string;
  email: string | null;
  phone_number: string | null;
  identifier: string | null;
  blocked: boolean;
  avatar_url: string;
  additional_attributes: JsonObject;
  custom_attributes: JsonObject;
  created_at: number;
  last_activity_at: number | null;
}

export interface ContactInbox {
  id: number;
  contact_id: number;
  inbox_id: number;
  source_id: string;
  hmac_verified: boolean;
  pubsub_token: string;
  created_at: number;
  updated_at: number;
}

export interface Conversation {
  display_id: number;
  uuid: string;
  inbox_id: number;
  contact_id: number;
  contact_inbox_id: number;
  status: ConversationStatus;
  snoozed_until: number | null;
  labels: string[];
  custom_attributes: JsonObject;
  additional_attributes: JsonObject;
  priority: string | null;
  created_at: number;
  updated_at: number;
  last_activity_at: number;
  first_reply_created_at: number | null;
  waiting_since: number | null;
  /** When an agent last opened the conversation (ms), 0 = never. */
  agent_last_seen_at?: number;
  deleted: boolean;
}

export interface Attachment {
  id: number;
  message_id: number;
  file_type: 'image' | 'audio' | 'video' | 'file';
  content_type: string;
  filename: string;
  extension: string | null;
  file_size: number;
  blob_key: string;
  signed_id: string;
  data: Buffer;
}

export interface Message {
  id: number;
  conversation_display_id: number;
  inbox_id: number;
  content: string | null;
  message_type: MessageType;
  content_type: string;
  private: boolean;
  source_id: string | null;
  echo_id: string | null;
  content_attributes: JsonObject;
  additional_attributes: JsonObject;
  status: MessageStatus;
  created_at: number;
  updated_at: number;
  sender_type: 'Contact' | 'User' | null;
  sender_id: number | null;
  attachments: Attachment[];
}

/** A file received in a multipart body, or handed to agentMessage(). */
export interface UploadedFile {
  filename: string;
  content_type: string;
  data: Buffer;
}

/** What the inspection helpers hand to tests: plain copies, conversation ids are display ids. */
export interface MessageView {
  id: number;
  conversation_id: number;
  inbox_id: number;
  content: string | null;
  message_type: MessageType;
  content_type: string;
  private: boolean;
  source_id: string | null;
  echo_id: string | null;
  content_attributes: JsonObject;
  status: MessageStatus;
  created_at: number;
  sender_type: 'Contact' | 'User' | null;
  sender_id: number | null;
  attachments: Array<{ id: number; file_type: string; content_type: string; filename: string; file_size: number; data: Buffer }>;
}

export interface ConversationView {
  id: number;
  inbox_id: number;
  contact_id: number;
  contact_inbox_id: number;
  source_id: string;
  status: ConversationStatus;
  labels: string[];
  custom_attributes: JsonObject;
  additional_attributes: JsonObject;
  created_at: number;
  last_activity_at: number;
  deleted: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, unknown>;
  status: number;
  body: unknown;
  /** Set when an injected fault answered (or delayed) this request. */
  fault?: boolean;
  /** When the answer was sent (ms since epoch); benchmarks measure relay latency with it. */
  answeredAt?: number;
}

export type RejectionKind = 'auth' | 'schema' | 'validation' | 'not_found' | 'conflict' | 'rate_limit' | 'bad_request' | 'internal';

export interface Rejection {
  method: string;
  path: string;
  status: number;
  kind: RejectionKind;
  reason: string;
  body: unknown;
}

export interface WebhookDelivery {
  event: string;
  deliveryId: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  payload: JsonObject;
  /** Response status; null when the request failed or timed out. */
  status: number | null;
  error: string | null;
  durationMs: number;
  sentAt: number;
}
