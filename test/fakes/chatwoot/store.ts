import { randomUUID } from 'node:crypto';
import { notFound, recordInvalid } from './errors';
import type { Contact, ContactInbox, Conversation, ConversationStatus, Inbox, InboxConfig, JsonObject, Message, User } from './types';

/** Who caused a change: the dispatcher drops 'api' events when emitApiEvents is off. */
export type EventOrigin = 'api' | 'agent' | 'system' | 'webhook_failure';
export type Changes = Record<string, { previous_value: unknown; current_value: unknown }>;

export type DomainEvent =
  | { event: 'message_created' | 'message_updated'; origin: EventOrigin; message: Message }
  | {
      event: 'conversation_created' | 'conversation_updated' | 'conversation_status_changed';
      origin: EventOrigin;
      conversation: Conversation;
      changes?: Changes;
    }
  | {
      event: 'conversation_typing_on' | 'conversation_typing_off';
      origin: EventOrigin;
      conversation: Conversation;
      user: User;
      isPrivate: boolean;
    };

export interface ContactInput {
  name?: string;
  email?: string | null;
  phone_number?: string | null;
  identifier?: string | null;
  blocked?: boolean;
  avatar_url?: string;
  additional_attributes?: JsonObject;
  custom_attributes?: JsonObject;
}

const E164 = /^\+[1-9]\d{1,14}$/;
// Devise.email_regexp, which Contact validates emails with.
const EMAIL = /^[^@\s]+@[^@\s]+$/;

/**
 * In-memory state of one Chatwoot account. Ids start at different offsets so a bridge that mixes up
 * a contact id, a conversation display id and a message id fails loudly instead of passing by luck.
 */
export class ChatwootStore {
  readonly accountName = 'Acme';
  readonly apiUser: User = { id: 1, name: 'Ponte Integration', email: 'ponte@acme.test' };
  /** The API user's ActionCable token (GET /api/v1/profile); Chatwoot replaces it when the password changes. */
  apiUserPubsubToken = 'pubsub-ponte-integration';
  readonly agentUser: User = { id: 2, name: 'Jane Agent', email: 'jane@acme.test' };
  readonly inboxes = new Map<number, Inbox>();
  contacts = new Map<number, Contact>();
  contactInboxes = new Map<number, ContactInbox>();
  conversations = new Map<number, Conversation>();
  messages = new Map<number, Message>();
  /** Timestamps of recent contacts/search calls, for Rack::Attack's 100/min per account. */
  searchTimes: number[] = [];
  private seq = { contact: 10, contactInbox: 50, conversation: 0, message: 1000, attachment: 500 };
  listener: (e: DomainEvent) => void = () => undefined;

  /** Creation time of the account's inboxes and users. */
  readonly bootedAt: number;

  constructor(
    readonly accountId: number,
    inboxes: InboxConfig[],
    readonly now: () => number,
  ) {
    this.bootedAt = now();
    for (const i of inboxes) {
      this.inboxes.set(i.id, {
        id: i.id,
        name: i.name ?? `WhatsApp ${i.id}`,
        lockToSingleConversation: i.lockToSingleConversation ?? false,
        channelType: i.channelType ?? 'Channel::Api',
      });
    }
  }

  reset(): void {
    this.contacts = new Map();
    this.contactInboxes = new Map();
    this.conversations = new Map();
    this.messages = new Map();
    this.searchTimes = [];
    this.seq = { contact: 10, contactInbox: 50, conversation: 0, message: 1000, attachment: 500 };
  }

  nextId(kind: keyof ChatwootStore['seq']): number {
    this.seq[kind] += 1;
    return this.seq[kind];
  }

  emit(e: DomainEvent): void {
    this.listener(e);
  }

  inbox(id: unknown): Inbox {
    const inbox = this.inboxes.get(Number(id));
    if (!inbox) throw notFound(`inbox ${String(id)} does not exist in account ${this.accountId}`);
    return inbox;
  }

  contact(id: unknown): Contact {
    const contact = this.contacts.get(Number(id));
    if (!contact) throw notFound(`contact ${String(id)} does not exist`);
    return contact;
  }

  contactInboxesOf(contactId: number): ContactInbox[] {
    return [...this.contactInboxes.values()].filter((ci) => ci.contact_id === contactId);
  }

  /** Contacts#create: the contact and (with inbox_id) its contact_inbox are created together or not at all. */
  createContact(input: ContactInput, inboxId?: unknown, sourceId?: string | null): { contact: Contact; contactInbox: ContactInbox | null } {
    const inbox = inboxId === undefined || inboxId === null ? null : this.inbox(inboxId);
    const attrs = this.normalizeContact(input, null);
    if (inbox && sourceId) this.assertSourceIdFree(inbox.id, sourceId, null);
    const ts = this.now();
    const contact: Contact = {
      id: this.nextId('contact'),
      name: attrs.name ?? '',
      email: attrs.email ?? null,
      phone_number: attrs.phone_number ?? null,
      identifier: attrs.identifier ?? null,
      blocked: attrs.blocked ?? false,
      avatar_url: attrs.avatar_url ?? '',
      additional_attributes: attrs.additional_attributes ?? {},
      custom_attributes: attrs.custom_attributes ?? {},
      created_at: ts,
      last_activity_at: null,
    };
    this.contacts.set(contact.id, contact);
    const contactInbox = inbox ? this.ensureContactInbox(contact, inbox, sourceId ?? null) : null;
    return { contact, contactInbox };
  }

