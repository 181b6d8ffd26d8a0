import type { AgentEvent } from '../core/agent-messages';
import { toAgentMessage, type CwConversationLike, type CwMessageLike } from './agent-message';

export type ParsedWebhook = { event: AgentEvent; deliveryKey: string } | { ignored: string };

interface Payload extends CwMessageLike {
  event?: string;
  message_type?: string | number;
  private?: boolean;
  source_id?: string | null;
  inbox?: { id?: number };
  conversation?: CwConversationLike;
  is_private?: boolean;
  changed_attributes?: Array<Record<string, { previous_value?: unknown; current_value?: unknown }>> | null;
}

/**
 * Chatwoot webhook body -> what Ponte must do. Everything is read from the event's own fields, never
 * from `conversation.messages[0]` (the last public message; PITFALLS.md 5).
 */
export function parseWebhook(body: unknown): ParsedWebhook {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ignored: 'not_an_object' };
  const p = body as Payload;
  const conv = p.conversation;
  const inboxId = p.inbox?.id ?? conv?.inbox_id;
  switch (p.event) {
    case 'message_created': {
      if (p.private) return { ignored: 'private_note' };
      if (p.message_type !== 'outgoing' && p.message_type !== 'template' && p.message_type !== 1 && p.message_type !== 3) return { ignored: 'not_outgoing' };
      if (p.source_id) return { ignored: 'own_insert' };
      if (typeof p.id !== 'number' || !conv || typeof conv.id !== 'number' || typeof inboxId !== 'number') return { ignored: 'incomplete' };
      const message = toAgentMessage(p, conv, inboxId);
      if (!message.text.trim() && !message.attachments.length) return { ignored: 'empty' };
      return { event: { type: 'send', message }, deliveryKey: `created:${p.id}` };
    }
    case 'message_updated': {
      if (p.content_attributes?.deleted !== true) return { ignored: 'update' };
      if (p.source_id || p.private) return { ignored: 'own_insert' };
      if (typeof p.id !== 'number' || !conv || typeof inboxId !== 'number') return { ignored: 'incomplete' };
      return { event: { type: 'delete', id: p.id, conversationId: conv.id, inboxId }, deliveryKey: `deleted:${p.id}` };
    }
    case 'conversation_typing_on':
    case 'conversation_typing_off': {
      if (p.is_private || !conv || typeof inboxId !== 'number') return { ignored: 'typing_private' };
      return {
        event: { type: 'typing', conversationId: conv.id, inboxId, chatKey: conv.contact_inbox?.source_id ?? undefined, contactPhone: conv.meta?.sender?.phone_number ?? undefined, on: p.event === 'conversation_typing_on' },
        deliveryKey: `typing:${conv.id}:${Date.now()}`,
      };
    }
    case 'conversation_status_changed': {
      const c = (conv ?? (p as unknown as CwConversationLike)) as CwConversationLike & { inbox_id?: number; status?: string; updated_at?: number };
      const inbox = inboxId ?? c.inbox_id;
      if (c.status !== 'resolved' || typeof c.id !== 'number' || typeof inbox !== 'number') return { ignored: 'status_change' };
      return {
        event: { type: 'resolved', conversationId: c.id, inboxId: inbox, chatKey: c.contact_inbox?.source_id ?? undefined, contactPhone: c.meta?.sender?.phone_number ?? undefined },
        deliveryKey: `resolved:${c.id}:${c.updated_at ?? Date.now()}`,
      };
    }
    case 'conversation_updated': {
      // The conversation object is the payload itself here (with id and inbox_id at the top level).
      const c = (conv ?? (p as unknown as CwConversationLike)) as CwConversationLike & { inbox_id?: number };
      const change = (p.changed_attributes ?? []).find((a) => a && 'label_list' in a)?.label_list;
      if (!change || typeof c.id !== 'number' || typeof (inboxId ?? c.inbox_id) !== 'number') return { ignored: 'conversation_update' };
      const before = new Set(Array.isArray(change.previous_value) ? (change.previous_value as string[]) : []);
      const added = (Array.isArray(change.current_value) ? (change.current_value as string[]) : []).filter((l) => !before.has(l));
      if (!added.length) return { ignored: 'labels_removed' };
      return {
        event: { type: 'labels', conversationId: c.id, inboxId: (inboxId ?? c.inbox_id)!, chatKey: c.contact_inbox?.source_id ?? undefined, contactPhone: c.meta?.sender?.phone_number ?? undefined, added },
        deliveryKey: `labels:${c.id}:${added.join(',')}:${Date.now()}`,
      };
    }
    default:
      return { ignored: `event_${p.event ?? 'unknown'}` };
  }
}
