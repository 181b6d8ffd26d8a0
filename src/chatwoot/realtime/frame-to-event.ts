import type { AgentEvent } from '../../core/agent-messages';
import { parseWebhook } from '../webhook-parse';

export type RealtimeOutcome =
  | { event: AgentEvent; deliveryKey: string; inboxId: number }
  /** `counted`: a reason the webhook path counts too (private_note, own_insert...); other events are routine noise. */
  | { ignored: string; counted: boolean };

/** RoomChannel event names (lib/events/types.rb) and the webhook events they correspond to. */
const AS_WEBHOOK: Record<string, string> = {
  'message.created': 'message_created',
  'message.updated': 'message_updated',
  'conversation.typing_on': 'conversation_typing_on',
  'conversation.typing_off': 'conversation_typing_off',
  // Resolving a conversation ends a bot's handoff. (conversation.updated carries no changed attributes
  // on the socket, so label changes come by webhook only.)
  'conversation.status_changed': 'conversation_status_changed',
};

interface PushData {
  account_id?: number;
  inbox_id?: number;
  conversation_id?: number;
  conversation?: Record<string, unknown> | null;
  [k: string]: unknown;
}

/**
 * A RoomChannel broadcast (`{event, data}`) -> what Ponte must do, with exactly the webhook's rules
 * (parseWebhook): only public outgoing/template messages without a source_id are sent, a
 * `content_attributes.deleted` update is a delete. What differs is the shape: `data` is the message's
 * push_event_data (integer message_type, unix created_at, `conversation_id` and `inbox_id` at the top,
 * `conversation` holding only `contact_inbox.source_id`), so it is reshaped first. The delivery keys are
 * the webhook's, so an event that also came by webhook is claimed once.
 */
export function realtimeToEvent(
  payload: unknown,
  accountId: number,
  inboxMapped: (inboxId: number) => boolean = () => true,
): RealtimeOutcome {
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) return { ignored: 'not_an_object', counted: false };
  const { event, data } = payload as { event?: unknown; data?: unknown };
  const hook = typeof event === 'string' ? AS_WEBHOOK[event] : undefined;
  if (!hook) return { ignored: 'other_event', counted: false };
  if (!data || typeof data !== 'object' || Array.isArray(data)) return { ignored: 'incomplete', counted: false };
  const d = data as PushData;
  // A user's stream carries every account the user belongs to.
  if (d.account_id !== undefined && Number(d.account_id) !== accountId) return { ignored: 'other_account', counted: false };

  let body: Record<string, unknown>;
  if (hook.startsWith('message_')) {
    const inboxId = typeof d.inbox_id === 'number' ? d.inbox_id : undefined;
    const convId = typeof d.conversation_id === 'number' ? d.conversation_id : undefined;
    if (inboxId === undefined || convId === undefined) return { ignored: 'incomplete', counted: false };
    // An administrator's stream carries every inbox of the account: the others are not Ponte's business.
    if (!inboxMapped(inboxId)) return { ignored: 'other_inbox', counted: false };
    body = { ...d, event: hook, inbox: { id: inboxId }, conversation: { ...(d.conversation ?? {}), id: convId, inbox_id: inboxId } };
  } else if (hook === 'conversation_status_changed') {
    // These carry the conversation itself as data, like the webhook's body.
    if (!inboxMapped(Number(d.inbox_id))) return { ignored: 'other_inbox', counted: false };
    body = { ...d, event: hook };
  } else {
    const inboxId = Number(d.conversation?.inbox_id);
    if (!inboxMapped(inboxId)) return { ignored: 'other_inbox', counted: false };
    body = { event: hook, conversation: d.conversation, is_private: d.is_private };
  }
  const parsed = parseWebhook(body);
  if ('ignored' in parsed) return { ignored: parsed.ignored, counted: true };
  // No one to answer on a socket: a body of the wrong shape is counted and left alone.
  if ('invalid' in parsed) return { ignored: 'invalid_payload', counted: true };
  const where = parsed.event.type === 'send' ? parsed.event.message : parsed.event;
  return { ...parsed, inboxId: where.inboxId };
}
