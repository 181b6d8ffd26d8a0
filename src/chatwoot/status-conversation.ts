import type { StatusConversationIds } from '../store/status-conversation-ids';
import { STATUS_SOURCE_PREFIX, type StatusBoard } from '../sessions/status-desk';
import type { ChatwootClient } from './client';
import { ChatwootError } from './errors';

/** The contact agents see the status messages come from. */
export const STATUS_CONTACT_NAME = 'Ponte';

/**
 * The status conversation of each inbox in Chatwoot: a contact named "Ponte" whose contact_inbox source
 * id is `ponte-status:<inbox>` (so the relays recognise it), its conversation kept in Redis
 * (`<prefix>status-conversation:<inbox>`) and looked for before one is created again. Ponte's posts are
 * incoming messages of that contact: Chatwoot never sends incoming messages to Ponte's webhook as agent
 * replies, and agents see them as the contact speaking.
 */
export class ChatwootStatusBoard implements StatusBoard {
  private readonly known = new Map<number, number>();

  constructor(
    private readonly client: ChatwootClient,
    private readonly stored: StatusConversationIds,
  ) {}

  isStatusConversation(inboxId: number, conversationId: number): boolean {
    return this.known.get(inboxId) === conversationId;
  }

  async post(
    _session: string,
    inboxId: number,
    text: string,
    image?: { filename: string; mimetype: string; data: Buffer },
  ): Promise<number> {
    const send = async (conversationId: number) =>
      (
        await this.client.createMessage(conversationId, {
          content: text,
          messageType: 'incoming',
          ...(image ? { attachments: [image] } : {}),
        })
      ).id;
    const conversationId = await this.conversation(inboxId);
    try {
      return await send(conversationId);
    } catch (err) {
      // Deleted by an admin: a new one is made, once.
      if (!(err instanceof ChatwootError) || err.status !== 404) throw err;
      await this.forget(inboxId);
      return send(await this.conversation(inboxId));
    }
  }

  async remove(_session: string, inboxId: number, messageId: number): Promise<void> {
    await this.client.deleteMessage(await this.conversation(inboxId), messageId);
  }

  /** Loads the ids Ponte made before (a restart), so agents' messages there are recognised at once. */
  async load(inboxIds: number[]): Promise<void> {
    for (const inboxId of inboxIds) {
      const stored = await this.stored.get(inboxId);
      if (stored) this.known.set(inboxId, stored);
    }
  }

  private async conversation(inboxId: number): Promise<number> {
    const cached = this.known.get(inboxId);
    if (cached) return cached;
    const stored = await this.stored.get(inboxId);
    if (stored) {
      this.known.set(inboxId, stored);
      return stored;
    }
    const id = await this.findOrCreate(inboxId);
    await this.stored.set(inboxId, id);
    this.known.set(inboxId, id);
    return id;
  }

  private async findOrCreate(inboxId: number): Promise<number> {
    const sourceId = `${STATUS_SOURCE_PREFIX}${inboxId}`;
    const identifier = `ponte-status-inbox-${inboxId}`;
    // An earlier attempt may have created the contact and died before Redis kept the conversation.
    const [existing] = await this.client.filterContacts('identifier', identifier);
    if (existing) {
      const conversations = await this.client.contactConversations(existing.id);
      const mine = conversations.find((c) => c.inbox_id === inboxId);
      if (mine) return mine.id;
      await this.client.createContactInbox(existing.id, inboxId, sourceId);
      return (await this.client.createConversation({ source_id: sourceId, inbox_id: inboxId, contact_id: existing.id })).id;
    }
    const contact = await this.client.createContact({ inbox_id: inboxId, source_id: sourceId, name: STATUS_CONTACT_NAME, identifier });
    return (await this.client.createConversation({ source_id: sourceId, inbox_id: inboxId, contact_id: contact.id })).id;
  }

  private async forget(inboxId: number): Promise<void> {
    this.known.delete(inboxId);
    await this.stored.forget(inboxId);
  }
}
