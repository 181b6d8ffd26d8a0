import type { HelpdeskConversations } from '../core/ports';
import type { ChatwootClient } from './client';

/** Conversation status, labels and private notes, on Chatwoot's application API. */
export class ChatwootConversations implements HelpdeskConversations {
  constructor(private readonly client: ChatwootClient) {}

  async setStatus(conversationId: number, status: 'open' | 'pending'): Promise<void> {
    await this.client.toggleStatus(conversationId, status);
  }

  async labels(conversationId: number): Promise<string[]> {
    return this.client.getLabels(conversationId);
  }

  /** Chatwoot's label call replaces the whole list: read, add, write. */
  async addLabel(conversationId: number, label: string): Promise<void> {
    const current = await this.client.getLabels(conversationId);
    if (current.includes(label)) return;
    await this.client.setLabels(conversationId, [...current, label]);
  }

  async removeLabel(conversationId: number, label: string): Promise<void> {
    const current = await this.client.getLabels(conversationId);
    if (!current.includes(label)) return;
    await this.client.setLabels(
      conversationId,
      current.filter((l) => l !== label),
    );
  }

  async note(conversationId: number, text: string): Promise<void> {
    await this.client.createMessage(conversationId, { content: text, messageType: 'outgoing', private: true });
  }
}
