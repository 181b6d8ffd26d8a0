import type { ChatTarget } from '../core/ports';
import { phoneVariants } from '../core/phone-variants';
import type { ConversationCache, ConversationRef } from '../store/conversation-cache';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { ChatwootClient } from './client';
import { ChatwootError } from './errors';
import type { CwContact, CwConversation } from './types';

export type { ConversationRef } from '../store/conversation-cache';

/**
 * The holder renews the lock while it works (a few Chatwoot calls, each up to its timeout), so a slow
 * Chatwoot cannot make it lapse mid-creation, and a killed worker's lock frees up within one TTL.
 */
const LOCK_TTL_MS = 6_000;
/** A contact_inbox source_id that is a WhatsApp chat (this bridge's, or another WhatsApp number's). */
const WHATSAPP_ID = /@(c\.us|g\.us|lid)$/;
const LOCK_WAIT_MS = 60_000;
/** With reopen: new, a cached conversation is re-read this often to notice it was resolved. */
const STATUS_RECHECK_MS = 10_000;

/**
 * Exactly one contact, one contact_inbox (with Ponte's own source_id) and one live conversation per
 * WhatsApp chat and inbox (PITFALLS.md 1, 2, 10). A burst of messages from a new number waits on one
 * atomic lock while the first creates everything; the others then read the cache.
 */
