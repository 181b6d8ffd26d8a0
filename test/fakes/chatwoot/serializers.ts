import { MESSAGE_TYPE_CODE } from './types';
import type { ChatwootStore } from './store';
import type { Attachment, Contact, ContactInbox, Conversation, Inbox, JsonObject, Message, User } from './types';

const sec = (ms: number | null): number => (ms === null ? 0 : Math.floor(ms / 1000));
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/**
 * The JSON views Chatwoot renders: jbuilder partials for the REST API, push_event_data for embedded
 * objects, and webhook_data for webhooks. They differ on purpose (integer vs string message_type, unix vs
 * ISO timestamps, sender with or without `type`), which is exactly what a bridge gets wrong.
 */
export class Serializers {
  constructor(
    private readonly store: ChatwootStore,
    private readonly baseUrl: () => string,
  ) {}

  inboxSlim(inbox: Inbox): JsonObject {
    return { id: inbox.id, avatar_url: '', channel_id: inbox.id, name: inbox.name, channel_type: 'Channel::Api', provider: null };
  }

  /** contacts/create.json.jbuilder renders `json.inbox @contact_inbox.inbox`: the raw model, not the slim partial. */
  inboxRecord(inbox: Inbox): JsonObject {
    return {
      id: inbox.id,
      channel_id: inbox.id,
      account_id: this.store.accountId,
      name: inbox.name,
      created_at: iso(this.store.bootedAt),
      updated_at: iso(this.store.bootedAt),
      channel_type: 'Channel::Api',
      enable_auto_assignment: true,
      greeting_enabled: false,
      greeting_message: null,
      email_address: null,
      enable_email_collect: true,
      csat_survey_enabled: false,
      allow_messages_after_resolved: true,
      auto_assignment_config: {},
      lock_to_single_conversation: inbox.lockToSingleConversation,
      portal_id: null,
      sender_name_type: 'friendly',
      business_name: null,
    };
  }

  contactInbox(ci: ContactInbox): JsonObject {
    return { source_id: ci.source_id, inbox: this.inboxSlim(this.store.inbox(ci.inbox_id)) };
  }

  /** api/v1/models/_contact.json.jbuilder */
  contact(c: Contact, withContactInboxes: boolean): JsonObject {
    const out: JsonObject = {
      additional_attributes: c.additional_attributes,
      availability_status: 'offline',
      email: c.email,
      id: c.id,
      name: c.name,
      phone_number: c.phone_number,
      blocked: c.blocked,
      identifier: c.identifier,
      thumbnail: c.avatar_url,
      custom_attributes: c.custom_attributes,
    };
    if (c.last_activity_at !== null) out.last_activity_at = sec(c.last_activity_at);
    out.created_at = sec(c.created_at);
    if (withContactInboxes) out.contact_inboxes = this.store.contactInboxesOf(c.id).map((ci) => this.contactInbox(ci));
    return out;
  }

  contactPush(c: Contact): JsonObject {
    return {
      additional_attributes: c.additional_attributes,
      custom_attributes: c.custom_attributes,
      email: c.email,
      id: c.id,
      identifier: c.identifier,
      name: c.name,
      phone_number: c.phone_number,
      thumbnail: c.avatar_url,
      blocked: c.blocked,
      type: 'contact',
    };
  }

  /** Contact#webhook_data has no `type` key: that is how a bridge tells a contact sender from a user. */
  contactWebhook(c: Contact): JsonObject {
    return {
      account: this.account(),
      additional_attributes: c.additional_attributes,
      avatar: c.avatar_url,
      custom_attributes: c.custom_attributes,
      email: c.email,
      id: c.id,
      identifier: c.identifier,
      name: c.name,
      phone_number: c.phone_number,
      thumbnail: c.avatar_url,
      blocked: c.blocked,
    };
  }

  userPush(u: User): JsonObject {
    return { id: u.id, name: u.name, available_name: u.name, avatar_url: '', type: 'user', availability_status: 'online', thumbnail: '' };
  }

  userWebhook(u: User): JsonObject {
    return { id: u.id, name: u.name, email: u.email, type: 'user' };
  }