  /** Contacts#update merges the two attribute hashes instead of replacing them. */
  updateContact(id: unknown, input: ContactInput): Contact {
    const contact = this.contact(id);
    const attrs = this.normalizeContact(input, contact.id);
    const { additional_attributes, custom_attributes, ...scalars } = attrs;
    Object.assign(contact, scalars);
    if (additional_attributes) contact.additional_attributes = { ...contact.additional_attributes, ...additional_attributes };
    if (custom_attributes) contact.custom_attributes = { ...contact.custom_attributes, ...custom_attributes };
    return contact;
  }

  /** ContactInboxBuilder: first_or_create on (contact, inbox, source_id); API inboxes get a UUID when none is given. */
  ensureContactInbox(contact: Contact, inbox: Inbox, sourceId: string | null): ContactInbox {
    const source = sourceId && sourceId.length > 0 ? sourceId : randomUUID();
    const existing = [...this.contactInboxes.values()].find(
      (ci) => ci.contact_id === contact.id && ci.inbox_id === inbox.id && ci.source_id === source,
    );
    if (existing) return existing;
    this.assertSourceIdFree(inbox.id, source, contact.id);
    const ts = this.now();
    const ci: ContactInbox = {
      id: this.nextId('contactInbox'),
      contact_id: contact.id,
      inbox_id: inbox.id,
      source_id: source,
      hmac_verified: false,
      pubsub_token: randomUUID().replace(/-/g, '').slice(0, 24),
      created_at: ts,
      updated_at: ts,
    };
    this.contactInboxes.set(ci.id, ci);
    return ci;
  }

  /** The unique (inbox_id, source_id) index: API inboxes have no remap logic, so a clash is an error. */
  private assertSourceIdFree(inboxId: number, sourceId: string, contactId: number | null): void {
    const clash = [...this.contactInboxes.values()].find(
      (ci) => ci.inbox_id === inboxId && ci.source_id === sourceId && ci.contact_id !== contactId,
    );
    if (clash) {
      throw recordInvalid(['Source has already been taken'], ['source_id'], 'conflict');
    }
  }

  private normalizeContact(input: ContactInput, selfId: number | null): ContactInput {
    const out: ContactInput = { ...input };
    for (const key of ['email', 'phone_number', 'identifier'] as const) {
      if (key in out && (out[key] === '' || out[key] === undefined)) out[key] = null;
    }
    if (typeof out.email === 'string') out.email = out.email.toLowerCase();
    const messages: string[] = [];
    const attributes: string[] = [];
    const fail = (attr: string, msg: string) => {
      messages.push(msg);
      attributes.push(attr);
    };
    if (typeof out.name === 'string' && out.name.length > 255) fail('name', 'Name is too long (maximum is 255 characters)');
    if (typeof out.phone_number === 'string' && !E164.test(out.phone_number)) fail('phone_number', 'Phone number should be in e164 format');
    if (typeof out.email === 'string') {
      if (!EMAIL.test(out.email)) fail('email', 'Email Invalid email');
      else if (this.findOther(selfId, (c) => c.email === out.email)) fail('email', 'Email has already been taken');
    }
    if (typeof out.identifier === 'string' && this.findOther(selfId, (c) => c.identifier === out.identifier)) {
      fail('identifier', 'Identifier has already been taken');
    }
    if (messages.length > 0) {
      throw recordInvalid(messages, attributes, messages.some((m) => m.endsWith('has already been taken')) ? 'conflict' : 'validation');
    }
    return out;
  }

  private findOther(selfId: number | null, pred: (c: Contact) => boolean): Contact | undefined {
    return [...this.contacts.values()].find((c) => c.id !== selfId && pred(c));
  }

  /** The display id is what every URL and payload calls `conversation.id`. */
  conversation(displayId: unknown): Conversation {
    const conv = this.conversations.get(Number(displayId));
    if (!conv || conv.deleted) throw notFound(`conversation ${String(displayId)} does not exist`);
    return conv;
  }

  message(conv: Conversation, messageId: unknown): Message {
    const msg = this.messages.get(Number(messageId));
    if (!msg || msg.conversation_display_id !== conv.display_id) {
      throw notFound(`message ${String(messageId)} is not in conversation ${conv.display_id}`);
    }
    return msg;
  }

  messagesOf(displayId: number): Message[] {
    return [...this.messages.values()].filter((m) => m.conversation_display_id === displayId).sort((a, b) => a.id - b.id);
  }

  contactInboxOf(conv: Conversation): ContactInbox {
    const ci = this.contactInboxes.get(conv.contact_inbox_id);
    if (!ci) throw new Error(`fake bug: conversation ${conv.display_id} lost its contact_inbox`);
    return ci;
  }

  createConversation(
    ci: ContactInbox,
    attrs: { status?: ConversationStatus; additional_attributes?: JsonObject; custom_attributes?: JsonObject },
    origin: EventOrigin,
  ): Conversation {
    const contact = this.contact(ci.contact_id);
    const ts = this.now();
    const conv: Conversation = {
      display_id: this.nextId('conversation'),
      uuid: randomUUID(),
      inbox_id: ci.inbox_id,
      contact_id: ci.contact_id,
      contact_inbox_id: ci.id,
      // No agent bot exists in the fake, so the default is open unless the contact is blocked.
      status: attrs.status ?? (contact.blocked ? 'resolved' : 'open'),
      snoozed_until: null,
      labels: [],
      custom_attributes: attrs.custom_attributes ?? {},
      additional_attributes: attrs.additional_attributes ?? {},
      priority: null,
      created_at: ts,
      updated_at: ts,
      last_activity_at: ts,
      first_reply_created_at: null,
      waiting_since: ts,
      deleted: false,
    };
    this.conversations.set(conv.display_id, conv);
    this.emit({ event: 'conversation_created', origin, conversation: conv });
    return conv;
  }
}
