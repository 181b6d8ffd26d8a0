import type { ChatwootStore, EventOrigin } from './store';
import type { Conversation, ConversationStatus, JsonObject, User } from './types';

export const CONVERSATION_STATUSES: readonly ConversationStatus[] = ['open', 'resolved', 'pending', 'snoozed'];
const PER_PAGE = 25;
const CONTACT_CONVERSATIONS_LIMIT = 20;

/** Conversation#create_activity wording; the system variant is used when an incoming message reopens it. */
function statusActivity(status: ConversationStatus, actor: User | null): string {
  if (!actor) return 'System reopened the conversation due to a new incoming message.';
  switch (status) {
    case 'resolved':
      return `Conversation was marked resolved by ${actor.name}`;
    case 'open':
      return `Conversation was reopened by ${actor.name}`;
    case 'pending':
      return `Conversation was marked as pending by ${actor.name}`;
    case 'snoozed':
      return `Conversation was snoozed by ${actor.name}`;
  }
}

/** Activity rows are never sent to webhooks, but they do count for the flood guard and show in listings. */
export function addActivityMessage(store: ChatwootStore, conv: Conversation, content: string): void {
  const ts = store.now();
  const id = store.nextId('message');
  store.messages.set(id, {
    id,
    conversation_display_id: conv.display_id,
    inbox_id: conv.inbox_id,
    content,
    message_type: 'activity',
    content_type: 'text',
    private: false,
    source_id: null,
    echo_id: null,
    content_attributes: {},
    additional_attributes: {},
    status: 'sent',
    created_at: ts,
    updated_at: ts,
    sender_type: null,
    sender_id: null,
    attachments: [],
  });
}

/** Mirrors Conversation's after_update_commit: status_changed, then the activity row, then conversation_updated. */
export function setConversationStatus(
  store: ChatwootStore,
  conv: Conversation,
  status: ConversationStatus,
  actor: User | null,
  origin: EventOrigin,
  snoozedUntil: number | null = null,
): boolean {
  const previous = conv.status;
  const nextSnooze = status === 'snoozed' ? snoozedUntil : null;
  if (previous === status && conv.snoozed_until === nextSnooze) return false;
  conv.status = status;
  conv.snoozed_until = nextSnooze;
  conv.updated_at = store.now();
  const changes = { status: { previous_value: previous, current_value: status } };
  store.emit({ event: 'conversation_status_changed', origin, conversation: conv, changes });
  if (previous !== status) addActivityMessage(store, conv, statusActivity(status, actor));
  store.emit({ event: 'conversation_updated', origin, conversation: conv, changes });
  return true;
}

/** Without an explicit status Chatwoot toggles open <-> resolved; pending and snoozed become open. */
export function toggledStatus(current: ConversationStatus): ConversationStatus {
  return current === 'open' ? 'resolved' : 'open';
}

/** LabelConcern#update_labels replaces the whole list. */
export function setLabels(store: ChatwootStore, conv: Conversation, labels: string[], origin: EventOrigin): void {
  const previous = conv.labels;
  const next = [...new Set(labels.map((l) => l.trim().toLowerCase()).filter((l) => l.length > 0))];
  if (JSON.stringify(previous) === JSON.stringify(next)) return;
  conv.labels = next;
  conv.updated_at = store.now();
  store.emit({
    event: 'conversation_updated',
    origin,
    conversation: conv,
    changes: { label_list: { previous_value: previous, current_value: next } },
  });
}

/** The custom_attributes endpoint assigns the hash: keys not sent are dropped. */
export function setCustomAttributes(store: ChatwootStore, conv: Conversation, attrs: JsonObject, origin: EventOrigin): void {
  const previous = conv.custom_attributes;
  if (JSON.stringify(previous) === JSON.stringify(attrs)) return;
  conv.custom_attributes = { ...attrs };
  conv.updated_at = store.now();
  store.emit({
    event: 'conversation_updated',
    origin,
    conversation: conv,
    changes: { custom_attributes: { previous_value: previous, current_value: attrs } },
  });
}

export interface ConversationQuery {
  inboxId?: number;
  status?: string;
  sourceId?: string;
  labels?: string[];
  page: number;
}

/** ConversationFinder with the default `latest` sort; an unknown status simply matches nothing, as in Rails. */
export function listConversations(store: ChatwootStore, q: ConversationQuery): { count: number; payload: Conversation[] } {
  const status = q.status ?? 'open';
  const matches = [...store.conversations.values()].filter((c) => {
    if (c.deleted) return false;
    if (status !== 'all' && c.status !== status) return false;
    if (q.inboxId !== undefined && c.inbox_id !== q.inboxId) return false;
    if (q.sourceId !== undefined && store.contactInboxOf(c).source_id !== q.sourceId) return false;
    if (q.labels && q.labels.length > 0 && !q.labels.some((l) => c.labels.includes(l))) return false;
    return true;
  });
  matches.sort((a, b) => b.last_activity_at - a.last_activity_at || b.display_id - a.display_id);
  const start = (Math.max(1, q.page) - 1) * PER_PAGE;
  return { count: matches.length, payload: matches.slice(start, start + PER_PAGE) };
}

export function contactConversations(store: ChatwootStore, contactId: number): Conversation[] {
  return [...store.conversations.values()]
    .filter((c) => !c.deleted && c.contact_id === contactId)
    .sort((a, b) => b.last_activity_at - a.last_activity_at || b.display_id - a.display_id)
    .slice(0, CONTACT_CONVERSATIONS_LIMIT);
}

/** ConversationBuilder: a locked inbox hands back the contact_inbox's last conversation, whatever its status. */
export function findOrCreateConversation(
  store: ChatwootStore,
  contactInboxId: number,
  attrs: { status?: ConversationStatus; additional_attributes?: JsonObject; custom_attributes?: JsonObject },
  origin: EventOrigin,
): { conversation: Conversation; created: boolean } {
  const ci = store.contactInboxes.get(contactInboxId);
  if (!ci) throw new Error(`fake bug: contact_inbox ${contactInboxId} vanished`);
  if (store.inbox(ci.inbox_id).lockToSingleConversation) {
    const last = [...store.conversations.values()]
      .filter((c) => c.contact_inbox_id === ci.id && !c.deleted)
      .sort((a, b) => b.display_id - a.display_id)[0];
    if (last) return { conversation: last, created: false };
  }
  return { conversation: store.createConversation(ci, attrs, origin), created: true };
}
