import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Router } from 'express';
import { ActionCableFake } from '../actioncable';
import type { ActionCableFakeOptions } from '../actioncable';
import { authMiddleware, createExpressApp, errorHandler, frontMiddleware, notFoundHandler } from './app';
import type { FakeContext } from './app';
import { setConversationStatus, setLabels } from './conversations';
import { FaultRegistry } from './faults';
import type { FaultHandle, FaultMatch, FaultSpec } from './faults';
import { createMessage, deleteMessage, updateMessageStatus } from './messages';
import { OpenApiValidator } from './openapi-validator';
import { contactsRouter } from './routes-contacts';
import { conversationsRouter } from './routes-conversations';
import { messagesRouter } from './routes-messages';
import { inboxesRouter } from './routes-inboxes';
import { profileRouter } from './routes-profile';
import { storageRouter } from './routes-storage';
import { Serializers } from './serializers';
import { ChatwootStore } from './store';
import type { DomainEvent } from './store';
import { summarize } from './summary';
import { WebhookDispatcher, signatureHeaders } from './webhooks';
import type { DeliveryFailure } from './webhooks';
import type {
  ChatwootFakeOptions,
  Contact,
  ContactInbox,
  Conversation,
  ConversationStatus,
  ConversationView,
  Inbox,
  JsonObject,
  Message,
  MessageView,
  Rejection,
  RequestLogEntry,
  UploadedFile,
  WebhookConfig,
  WebhookDelivery,
} from './types';

export type { FaultHandle, FaultMatch, FaultSpec } from './faults';
export { OpenApiValidator, SPEC_PATCHES, RESPONSE_OVERRIDES } from './openapi-validator';
export { signatureHeaders } from './webhooks';
export * from './types';

export interface AgentMessageOptions {
  content?: string;
  private?: boolean;
  attachments?: UploadedFile[];
  /** Chatwoot message id being quoted. */
  inReplyTo?: number;
  messageType?: 'outgoing' | 'template';
}

const sec = (ms: number | null): number | null => (ms === null ? null : Math.floor(ms / 1000));

/**
 * A strict, in-memory Chatwoot 4.13 application API over real HTTP, plus the agent side (replies, deletions,
 * webhooks) for the Chatwoot -> WhatsApp direction. Inspection helpers return copies with unix-second timestamps.
 */
export class ChatwootFake {
  readonly accountId: number;
  readonly apiToken: string;
  private readonly store: ChatwootStore;
  private readonly faultRegistry = new FaultRegistry();
  private readonly webhooks: WebhookDispatcher;
  private readonly ctx: FakeContext;
  private readonly emitApiEvents: boolean;
  private server: Server | undefined;
  private url = '';
  private cableFake: ActionCableFake | undefined;

  constructor(opts: ChatwootFakeOptions = {}) {
    this.accountId = opts.accountId ?? 1;
    this.apiToken = opts.apiToken ?? 'cw-test-token';
    this.emitApiEvents = opts.emitApiEvents ?? true;
    this.store = new ChatwootStore(this.accountId, opts.inboxes ?? [{ id: 1 }], opts.now ?? Date.now);
    this.store.listener = (e) => this.onDomainEvent(e);
    this.webhooks = new WebhookDispatcher(opts.webhook, opts.webhookTimeoutMs ?? 5000, (f) => this.onDeliveryFailure(f));
    this.setInboxWebhookUrl(opts.webhook?.url);
    this.ctx = {
      store: this.store,
      ser: new Serializers(this.store, () => opts.frontendUrl ?? this.url),
      validator: OpenApiValidator.shared(),
      faults: this.faultRegistry,
      accountId: this.accountId,
      apiToken: this.apiToken,
      supportsStatusUpdate: opts.supportsStatusUpdate ?? true,
      storageUrl: opts.storageUrl,
      log: [],
      rejections: [],
      hung: new Set(),
    };
  }

  get baseUrl(): string {
    return this.url;
  }