  account(): JsonObject {
    return { id: this.store.accountId, name: this.store.accountName };
  }

  /** Attachment#push_event_data; data_url points at the fake's ActiveStorage redirect route. */
  attachment(a: Attachment): JsonObject {
    const dataUrl = `${this.baseUrl()}/rails/active_storage/blobs/redirect/${a.signed_id}/${encodeURIComponent(a.filename)}`;
    return {
      id: a.id,
      message_id: a.message_id,
      file_type: a.file_type,
      account_id: this.store.accountId,
      extension: a.extension,
      content_type: a.content_type,
      data_url: dataUrl,
      thumb_url: a.file_type === 'image' ? dataUrl : '',
      file_size: a.file_size,
      width: null,
      height: null,
    };
  }

  private sender(m: Message): { push: JsonObject; webhook: JsonObject } | null {
    if (m.sender_type === 'Contact' && m.sender_id !== null) {
      const c = this.store.contacts.get(m.sender_id);
      return c ? { push: this.contactPush(c), webhook: this.contactWebhook(c) } : null;
    }
    if (m.sender_type === 'User') {
      const u = m.sender_id === this.store.agentUser.id ? this.store.agentUser : this.store.apiUser;
      return { push: this.userPush(u), webhook: this.userWebhook(u) };
    }
    return null;
  }

  /** Message#push_event_data: model attributes plus integer message_type and the display id. */
  messagePush(m: Message): JsonObject {
    const conv = this.store.conversations.get(m.conversation_display_id);
    const out: JsonObject = {
      id: m.id,
      content: m.content,
      account_id: this.store.accountId,
      inbox_id: m.inbox_id,
      conversation_id: m.conversation_display_id,
      message_type: MESSAGE_TYPE_CODE[m.message_type],
      created_at: sec(m.created_at),
      updated_at: iso(m.updated_at),
      private: m.private,
      status: m.status,
      source_id: m.source_id,
      content_type: m.content_type,
      content_attributes: m.content_attributes,
      sender_type: m.sender_type,
      sender_id: m.sender_id,
      external_source_ids: {},
      additional_attributes: m.additional_attributes,
      processed_message_content: m.content,
      sentiment: {},
      conversation: conv
        ? {
            assignee_id: null,
            unread_count: this.unreadCount(conv),
            last_activity_at: sec(conv.last_activity_at),
            contact_inbox: { source_id: this.store.contactInboxOf(conv).source_id },
          }
        : null,
    };
    if (m.echo_id) out.echo_id = m.echo_id;
    if (m.attachments.length > 0) out.attachments = m.attachments.map((a) => this.attachment(a));
    const sender = this.sender(m);
    if (sender) out.sender = sender.push;
    return out;
  }

  /** api/v1/models/_message.json.jbuilder: what POST/GET/PATCH …/messages answer. */
  message(m: Message): JsonObject {
    const out: JsonObject = { id: m.id, content: m.content, inbox_id: m.inbox_id };
    if (m.echo_id) out.echo_id = m.echo_id;
    Object.assign(out, {
      conversation_id: m.conversation_display_id,
      message_type: MESSAGE_TYPE_CODE[m.message_type],
      content_type: m.content_type,
      status: m.status,
      content_attributes: m.content_attributes,
      created_at: sec(m.created_at),
      private: m.private,
      source_id: m.source_id,
    });
    const sender = this.sender(m);
    if (sender) out.sender = sender.push;
    // The partial renders attachments only when there are some.
    if (m.attachments.length > 0) out.attachments = m.attachments.map((a) => this.attachment(a));
    return out;
  }

  private unreadCount(conv: Conversation): number {
    return this.store.messagesOf(conv.display_id).filter((m) => m.message_type === 'incoming').length;
  }

  private lastMessage(conv: Conversation, chatOnly: boolean): Message | undefined {
    const all = this.store.messagesOf(conv.display_id);
    const pick = all.filter((m) => m.message_type !== 'activity' && (!chatOnly || !m.private));
    return pick[pick.length - 1];
  }

