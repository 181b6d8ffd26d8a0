import { chatIdFor, type AgentEvent, type AgentMessage } from '../core/agent-messages';
import { planParts } from './parts';
import { NumberBook } from './number-book';
import { noteReceived, outboundLane } from './intake';
import { noJourney, type JourneyLog, type JourneyRef } from '../core/journey';
import type { WhatsAppSender } from './sender';
import type { HelpdeskConversations, AgentMessageSource } from '../core/ports';
import { quoteDroppedNote, revokedForMeOnlyNote } from '../core/agent-notes';
import type { EngineSession } from '../engines/types';
import type { IdMap } from '../store/id-map';
import type { Lanes } from '../queue/lanes';
import { PermanentError, RetryableError, NotOwnerError } from '../queue/errors';
import { FileSlots } from '../queue/file-slots';
import type { NumberBookStore } from '../store/number-book-store';
import type { PartCursors } from '../store/part-cursors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

export interface FromAgentsJob {
  session: string;
  receivedAt: number;
  catchup?: boolean;
  event: AgentEvent;
}

export interface OutboundSessionSettings {
  maxMediaMB: number;
  typingFromAgents: boolean;
  readFromAgents: boolean;
}

export interface FromAgentsRelayDeps {
  /** false when another daemon runs the session (shared Redis): its jobs are left to that daemon. */
  owns?: (session: string) => boolean;
  lanes: Lanes<FromAgentsJob>;
  /** What engines answered for phone numbers agents wrote to first. */
  numberBook: NumberBookStore;
  /** How far each multi-part message got. */
  parts: PartCursors;
  idMap: IdMap;
  sender: WhatsAppSender;
  source: AgentMessageSource;
  /** Private notes telling agents what became of their message when it is not what they asked for. */
  notes: Pick<HelpdeskConversations, 'note'>;
  engine: (session: string) => EngineSession | undefined;
  sessionForInbox: (inboxId: number) => string | undefined;
  settings: (session: string) => OutboundSessionSettings;
  /** Told before an agent's message goes out (a bot stops talking in that chat). */
  onAgentMessage?: (session: string, chatId: string, m: AgentMessage) => Promise<void>;
  /** Told when agents resolve a conversation. */
  onResolved?: (session: string, chatKey: string, conversationId: number) => Promise<void>;
  /** Told of labels agents added to a conversation. */
  onLabels?: (session: string, chatId: string, chatKey: string, added: string[]) => Promise<void>;
  metrics: Metrics;
  logger: Logger;
  /** The inboxes' status conversations (core/status-desk.ts): what agents write there is a command, never relayed. */
  statusConversation?: { owns(event: AgentEvent): boolean; handle(session: string, event: AgentEvent): Promise<void> };
  /** Told of each agent message sent (the admin page's "relayed in the last hour"). */
  onRelayed?: (session: string) => void;
  /** The daemon's files in flight (queue.filesInFlight): an attachment holds one from its download until it went. */
  files?: FileSlots;
  /** Each agent message's timeline (store/journeys.ts): received, sent with its WhatsApp ids, deleted. */
  journey?: JourneyLog;
  /** What the poll is, for the journey of what it finds: the intake itself (`chatwoot.intake: poll`) or a catch-up. */
  pollVia?: 'poll' | 'catch-up';
}

/**
 * Helpdesk -> WhatsApp. Each agent message is sent once: the id map is checked first, every part sent
 * is recorded before the next, and the fromMe echo is registered before the engine is called.
 */
export class FromAgentsRelay {
  private readonly numbers: NumberBook;
  private readonly journey: JourneyLog;

  constructor(private readonly deps: FromAgentsRelayDeps) {
    this.numbers = new NumberBook(deps.numberBook);
    this.journey = deps.journey ?? noJourney;
  }

  /** Persists an event in its conversation's lane; false when no session owns the inbox. */
  async enqueue(event: AgentEvent, catchup = false): Promise<boolean> {
    const where = event.type === 'send' ? event.message : event;
    const session = this.deps.sessionForInbox(where.inboxId);
    if (!session) return false;
    const mark = event.type === 'send' ? this.deps.idMap.knownMark(session, `cw:${event.message.id}`) : undefined;
    const job: FromAgentsJob = { session, receivedAt: Date.now(), catchup, event };
    await this.deps.lanes.push(outboundLane(session, where.conversationId), job, mark);
    noteReceived(this.journey, job, catchup ? (this.deps.pollVia ?? 'catch-up') : 'webhook');
    return true;
  }

  start(): void {
    this.deps.lanes.start((job) => this.handle(job));
  }

