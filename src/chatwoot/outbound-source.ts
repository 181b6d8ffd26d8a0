import type Redis from 'ioredis';
import type { AgentMessage } from '../core/agent-messages';
import type { HelpdeskRef, OutboundSource, AgentRead } from '../core/ports';
import type { Keys } from '../store/keys';
import type { Logger } from '../observability/logger';
import { toAgentMessage } from './agent-message';
import type { ChatwootClient } from './client';
import { ChatwootError } from './errors';
import type { CwMessage } from './types';

const STATUS_UNSUPPORTED = 'chatwoot-status-unsupported';
const PAGES = 3;
const MESSAGE_PAGES = 25;

function createdAt(m: CwMessage): number {
  return typeof m.created_at === 'number' ? m.created_at : Date.parse(m.created_at) / 1000;
}

/** Chatwoot as the source of agent messages and the place where their WhatsApp fate is shown. */
export class ChatwootOutboundSource implements OutboundSource {
  private statusUnsupported?: boolean;

  constructor(
    private readonly client: ChatwootClient,
    private readonly redis: Redis,
    private readonly keys: Keys,
    private readonly logger: Logger,
  ) {}

  async download(url: string, maxBytes: number): Promise<{ data: Buffer; mimetype?: string }> {
    const file = await this.client.download(url, maxBytes);
    return { data: file.data, mimetype: file.contentType };
  }

  /**
   * PATCH status needs Chatwoot 4.2+ and an API inbox. Older versions answer 404 (no route) and other
   * inboxes 403: detected once, after which a failure becomes a private note and ticks are skipped.
   */
  async setStatus(ref: HelpdeskRef, status: 'sent' | 'delivered' | 'read' | 'failed', error?: string): Promise<void> {
    if (await this.unsupported()) {
      if (status === 'failed') await this.failureNote(ref, error);
      return;
    }
    try {
      await this.client.updateMessageStatus(ref.conversationId, ref.messageId, status, status === 'failed' ? error : undefined);
    } catch (err) {
      if (!(err instanceof ChatwootError) || (err.status !== 404 && err.status !== 403)) throw err;
      if (err.status === 404 && !(await this.conversationExists(ref.conversationId))) return;
      this.statusUnsupported = true;
      await this.redis.set(this.keys.flag(STATUS_UNSUPPORTED), '1');
      this.logger.warn({ status: err.status }, 'Chatwoot does not accept message status updates (needs 4.2+ and an API inbox); failures become private notes');
      if (status === 'failed') await this.failureNote(ref, error);
    }
  }

  async agentReads(inboxId: number, sinceTs: number): Promise<AgentRead[]> {
    const conversations = await this.client.listConversations({ inbox_id: inboxId, status: 'all', page: 1 });
    return conversations
      .filter((c) => (c.agent_last_seen_at ?? 0) >= sinceTs && (c.agent_last_seen_at ?? 0) > 0)
      .map((c) => ({ conversationId: c.id, inboxId, chatKey: c.contact_inbox?.source_id ?? undefined, contactPhone: c.meta?.sender?.phone_number ?? undefined, seenAt: c.agent_last_seen_at! }));
  }

  async recentAgentMessages(inboxId: number, sinceTs: number): Promise<AgentMessage[]> {
    const out: AgentMessage[] = [];
    for (let page = 1; page <= PAGES; page++) {
      const conversations = await this.client.listConversations({ inbox_id: inboxId, status: 'all', page });
      const recent = conversations.filter((c) => (c.last_activity_at ?? Number.MAX_SAFE_INTEGER) >= sinceTs);
      for (const conv of recent) {
        for (const m of await this.messagesSince(conv.id, sinceTs)) {
          const outgoing = m.message_type === 1 || m.message_type === 3 || m.message_type === 'outgoing' || m.message_type === 'template';
          const created = createdAt(m);
          // A message Chatwoot marked failed because Ponte was down to answer its webhook is exactly what
          // catch-up is for; Ponte's own final failures are remembered by the relay and not resent.
          if (!outgoing || m.private || m.source_id || created < sinceTs || m.content_attributes?.deleted) continue;
          out.push(toAgentMessage(m, conv, inboxId));
        }
      }
      if (conversations.length < 25 || recent.length < conversations.length) break;
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
  }

  /** Chatwoot lists 20 messages a page, newest last: page back until older than `sinceTs`. */
  private async messagesSince(conversationId: number, sinceTs: number): Promise<CwMessage[]> {
    const all: CwMessage[] = [];
    let before: number | undefined;
    for (let page = 0; page < MESSAGE_PAGES; page++) {
      const batch = await this.client.listMessages(conversationId, before ? { before } : {});
      all.push(...batch);
      const oldest = batch.reduce<CwMessage | undefined>((o, m) => (!o || m.id < o.id ? m : o), undefined);
      if (!oldest || batch.length < 20 || createdAt(oldest) < sinceTs) break;
      before = oldest.id;
    }
    return all;
  }

  private async unsupported(): Promise<boolean> {
    this.statusUnsupported ??= (await this.redis.exists(this.keys.flag(STATUS_UNSUPPORTED))) === 1;
    return this.statusUnsupported;
  }

  private async conversationExists(id: number): Promise<boolean> {
    try {
      await this.client.getConversation(id);
      return true;
    } catch (err) {
      if (err instanceof ChatwootError && err.status === 404) return false;
      throw err;
    }
  }

  private async failureNote(ref: HelpdeskRef, error?: string): Promise<void> {
    await this.client.createMessage(ref.conversationId, {
      content: `⚠️ Not delivered to WhatsApp (message #${ref.messageId}): ${error ?? 'unknown error'}`,
      messageType: 'outgoing',
      private: true,
    });
  }
}
