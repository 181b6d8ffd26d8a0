import type { AgentMessage } from '../core/agent-messages';
import type { HelpdeskRef, AgentMessageSource, AgentRead } from '../core/ports';
import type { StatusUpdatesFlag } from '../store/status-updates-flag';
import type { Logger } from '../observability/logger';
import { toAgentMessage } from './agent-message';
import type { ChatwootClient } from './client';
import { ChatwootError } from './errors';
import { endpointVerdict } from './status-endpoint';
import type { CwMessage } from './types';

const PAGES = 3;
const MESSAGE_PAGES = 25;

function createdAt(m: CwMessage): number {
  return typeof m.created_at === 'number' ? m.created_at : Date.parse(m.created_at) / 1000;
}

/** How long "no status updates here" holds before Ponte asks Chatwoot again (it may have been upgraded). */
export const STATUS_PROBE_AFTER_MS = 3600_000;
/** How long this process trusts what it last read of the flag before reading Redis again. */
const FLAG_READ_MS = 30_000;

export interface AgentMessageSourceOptions {
  statusProbeAfterMs?: number;
}

/** Chatwoot as the source of agent messages and the place where their WhatsApp fate is shown. */
export class ChatwootAgentMessageSource implements AgentMessageSource {
  private flag = { unsupported: false, readAt: -Infinity };

  constructor(
    private readonly client: ChatwootClient,
    /** Shared by the daemons on this Redis: Chatwoot does not take status updates (for a while). */
    private readonly statusUnsupported: StatusUpdatesFlag,
    private readonly logger: Logger,
    private readonly options: AgentMessageSourceOptions = {},
  ) {}

  async download(url: string, maxBytes: number): Promise<{ data: Buffer; mimetype?: string }> {
    const file = await this.client.download(url, maxBytes);
    return { data: file.data, mimetype: file.contentType };
  }

  /**
   * PATCH status needs Chatwoot 4.2+ and an API inbox. Older versions have no such route (404, Rails'
   * route-not-found) and other inboxes answer 403 saying so: then failures become private notes and
   * ticks are skipped, for `statusProbeAfterMs`, after which Chatwoot is asked again. Any other refusal is
   * about one message (a webhook naming a message Chatwoot does not have, a conversation the token may
   * not touch) and changes nothing for the others.
   */
  async setStatus(ref: HelpdeskRef, status: 'sent' | 'delivered' | 'read' | 'failed', error?: string): Promise<void> {
    if (await this.unsupported()) {
      if (status === 'failed') await this.failureNote(ref, error);
      return;
    }
    try {
      await this.client.updateMessageStatus(ref.conversationId, ref.messageId, status, status === 'failed' ? error : undefined);
    } catch (err) {
      if (!(err instanceof ChatwootError)) throw err;
      const verdict = endpointVerdict(err);
      if (verdict === 'record_missing') {
        this.logger.debug(
          { status: err.status, conversationId: ref.conversationId, messageId: ref.messageId },
          'no such message in Chatwoot; its status is not shown',
        );
        return;
      }
      if (verdict !== 'endpoint_missing') throw err;
      await this.markUnsupported(err.status);
      if (status === 'failed') await this.failureNote(ref, error);
    }
  }

  async agentReads(inboxId: number, sinceTs: number): Promise<AgentRead[]> {
    const conversations = await this.client.listConversations({ inbox_id: inboxId, status: 'all', page: 1 });
    return conversations
      .filter((c) => (c.agent_last_seen_at ?? 0) >= sinceTs && (c.agent_last_seen_at ?? 0) > 0)
      .map((c) => ({
        conversationId: c.id,
        inboxId,
        chatKey: c.contact_inbox?.source_id ?? undefined,
        contactPhone: c.meta?.sender?.phone_number ?? undefined,
        seenAt: c.agent_last_seen_at!,
      }));
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
    const now = Date.now();
    if (now - this.flag.readAt < Math.min(FLAG_READ_MS, this.options.statusProbeAfterMs ?? STATUS_PROBE_AFTER_MS))
      return this.flag.unsupported;
    this.flag = { unsupported: await this.statusUnsupported.isSet(), readAt: now };
    return this.flag.unsupported;
  }

  private async markUnsupported(status: number): Promise<void> {
    const ttlMs = this.options.statusProbeAfterMs ?? STATUS_PROBE_AFTER_MS;
    await this.statusUnsupported.set(ttlMs);
    this.flag = { unsupported: true, readAt: Date.now() };
    this.logger.warn(
      { status, probeAgainInMinutes: Math.round(ttlMs / 60_000) },
      'Chatwoot does not accept message status updates (needs 4.2+ and an API inbox); failures become private notes until it is asked again',
    );
  }

  private async failureNote(ref: HelpdeskRef, error?: string): Promise<void> {
    await this.client.createMessage(ref.conversationId, {
      content: `⚠️ Not delivered to WhatsApp (message #${ref.messageId}): ${error ?? 'unknown error'}`,
      messageType: 'outgoing',
      private: true,
    });
  }
}