  async handle(job: FromAgentsJob): Promise<void> {
    if (this.deps.owns && !this.deps.owns(job.session)) throw new NotOwnerError(job.session);
    const e = job.event;
    if (this.deps.statusConversation?.owns(e)) return this.deps.statusConversation.handle(job.session, e);
    switch (e.type) {
      case 'send':
        return this.send(job, e.message);
      case 'delete':
        return this.revoke(job.session, e.id, e.conversationId);
      case 'typing':
        return this.typing(job.session, e.chatKey, e.contactPhone, e.on);
      case 'seen':
        return this.read(job.session, e.chatKey, e.contactPhone);
      case 'resolved': {
        const chatId = chatIdFor(e.chatKey, e.contactPhone);
        if (chatId) await this.deps.onResolved?.(job.session, e.chatKey ?? chatId, e.conversationId);
        return;
      }
      case 'labels': {
        const chatId = chatIdFor(e.chatKey, e.contactPhone);
        if (chatId) await this.deps.onLabels?.(job.session, chatId, e.chatKey ?? chatId, e.added);
        return;
      }
    }
  }

  /**
   * A message with files holds a file slot (FileSlots) from before anything is done for it until its last
   * part went: it fetches its files one at a time, so it holds one at a time. Without a free slot it waits
   * its turn, nothing of it done yet.
   */
  private async send(job: FromAgentsJob, m: AgentMessage): Promise<void> {
    if (!this.deps.files || !m.attachments.some((a) => FileSlots.counts(a.size))) return this.sendNow(job, m);
    const release = this.deps.files.take(`out:${job.session}:${m.id}`);
    try {
      return await this.sendNow(job, m);
    } finally {
      release();
    }
  }

  private async sendNow(job: FromAgentsJob, m: AgentMessage): Promise<void> {
    const { idMap, metrics, parts: cursors } = this.deps;
    const session = job.session;
    // Both reads in one round trip: almost every message has a single part.
    const [known, firstSent] = await Promise.all([idMap.byCw(session, m.id), cursors.sent(session, m.id, 0)]);
    const ref: JourneyRef = { side: 'cw', id: String(m.id) };
    if (known) {
      this.journey.note(ref, { step: 'already-done' });
      metrics.dedupeHits.labels('outbound').inc();
      return;
    }
    const engine = this.connected(session);
    const chatId = await this.chatOf(session, engine, m);
    await this.deps.onAgentMessage?.(session, chatId, m);
    const quotedId = await this.quotedWaId(session, m);
    const parts = await planParts(m, chatId, quotedId, {
      maxMediaMB: this.deps.settings(session).maxMediaMB,
      download: (url, max) => this.deps.source.download(url, max),
    });
    const sentIds: string[] = [];
    let recorded = false;
    let quoteDropped = false;
    // The cursors only serve until the id map says the message went: they leave with that record.
    const recordAll = () => {
      recorded = true;
      const forget = parts.length > 1 || quoteDropped ? cursors.keysToForget(session, m.id, parts.length) : [];
      const cw = { conversationId: m.conversationId, messageId: m.id };
      return Promise.all(sentIds.map((waId, i) => idMap.record(session, { chatId, waId }, cw, i === sentIds.length - 1 ? forget : [])));
    };
    for (let i = 0; i < parts.length; i++) {
      const already = i === 0 ? firstSent : await cursors.sent(session, m.id, i);
      if (already) {
        sentIds.push(already.waId);
        quoteDropped ||= already.quoteDropped;
        continue;
      }
      const last = i === parts.length - 1;
      // Each part's id is kept before the next part goes (a retry resumes after it); the last part's
      // write carries the id map records instead, unless the agent must first be told of a dropped quote.
      // A file is fetched right before its part goes, and let go once it went.
      await this.deps.sender.send(session, engine, await parts[i].build(), {
        key: `cw:${m.id}:${i}`,
        alongside: (sent) => {
          // Noted in the same tick as the writes below: one write to Redis for all.
          this.journey.note(ref, {
            step: 'sent',
            whatsapp: sent.remoteId,
            part: i,
            // Indexed for `messages find` only when it is not the chat the message was received for.
            ...(chatId !== chatIdFor(m.chatKey, m.contactPhone) ? { chat: chatId } : {}),
            ...(sent.adopted ? { adopted: true } : {}),
          });
          sentIds.push(sent.remoteId);
          quoteDropped ||= sent.quoteDropped;
          if (last && !quoteDropped) return recordAll();
          return cursors.keep(session, m.id, i, { waId: sent.remoteId, quoteDropped: sent.quoteDropped });
        },
      });
    }
    // Told before the id map says "done": a failing note is retried with the message, which is not sent again.
    if (quoteDropped && !recorded) await this.deps.notes.note(m.conversationId, quoteDroppedNote(m.id));
    // The last part was sent by an earlier attempt that stopped before recording.
    if (!recorded) await recordAll();
    metrics.messagesRelayed.labels('outbound', parts[0].kind, 'ok').inc();
    this.deps.onRelayed?.(session);
    metrics.relayLatency.labels('outbound').observe((Date.now() - job.receivedAt) / 1000);
    if (job.catchup) metrics.catchupRecovered.labels('outbound').inc();
  }