export class ConversationResolver {
  constructor(
    private readonly client: ChatwootClient,
    private readonly cache: ConversationCache,
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  async resolve(target: ChatTarget): Promise<ConversationRef> {
    const ref = await this.resolveConversation(target);
    return target.lid && ref.lid !== target.lid ? this.linkLid(target, ref) : ref;
  }

  /**
   * The person wrote from the phone form first and the linked id form now (or the other way round with
   * a contact found by phone): keep one contact and record the lid on it, so agents and lookups see both.
   */
  private async linkLid(target: ChatTarget, ref: ConversationRef): Promise<ConversationRef> {
    try {
      await this.client.updateContact(ref.contactId, { custom_attributes: { whatsapp_lid: target.lid } });
    } catch (err) {
      // Not worth failing a message for; the next message tries again.
      this.logger.warn(
        { err: { message: (err as Error).message }, contact: ref.contactId },
        'could not record the linked id on the contact',
      );
      return ref;
    }
    return this.remember(target, { ...ref, lid: target.lid });
  }

  private async resolveConversation(target: ChatTarget): Promise<ConversationRef> {
    const cached = await this.cached(target);
    if (cached && (target.reopen === 'reuse' || Date.now() - cached.checkedAt < STATUS_RECHECK_MS)) return cached;
    const lock = await this.cache.lock(target.inboxId, target.chatKey, LOCK_TTL_MS, LOCK_WAIT_MS, () => this.metrics.lockWaits.inc());
    const heartbeat = setInterval(() => void lock.renew(LOCK_TTL_MS).catch(() => undefined), LOCK_TTL_MS / 3);
    heartbeat.unref();
    try {
      const again = await this.cached(target);
      if (again && (target.reopen === 'reuse' || Date.now() - again.checkedAt < STATUS_RECHECK_MS)) return again;
      if (again && target.reopen === 'new') {
        const live = await this.stillLive(again.conversationId);
        if (live) return this.remember(target, { ...again, checkedAt: Date.now() });
      }
      return this.remember(target, await this.create(target));
    } finally {
      clearInterval(heartbeat);
      await lock.release().catch(() => undefined);
    }
  }

  /** The conversation is gone (deleted in Chatwoot): forget it so the next resolve recreates it. */
  async forget(target: ChatTarget): Promise<void> {
    await this.cache.forget(target.inboxId, target.chatKey);
  }

  private cached(target: ChatTarget): Promise<ConversationRef | undefined> {
    return this.cache.get(target.inboxId, target.chatKey);
  }

  private async remember(target: ChatTarget, ref: ConversationRef): Promise<ConversationRef> {
    await this.cache.put(target.inboxId, target.chatKey, ref);
    return ref;
  }

  private async stillLive(conversationId: number): Promise<boolean> {
    try {
      return (await this.client.getConversation(conversationId)).status !== 'resolved';
    } catch (err) {
      if (err instanceof ChatwootError && err.status === 404) return false;
      throw err;
    }
  }

  private async create(target: ChatTarget): Promise<ConversationRef> {
    const { contact, created } = await this.findOrCreateContact(target);
    // Created with inbox_id + source_id, the contact came with its contact_inbox: no second call.
    const hasInbox = contact.contact_inboxes?.some(
      (ci) => ci.source_id === target.chatKey && (ci.inbox?.id ?? target.inboxId) === target.inboxId,
    );
    if (!hasInbox) {
      try {
        await this.client.createContactInbox(contact.id, target.inboxId, target.chatKey);
      } catch (err) {
        // The source id already belongs to another contact (created by hand, or merged): follow it.
        if (!(err instanceof ChatwootError && err.status === 422)) throw err;
        const existing = await this.latestConversation(target);
        if (existing?.meta?.sender?.id) return this.useOrOpen(target, existing.meta.sender.id, existing);
        throw err;
      }
    }
    // A contact created just now (under the chat's lock) cannot have a conversation yet.
    const latest = created ? undefined : await this.latestConversation(target);
    const agents = created || (latest && latest.status !== 'resolved') ? undefined : await this.startedByAgents(target, contact.id);
    const ref = await this.useOrOpen(target, contact.id, agents ?? latest);
    const lid = contact.custom_attributes?.whatsapp_lid;
    return typeof lid === 'string' ? { ...ref, lid } : ref;
  }

  private async useOrOpen(target: ChatTarget, contactId: number, latest: CwConversation | undefined): Promise<ConversationRef> {
    if (latest && (latest.status !== 'resolved' || target.reopen === 'reuse')) {
      return { contactId, conversationId: latest.id, checkedAt: Date.now() };
    }
    const conv = await this.client.createConversation({ source_id: target.chatKey, inbox_id: target.inboxId, contact_id: contactId });
    this.logger.info({ conversation: conv.id, inbox: target.inboxId, chatId: target.waChatId }, 'conversation created');
    return { contactId, conversationId: conv.id, checkedAt: Date.now() };
  }

  /**
   * A live conversation an agent opened in Chatwoot with this contact before WhatsApp ever wrote (its
   * contact_inbox is Chatwoot's own, not a WhatsApp id): the person's reply belongs there, not in a new one.
   */
  private async startedByAgents(target: ChatTarget, contactId: number): Promise<CwConversation | undefined> {
    const list = await this.client.contactConversations(contactId);
    const theirs = list.filter(
      (c) => c.inbox_id === target.inboxId && c.status !== 'resolved' && !WHATSAPP_ID.test(c.contact_inbox?.source_id ?? ''),
    );
    return theirs.sort((a, b) => (b.last_activity_at ?? 0) - (a.last_activity_at ?? 0) || b.id - a.id)[0];
  }

  private async latestConversation(target: ChatTarget): Promise<CwConversation | undefined> {
    const list = await this.client.listConversations({ inbox_id: target.inboxId, source_id: target.chatKey, status: 'all' });
    const mine = list.filter(
      (c) => c.inbox_id === target.inboxId && (!c.contact_inbox?.source_id || c.contact_inbox.source_id === target.chatKey),
    );
    return mine.sort((a, b) => (b.last_activity_at ?? 0) - (a.last_activity_at ?? 0) || b.id - a.id)[0];
  }

  private async findOrCreateContact(target: ChatTarget): Promise<{ contact: CwContact; created: boolean }> {
    const identifier = target.chatKey;
    if (target.phone) {
      // The contact an agent saved as +55 11 98765-4321 is the person WhatsApp shows as 551187654321.
      const [phone, ...twins] = phoneVariants(target.phone);
      const byPhone = await this.client.filterContacts('phone_number', phone, ...twins);
      const best = byPhone.find((c) => c.identifier === identifier) ?? byPhone.find((c) => c.phone_number === phone) ?? byPhone[0];
      if (best) return { contact: best, created: false };
    }
    const byId = await this.client.filterContacts('identifier', identifier);
    if (byId[0]) return { contact: byId[0], created: false };
    const attributes = { whatsapp_id: target.chatKey, ...(target.lid ? { whatsapp_lid: target.lid } : {}) };
    try {
      // With inbox_id and source_id Chatwoot creates the contact_inbox with our source id in the same call.
      const contact = await this.client.createContact({
        inbox_id: target.inboxId,
        source_id: target.chatKey,
        name: target.name ?? target.phone ?? identifier,
        ...(target.phone && /^\+[1-9]\d{1,14}$/.test(target.phone) ? { phone_number: target.phone } : {}),
        identifier,
        custom_attributes: attributes,
      });
      return { contact, created: true };
    } catch (err) {
      // Another writer created it between our filter and create (identifier taken): use theirs.
      if (err instanceof ChatwootError && err.status === 422) {
        const again = await this.client.filterContacts('identifier', identifier);
        if (again[0]) return { contact: again[0], created: false };
      }
      throw err;
    }
  }
}
