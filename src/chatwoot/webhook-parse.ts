import type { z } from 'zod';
import type { AgentEvent } from '../core/agent-messages';
import { toAgentMessage } from './agent-message';
import {
  conversationEventSchema,
  envelopeSchema,
  firstIssue,
  labelChangeSchema,
  messageEventSchema,
  typingEventSchema,
} from './webhook-schema';

/**
 * An event to relay, one to leave alone (a counted reason), or a body whose fields have the wrong types
 * (answered 4xx: Chatwoot then shows the agent's message as failed instead of Ponte dropping it).
 */
export type ParsedWebhook = { event: AgentEvent; deliveryKey: string } | { ignored: string } | { invalid: string };

/** Chatwoot's bodies are 5 or 6 levels deep; far deeper is not Chatwoot. */
export const MAX_DEPTH = 32;

/** The events Chatwoot sends (app/models/webhook.rb): the only ones named in the ignored counter. */
const KNOWN_EVENTS = new Set([
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
  'inbox_created',
  'inbox_updated',
  'conversation_typing_on',
  'conversation_typing_off',
]);

/**
 * Chatwoot webhook body -> what Ponte must do. Everything is read from the event's own fields, never
 * from `conversation.messages[0]` (the last public message; PITFALLS.md 5), and only after those fields
 * passed the schema: nothing of an unchecked type reaches the lanes.
 */
export function parseWebhook(body: unknown): ParsedWebhook {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { ignored: 'not_an_object' };
  if (deeperThan(body, MAX_DEPTH)) return { invalid: `nested deeper than ${MAX_DEPTH} levels` };
  const head = envelopeSchema.safeParse(body);
  if (!head.success) return { invalid: firstIssue(head.error) };
  const p = head.data;
  switch (p.event) {
    case 'message_created': {
      if (p.private) return { ignored: 'private_note' };
      if (p.message_type !== 'outgoing' && p.message_type !== 'template' && p.message_type !== 1 && p.message_type !== 3)
        return { ignored: 'not_outgoing' };
      if (p.source_id) return { ignored: 'own_insert' };
      return read(messageEventSchema, body, (m) => {
        const conv = m.conversation;
        const inboxId = m.inbox?.id ?? conv?.inbox_id;
        if (m.id === undefined || conv?.id === undefined || inboxId === undefined) return { ignored: 'incomplete' };
        const message = toAgentMessage({ ...m, id: m.id }, { ...conv, id: conv.id }, inboxId);
        if (!message.text.trim() && !message.attachments.length) return { ignored: 'empty' };
        return { event: { type: 'send', message }, deliveryKey: `created:${m.id}` };
      });
    }
    case 'message_updated': {
      if (p.content_attributes?.deleted !== true) return { ignored: 'update' };
      if (p.source_id || p.private) return { ignored: 'own_insert' };
      return read(messageEventSchema, body, (m) => {
        const conversationId = m.conversation?.id;
        const inboxId = m.inbox?.id ?? m.conversation?.inbox_id;
        if (m.id === undefined || conversationId === undefined || inboxId === undefined) return { ignored: 'incomplete' };
        return { event: { type: 'delete', id: m.id, conversationId, inboxId }, deliveryKey: `deleted:${m.id}` };
      });
    }
    case 'conversation_typing_on':
    case 'conversation_typing_off': {
      if (p.is_private) return { ignored: 'typing_private' };
      const on = p.event === 'conversation_typing_on';
      return read(typingEventSchema, body, ({ conversation: c }) => {
        if (c?.id === undefined || c.inbox_id === undefined) return { ignored: 'typing_private' };
        return {
          event: {
            type: 'typing',
            conversationId: c.id,
            inboxId: c.inbox_id,
            chatKey: c.contact_inbox?.source_id ?? undefined,
            contactPhone: c.meta?.sender?.phone_number ?? undefined,
            on,
          },
          deliveryKey: `typing:${c.id}:${Date.now()}`,
        };
      });
    }
    case 'conversation_status_changed':
      return read(conversationEventSchema, body, (p2) => {
        const c = p2.conversation ?? p2;
        const inbox = p2.inbox?.id ?? c.inbox_id ?? p2.inbox_id;
        const status = 'status' in c ? c.status : p2.status;
        if (status !== 'resolved' || c.id === undefined || inbox === undefined) return { ignored: 'status_change' };
        return {
          event: {
            type: 'resolved',
            conversationId: c.id,
            inboxId: inbox,
            chatKey: c.contact_inbox?.source_id ?? undefined,
            contactPhone: c.meta?.sender?.phone_number ?? undefined,
          },
          deliveryKey: `resolved:${c.id}:${p2.updated_at ?? Date.now()}`,
        };
      });
    case 'conversation_updated':
      // The conversation object is the payload itself here (with id and inbox_id at the top level).
      return read(conversationEventSchema, body, (p2) => {
        const c = p2.conversation ?? p2;
        const inbox = p2.inbox?.id ?? c.inbox_id ?? p2.inbox_id;
        const raw = (p2.changed_attributes ?? []).find((a) => a && 'label_list' in a)?.label_list;
        if (raw === undefined || c.id === undefined || inbox === undefined) return { ignored: 'conversation_update' };
        const change = labelChangeSchema.safeParse(raw);
        if (!change.success) return { invalid: `changed_attributes.label_list.${firstIssue(change.error)}` };
        const before = new Set(change.data.previous_value ?? []);
        const added = (change.data.current_value ?? []).filter((l) => !before.has(l));
        if (!added.length) return { ignored: 'labels_removed' };
        return {
          event: {
            type: 'labels',
            conversationId: c.id,
            inboxId: inbox,
            chatKey: c.contact_inbox?.source_id ?? undefined,
            contactPhone: c.meta?.sender?.phone_number ?? undefined,
            added,
          },
          deliveryKey: `labels:${c.id}:${added.join(',')}:${Date.now()}`,
        };
      });
    default:
      return { ignored: p.event && KNOWN_EVENTS.has(p.event) ? `event_${p.event}` : 'event_unknown' };
  }
}

function read<S extends z.ZodType>(schema: S, body: unknown, then: (data: z.infer<S>) => ParsedWebhook): ParsedWebhook {
  const parsed = schema.safeParse(body);
  return parsed.success ? then(parsed.data) : { invalid: firstIssue(parsed.error) };
}

/** Walks the body without recursion (a hostile depth must not overflow the stack) and stops at `max`. */
function deeperThan(root: object, max: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [value, depth] = stack.pop()!;
    if (depth > max) return true;
    if (value && typeof value === 'object')
      for (const child of Object.values(value)) if (child && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}