  private async quotedWaId(session: string, m: AgentMessage): Promise<string | undefined> {
    if (m.inReplyTo?.helpdeskId) {
      const wa = await this.deps.idMap.byCw(session, m.inReplyTo.helpdeskId);
      if (wa) return wa.waId;
    }
    const ext = m.inReplyTo?.externalId;
    return ext?.startsWith('WAID:') ? ext.slice(5) : undefined;
  }

  private async revoke(session: string, helpdeskId: number, conversationId: number): Promise<void> {
    const wa = await this.deps.idMap.byCw(session, helpdeskId);
    if (!wa) return this.ignore('delete_unmapped');
    const done = `revoked:${wa.waId}`;
    const refused = `revoked-for-me:${wa.waId}`;
    const [isDone, isRefused] = await Promise.all([this.deps.idMap.isKnown(session, done), this.deps.idMap.isKnown(session, refused)]);
    if (isDone || isRefused) return this.ignore('delete_done');
    const engine = this.connected(session);
    const ref: JourneyRef = { side: 'cw', id: String(helpdeskId) };
    if (!engine.capabilities.revoke) {
      this.journey.note(ref, { step: 'deleted', outcome: 'unsupported' });
      return this.ignore('revoke_unsupported');
    }
    const outcome = await engine.capabilities.revoke(wa.chatId, wa.waId);
    this.journey.note(ref, { step: 'deleted', outcome: outcome === 'me' ? 'me-only' : 'everyone' });
    if (outcome === 'me') {
      // Past WhatsApp's time limit the delete happened on this device only: the customer still has the
      // message, and the agent must not believe otherwise.
      await this.deps.notes.note(conversationId, revokedForMeOnlyNote(helpdeskId));
      await this.deps.idMap.markKnown(session, [refused]);
      return this.ignore('revoke_too_late');
    }
    await this.deps.idMap.markKnown(session, [done]);
    this.deps.metrics.messagesRelayed.labels('outbound', 'revoke', 'ok').inc();
  }

  private async typing(session: string, chatKey: string | undefined, phone: string | undefined, on: boolean): Promise<void> {
    if (!this.deps.settings(session).typingFromAgents) return;
    const chatId = await this.knownChat(session, chatKey, phone);
    const engine = this.deps.engine(session);
    if (!chatId || !engine?.capabilities.typing || engine.state() !== 'CONNECTED') return;
    await engine.capabilities.typing(chatId, on).catch(() => undefined);
  }

  private async read(session: string, chatKey: string | undefined, phone: string | undefined): Promise<void> {
    if (!this.deps.settings(session).readFromAgents) return;
    const chatId = await this.knownChat(session, chatKey, phone);
    const engine = this.deps.engine(session);
    if (!chatId || !engine?.capabilities.markRead || engine.state() !== 'CONNECTED') return;
    await engine.capabilities.markRead(chatId).catch(() => undefined);
    this.deps.metrics.messagesRelayed.labels('outbound', 'read', 'ok').inc();
  }

  /**
   * The conversation's WhatsApp chat: its WhatsApp contact_inbox when it has one (WhatsApp's own id), else
   * the contact's phone number as WhatsApp knows it (an agent writing first).
   */
  private async chatOf(session: string, engine: EngineSession, m: AgentMessage): Promise<string> {
    const chatId = chatIdFor(m.chatKey, m.contactPhone);
    if (!chatId)
      throw new PermanentError('the conversation has no WhatsApp chat (no WhatsApp source id and no phone number on the contact)');
    if (chatId === m.chatKey) return chatId;
    return this.numbers.chatFor(session, engine, m.contactPhone!);
  }

  /** Like chatOf, without asking WhatsApp: typing and read marks are not worth a lookup of their own. */
  private async knownChat(session: string, chatKey: string | undefined, phone: string | undefined): Promise<string | undefined> {
    const chatId = chatIdFor(chatKey, phone);
    if (!chatId || chatId === chatKey || !phone) return chatId;
    return (await this.numbers.remembered(session, phone)) ?? chatId;
  }

  private connected(session: string): EngineSession {
    const engine = this.deps.engine(session);
    if (!engine) throw new PermanentError(`session ${session} does not exist`);
    if (engine.state() !== 'CONNECTED') throw new RetryableError(`session ${session} is ${engine.state()}`);
    return engine;
  }

  private ignore(reason: string): void {
    this.deps.metrics.ignored.labels(reason).inc();
  }
}

/** The journey of an agent's message, or of its deletion: kept under its Chatwoot message id. */
export function journeyOfOutbound(job: FromAgentsJob): JourneyRef | undefined {
  const e = job.event;
  if (e.type === 'send') return { side: 'cw', id: String(e.message.id) };
  if (e.type === 'delete') return { side: 'cw', id: String(e.id) };
  return undefined;
}