  /** api/v1/conversations/partials/_conversation.json.jbuilder (create/show/list responses). */
  conversation(conv: Conversation): JsonObject {
    const contact = this.store.contact(conv.contact_id);
    const all = this.store.messagesOf(conv.display_id);
    const last = all[all.length - 1];
    const lastNonActivity = this.lastMessage(conv, false);
    return {
      meta: { sender: this.contact(contact, false), channel: 'Channel::Api', hmac_verified: false },
      id: conv.display_id,
      messages: last ? [this.messagePush(last)] : [],
      account_id: this.store.accountId,
      uuid: conv.uuid,
      additional_attributes: conv.additional_attributes,
      agent_last_seen_at: sec(conv.agent_last_seen_at ?? null) ?? 0,
      assignee_last_seen_at: 0,
      can_reply: true,
      contact_last_seen_at: 0,
      custom_attributes: conv.custom_attributes,
      inbox_id: conv.inbox_id,
      labels: conv.labels,
      muted: false,
      snoozed_until: conv.snoozed_until,
      status: conv.status,
      created_at: sec(conv.created_at),
      updated_at: conv.updated_at / 1000,
      timestamp: sec(conv.last_activity_at),
      first_reply_created_at: sec(conv.first_reply_created_at),
      unread_count: this.unreadCount(conv),
      last_non_activity_message: lastNonActivity ? this.messagePush(lastNonActivity) : null,
      last_activity_at: sec(conv.last_activity_at),
      priority: conv.priority,
      waiting_since: sec(conv.waiting_since),
      sla_policy_id: null,
    };
  }

  /** Conversations::EventDataPresenter#push_data, the `conversation` of every webhook. */
  conversationWebhook(conv: Conversation): JsonObject {
    const contact = this.store.contact(conv.contact_id);
    const ci = this.store.contactInboxOf(conv);
    const last = this.lastMessage(conv, true);
    return {
      additional_attributes: conv.additional_attributes,
      can_reply: true,
      channel: 'Channel::Api',
      contact_inbox: {
        id: ci.id,
        contact_id: ci.contact_id,
        inbox_id: ci.inbox_id,
        source_id: ci.source_id,
        created_at: iso(ci.created_at),
        updated_at: iso(ci.updated_at),
        hmac_verified: ci.hmac_verified,
        pubsub_token: ci.pubsub_token,
      },
      id: conv.display_id,
      inbox_id: conv.inbox_id,
      messages: last ? [this.messagePush(last)] : [],
      labels: conv.labels,
      meta: { sender: this.contactPush(contact), assignee: null, assignee_type: null, team: null, hmac_verified: false },
      status: conv.status,
      custom_attributes: conv.custom_attributes,
      snoozed_until: conv.snoozed_until,
      unread_count: this.unreadCount(conv),
      first_reply_created_at: iso(conv.first_reply_created_at),
      priority: conv.priority,
      waiting_since: sec(conv.waiting_since),
      agent_last_seen_at: sec(conv.agent_last_seen_at ?? null) ?? 0,
      contact_last_seen_at: 0,
      last_activity_at: sec(conv.last_activity_at),
      timestamp: sec(conv.last_activity_at),
      created_at: sec(conv.created_at),
      updated_at: conv.updated_at / 1000,
    };
  }

  /** Message#webhook_data: string message_type, ISO created_at, and no status field. */
  messageWebhook(m: Message): JsonObject {
    const conv = this.store.conversations.get(m.conversation_display_id);
    const inbox = this.store.inbox(m.inbox_id);
    const out: JsonObject = {
      account: this.account(),
      additional_attributes: m.additional_attributes,
      content_attributes: m.content_attributes,
      content_type: m.content_type,
      content: m.content,
      conversation: conv ? this.conversationWebhook(conv) : null,
      created_at: iso(m.created_at),
      id: m.id,
      inbox: { id: inbox.id, name: inbox.name },
      message_type: m.message_type,
      private: m.private,
      sender: this.sender(m)?.webhook ?? null,
      source_id: m.source_id,
    };
    if (m.attachments.length > 0) out.attachments = m.attachments.map((a) => this.attachment(a));
    return out;
  }
}
