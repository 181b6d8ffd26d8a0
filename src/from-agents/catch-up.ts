import type { AgentEvent, AgentMessage } from '../core/agent-messages';
import type { AgentMessageSource } from '../core/ports';
import type { IdMap } from '../store/id-map';
import type { AgentCatchupMarks } from '../store/agent-catchup-marks';
import type { Logger } from '../observability/logger';

export interface FromAgentsCatchupDeps {
  /** When each inbox was first served, and the agent reads already turned into read marks. */
  marks: AgentCatchupMarks;
  idMap: IdMap;
  source: AgentMessageSource;
  enqueue: (event: AgentEvent) => Promise<boolean>;
  logger: Logger;
  maxAgeHours: number;
  /** Sessions whose agents' reads mark the WhatsApp chat read. */
  readsFor?: (session: string) => boolean;
  /** An agent message no other path had delivered was queued by the sweep (a live feed that missed it). */
  onFound?: (message: AgentMessage) => void;
}

/**
 * Agent replies written while Ponte was down (their webhook got no answer) are found in the helpdesk
 * and sent. Only messages newer than the first time Ponte served the inbox count, so pointing a new
 * Ponte at a busy inbox never re-sends yesterday's replies.
 */
export class FromAgentsCatchup {
  constructor(private readonly deps: FromAgentsCatchupDeps) {}

  async sweep(session: string, inboxId: number): Promise<number> {
    const { marks, idMap, source } = this.deps;
    const now = Math.floor(Date.now() / 1000);
    const servedSince = await marks.servedSince(inboxId, now);
    const since = Math.max(servedSince, now - this.deps.maxAgeHours * 3600);
    const messages = await source.recentAgentMessages(inboxId, since);
    let found = 0;
    for (const message of messages) {
      if (await idMap.byCw(session, message.id)) continue;
      if (await idMap.isKnown(session, `cw:${message.id}`)) continue;
      if (!(await this.deps.enqueue({ type: 'send', message }))) continue;
      found += 1;
      this.deps.onFound?.(message);
    }
    if (found) this.deps.logger.info({ session, inboxId, found }, 'catch-up found agent messages not yet sent');
    if (this.deps.readsFor?.(session)) await this.reads(session, inboxId, since);
    return found;
  }

  /** Chatwoot keeps no event for an agent opening a conversation: its agent_last_seen_at moving is the sign. */
  private async reads(session: string, inboxId: number, since: number): Promise<void> {
    const { marks } = this.deps;
    for (const read of await this.deps.source.agentReads(inboxId, since)) {
      const last = await marks.lastRead(inboxId, read.conversationId);
      if (read.seenAt <= last) continue;
      await this.deps.enqueue({
        type: 'seen',
        conversationId: read.conversationId,
        inboxId,
        chatKey: read.chatKey,
        contactPhone: read.contactPhone,
      });
      await marks.keepLastRead(inboxId, read.conversationId, read.seenAt, this.deps.maxAgeHours * 3600 * 2);
    }
  }
}