  async start(port = 0): Promise<string> {
    if (this.server) return this.url;
    const app = createExpressApp();
    app.use(...frontMiddleware(this.ctx));
    app.use(storageRouter(this.ctx));
    const api = Router();
    api.use(authMiddleware(this.ctx));
    api.use(profileRouter(this.ctx));
    api.use('/accounts/:aid', contactsRouter(this.ctx), conversationsRouter(this.ctx), messagesRouter(this.ctx), inboxesRouter(this.ctx));
    app.use('/api/v1', api);
    app.use(notFoundHandler());
    app.use(errorHandler(this.ctx));
    const server = createServer(app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.cableFake?.attach(server);
    this.webhooks.open();
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    this.webhooks.close();
    this.cableFake?.dropAll();
    for (const res of this.ctx.hung) res.socket?.destroy();
    this.ctx.hung.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await this.webhooks.idle();
  }

  /** Forgets all data, logs, faults and webhook history; the server keeps running on the same port. */
  reset(): void {
    this.store.reset();
    this.faultRegistry.clear();
    this.ctx.log.length = 0;
    this.ctx.rejections.length = 0;
    this.webhooks.reset();
  }

  contacts(): Contact[] {
    return [...this.store.contacts.values()].map((c) => ({
      ...structuredClone(c),
      created_at: sec(c.created_at) as number,
      last_activity_at: sec(c.last_activity_at),
    }));
  }

  contactInboxes(): ContactInbox[] {
    return [...this.store.contactInboxes.values()].map((ci) => ({
      ...ci,
      created_at: sec(ci.created_at) as number,
      updated_at: sec(ci.updated_at) as number,
    }));
  }

  conversations(): ConversationView[] {
    return [...this.store.conversations.values()].map((c) => this.conversationView(c));
  }

  messages(conversationDisplayId?: number): MessageView[] {
    const all = [...this.store.messages.values()].sort((a, b) => a.id - b.id);
    return all
      .filter((m) => conversationDisplayId === undefined || m.conversation_display_id === conversationDisplayId)
      .map((m) => this.messageView(m));
  }

  /** Cheap count of stored messages (benchmarks poll it; `messages()` copies everything). */
  messageCount(): number {
    return this.store.messages.size;
  }

  /** Cheap count of requests received (benchmarks compare it with the messages created). */
  requestCount(): number {
    return this.ctx.log.length;
  }

  requests(): RequestLogEntry[] {
    return this.ctx.log.map((e) => structuredClone(e));
  }

  rejections(): Rejection[] {
    return this.ctx.rejections.map((r) => structuredClone(r));
  }

  summary(): string {
    return summarize(this.store);
  }

  fault(match: FaultMatch, f: FaultSpec): FaultHandle {
    return this.faultRegistry.add(match, f);
  }

  clearFaults(): void {
    this.faultRegistry.clear();
  }

  /** An agent reply typed in the Chatwoot UI; resolves after its webhook(s) were delivered (or failed). */
  async agentMessage(conversationDisplayId: number, opts: AgentMessageOptions): Promise<MessageView> {
    const conv = this.store.conversation(conversationDisplayId);
    const message = createMessage(
      this.store,
      conv,
      {
        content: opts.content ?? null,
        private: opts.private ?? false,
        message_type: opts.messageType ?? 'outgoing',
        attachments: opts.attachments ?? [],
        content_attributes: opts.inReplyTo === undefined ? {} : { in_reply_to: opts.inReplyTo },
      },
      this.store.agentUser,
      'agent',
      true,
    );
    await this.webhooks.idle();
    return this.messageView(message);
  }

  /** An agent deleting a message in the UI (fires message_updated with content_attributes.deleted). */
  async deleteMessage(conversationDisplayId: number, messageId: number): Promise<MessageView> {
    const conv = this.store.conversation(conversationDisplayId);
    const message = deleteMessage(this.store, this.store.message(conv, messageId), 'agent');
    await this.webhooks.idle();
    return this.messageView(message);
  }

  /** An agent changing the status in the UI (resolve, reopen…). */
  async agentSetStatus(conversationDisplayId: number, status: ConversationStatus): Promise<ConversationView> {
    const conv = this.store.conversation(conversationDisplayId);
    setConversationStatus(this.store, conv, status, this.store.agentUser, 'agent');
    await this.webhooks.idle();
    return this.conversationView(conv);
  }

  /**
   * An agent opening the conversation in the web app (`POST …/update_last_seen`): Chatwoot only stores
   * agent_last_seen_at (update_columns: no webhook, no event).
   */
  agentRead(conversationDisplayId: number): ConversationView {
    const conv = this.store.conversation(conversationDisplayId);
    conv.agent_last_seen_at = this.store.now();
    return this.conversationView(conv);
  }

  /** An agent setting the conversation's labels in the UI (the whole list, like Chatwoot). */
  async agentSetLabels(conversationDisplayId: number, labels: string[]): Promise<ConversationView> {
    const conv = this.store.conversation(conversationDisplayId);
    setLabels(this.store, conv, labels, 'agent');
    await this.webhooks.idle();
    return this.conversationView(conv);
  }

  /** An admin deleting the conversation: its URLs answer 404 from now on; display ids are not reused. */
  deleteConversation(conversationDisplayId: number): void {
    this.store.conversation(conversationDisplayId).deleted = true;
  }

  /**
   * Chatwoot's ActionCable endpoint (`/cable`) on this server: the API user (profile's pubsub_token and id)
   * may subscribe to RoomChannel, and every message and conversation event is broadcast to it as
   * ActionCableListener does (push_event_data, integer message_type, account_id). Created on first call.
   */
  cable(opts: Omit<ActionCableFakeOptions, 'authorize'> = {}): ActionCableFake {
    if (!this.cableFake) {
      this.cableFake = new ActionCableFake({
        ...opts,
        authorize: (p) =>
          p.pubsub_token === this.store.apiUserPubsubToken &&
          Number(p.user_id) === this.store.apiUser.id &&
          Number(p.account_id) === this.accountId,
        // RoomChannel#subscribed looks the user up with find_by!(pubsub_token:, id:): a stale token raises,
        // and ActionCable answers nothing (app/channels/room_channel.rb), never reject_subscription.
        refusal: 'silence',
        // RoomChannel#broadcast_presence: the subscriber's own stream hears who is online right away.
        onSubscribed: () => ({
          event: 'presence.update',
          data: { account_id: this.accountId, users: { [this.store.apiUser.id]: 'online' }, contacts: {} },
        }),
      });
      if (this.server) this.cableFake.attach(this.server);
    }
    return this.cableFake;
  }

  /** The API inboxes' Channel::Api#webhook_url: one webhook serves those the fake was built with. */
  private setInboxWebhookUrl(url: string | undefined): void {
    for (const inbox of this.store.inboxes.values()) if (inbox.channelType === 'Channel::Api' && !inbox.ownWebhook) inbox.webhookUrl = url;
  }

  /** The account's inboxes as an administrator sees them (created ones included, with their secret). */
  inboxes(): Inbox[] {
    return [...this.store.inboxes.values()].map((i) => ({ ...i }));
  }

  /**
   * The API user changes its password: Chatwoot's Pubsubable concern gives it a new pubsub_token
   * (`will_save_change_to_encrypted_password?`), so subscriptions with the old one hear nothing.
   */
  rotatePubsubToken(): string {
    this.store.apiUserPubsubToken = `pubsub-${randomUUID().replace(/-/g, '').slice(0, 20)}`;
    return this.store.apiUserPubsubToken;
  }

  /** Sets (or removes) the inbox webhook after construction, e.g. once the bridge's port is known. */
  setWebhook(webhook: WebhookConfig | undefined): void {
    this.webhooks.configure(webhook);
    this.setInboxWebhookUrl(webhook?.url);
  }

  redeliverLastWebhook(event = 'message_created'): Promise<WebhookDelivery> {
    return this.webhooks.redeliver(event);
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.webhooks.deliveries();
  }

  sendRawWebhook(body: unknown, headers: Record<string, string> = {}): Promise<WebhookDelivery> {
    return this.webhooks.sendRaw(body, headers);
  }

  /** Resolves when every queued webhook has been delivered or has failed. */
  webhooksIdle(): Promise<void> {
    return this.webhooks.idle();
  }

  /** Signature headers for a raw body, with the configured secret (for sendRawWebhook tests). */
  signWebhook(rawBody: string, secret: string, timestamp?: number): Record<string, string> {
    return signatureHeaders(secret, rawBody, timestamp);
  }

  private onDomainEvent(e: DomainEvent): void {
    this.broadcastToCable(e);
    const inbox = this.store.inboxes.get('message' in e ? e.message.inbox_id : e.conversation.inbox_id);
    const own = inbox?.ownWebhook && inbox.webhookUrl ? { url: inbox.webhookUrl, secret: inbox.secret } : undefined;
    if ((!this.webhooks.enabled && !own) || (e.origin === 'api' && !this.emitApiEvents)) return;
    const ser = this.ctx.ser;
    let payload: JsonObject;
    if ('message' in e) {
      // Activity messages are not webhook_sendable; private notes are.
      if (e.message.message_type === 'activity') return;
      payload = { ...ser.messageWebhook(e.message), event: e.event };
    } else if ('user' in e) {
      payload = {
        event: e.event,
        user: ser.userWebhook(e.user),
        conversation: ser.conversationWebhook(e.conversation),
        is_private: e.isPrivate,
      };
    } else {
      payload = { ...ser.conversationWebhook(e.conversation), event: e.event };
      if (e.changes) payload.changed_attributes = Object.entries(e.changes).map(([k, v]) => ({ [k]: v }));
    }
    void this.webhooks.enqueue(e.event, payload, e.origin === 'webhook_failure', own);
  }

  /** ActionCableListener: `message.created` etc. with push_event_data, for every message (private and activity too). */
  private broadcastToCable(e: DomainEvent): void {
    if (!this.cableFake) return;
    const ser = this.ctx.ser;
    const event = e.event.replace('_', '.');
    let data: JsonObject;
    if ('message' in e) data = ser.messagePush(e.message);
    else if ('user' in e)
      data = { conversation: ser.conversationWebhook(e.conversation), user: ser.userPush(e.user), is_private: e.isPrivate };
    else data = ser.conversationWebhook(e.conversation);
    // ActionCableListener broadcasts to the users' current pubsub_tokens: a subscription streaming from a
    // token the user no longer has hears nothing more.
    this.cableFake.broadcast(event, { ...data, account_id: this.accountId }, (p) => p.pubsub_token === this.store.apiUserPubsubToken);
  }

  /**
   * Webhooks::Trigger marks the message failed with the exception text. That update emits message_updated; if
   * that delivery fails too we stop there instead of looping (Rails stops once nothing changes).
   */
  private onDeliveryFailure(f: DeliveryFailure): void {
    const message = this.store.messages.get(Number(f.payload.id));
    if (!message) return;
    if (f.cascade) {
      message.status = 'failed';
      message.content_attributes = { ...message.content_attributes, external_error: f.error };
      return;
    }
    updateMessageStatus(this.store, message, 'failed', f.error, 'webhook_failure');
  }

  private conversationView(c: Conversation): ConversationView {
    return {
      id: c.display_id,
      inbox_id: c.inbox_id,
      contact_id: c.contact_id,
      contact_inbox_id: c.contact_inbox_id,
      source_id: this.store.contactInboxOf(c).source_id,
      status: c.status,
      labels: [...c.labels],
      custom_attributes: structuredClone(c.custom_attributes),
      additional_attributes: structuredClone(c.additional_attributes),
      created_at: sec(c.created_at) as number,
      last_activity_at: sec(c.last_activity_at) as number,
      deleted: c.deleted,
    };
  }

  private messageView(m: Message): MessageView {
    return {
      id: m.id,
      conversation_id: m.conversation_display_id,
      inbox_id: m.inbox_id,
      content: m.content,
      message_type: m.message_type,
      content_type: m.content_type,
      private: m.private,
      source_id: m.source_id,
      echo_id: m.echo_id,
      content_attributes: structuredClone(m.content_attributes),
      status: m.status,
      created_at: sec(m.created_at) as number,
      sender_type: m.sender_type,
      sender_id: m.sender_id,
      attachments: m.attachments.map((a) => ({
        id: a.id,
        file_type: a.file_type,
        content_type: a.content_type,
        filename: a.filename,
        file_size: a.file_size,
        data: Buffer.from(a.data),
      })),
    };
  }
}
