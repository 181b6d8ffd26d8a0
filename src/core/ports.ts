import type { CallEvent, EditEvent, MediaOutcome, ReactionEvent, RemoteMessage, RevokeEvent } from './messages';
import type { AgentMessage } from './agent-messages';

/** A message in the helpdesk: what the id map keeps opposite a WhatsApp id. */
export interface HelpdeskRef {
  conversationId: number;
  messageId: number;
}

/** What Ponte did about one incoming call; the helpdesk note says it. */
export interface CallOutcome {
  rejected: boolean;
  replied: boolean;
  /** Why the rejection or the reply failed. */
  error?: string;
}

/** One WhatsApp chat as the helpdesk sees it: a contact (or group) with one conversation at a time. */
export interface ChatTarget {
  session: string;
  inboxId: number;
  /** Stable per person or group, whatever id form WhatsApp uses today: the helpdesk's source id. */
  chatKey: string;
  /** The WhatsApp chat id to send replies to. */
  waChatId: string;
  isGroup: boolean;
  name?: string;
  /** E.164, when known. */
  phone?: string;
  lid?: string;
  /** resolve a closed conversation by reopening it (reuse) or by starting a new one (new). */
  reopen: 'reuse' | 'new';
}

/** The message an item quotes or acts on: its external id, and its helpdesk id when Ponte knows it. */
export interface QuotedRef {
  sourceRef: string;
  helpdeskId?: number;
}

export type PostItem = (
  | {
      type: 'message';
      message: RemoteMessage;
      media?: MediaOutcome;
      direction: 'incoming' | 'outgoing';
      private: boolean;
      groupSender?: { name?: string; phone?: string };
    }
  | { type: 'reaction'; reaction: ReactionEvent; direction: 'incoming' | 'outgoing'; groupSender?: { name?: string; phone?: string } }
  | { type: 'edit'; edit: EditEvent; direction: 'incoming' | 'outgoing'; groupSender?: { name?: string; phone?: string } }
  | { type: 'revoke-note'; revoke: RevokeEvent }
  /** An incoming call, as a private note in the caller's conversation. */
  | { type: 'call-note'; call: CallEvent; outcome: CallOutcome }
) & { quoted?: QuotedRef };

/** Where inbound WhatsApp traffic goes (Chatwoot). Core calls it; it knows nothing of engines. */
export interface HelpdeskDestination {
  /** Creates the message with external id `sourceRef` in the chat's conversation. */
  post(target: ChatTarget, sourceRef: string, item: PostItem): Promise<HelpdeskRef>;
  /** Finds a message created earlier with this external id (a crash between create and record). */
  find(target: ChatTarget, sourceRef: string): Promise<HelpdeskRef | undefined>;
  remove(ref: HelpdeskRef): Promise<void>;
}

/** WhatsApp message ids become Chatwoot source ids in this form (CONTRACTS.md, PITFALLS.md 3). */
export function sourceRefOf(waId: string): string {
  return `WAID:${waId}`;
}

/** The helpdesk side of the Chatwoot -> WhatsApp direction. */
export interface AgentMessageSource {
  /** Downloads an agent's attachment; a PermanentError when it is too large or gone. */
  download(url: string, maxBytes: number): Promise<{ data: Buffer; mimetype?: string }>;
  /** Shows the message's fate in the helpdesk (degrades to a private note where statuses are unsupported). */
  setStatus(ref: HelpdeskRef, status: 'sent' | 'delivered' | 'read' | 'failed', error?: string): Promise<void>;
  /** Agent messages created since `sinceTs` (unix s) in the inbox, for catch-up after downtime. */
  recentAgentMessages(inboxId: number, sinceTs: number): Promise<AgentMessage[]>;
  /** Conversations of the inbox an agent opened since `sinceTs` (unix s), for read marks on WhatsApp. */
  agentReads(inboxId: number, sinceTs: number): Promise<AgentRead[]>;
}

export interface AgentRead {
  conversationId: number;
  inboxId: number;
  chatKey?: string;
  contactPhone?: string;
  /** Unix seconds. */
  seenAt: number;
}

/** What a bot (and the registration forwarder) does to a helpdesk conversation besides posting messages. */
export interface HelpdeskConversations {
  /** pending while a bot answers, open once humans should. */
  setStatus(conversationId: number, status: 'open' | 'pending'): Promise<void>;
  labels(conversationId: number): Promise<string[]>;
  addLabel(conversationId: number, label: string): Promise<void>;
  removeLabel(conversationId: number, label: string): Promise<void>;
  /** A private note for the agents. */
  note(conversationId: number, text: string): Promise<void>;
}
