import {
  isMediaKind,
  type CallEvent,
  type EditEvent,
  type MediaOutcome,
  type ReactionEvent,
  type RemoteMessage,
  type RevokeEvent,
} from '../core/messages';
import type { CallOutcome } from '../sessions/calls';
import { noJourney, type JourneyLog, type JourneyRef, type JourneyVia } from '../core/journey';
import { sourceRefOf, type ChatTarget, type HelpdeskDestination, type PostItem, type QuotedRef } from '../core/ports';
import type { ChatIdentities } from './chat-identity';
import { EngineNotReadyError, MediaNotReadyError, type ChatContentEvent, type EngineSession } from '../engines/types';
import type { IdMap } from '../store/id-map';
import { PendingSends } from '../store/pending-sends';
import type { Lanes } from '../queue/lanes';
import { RetryableError, NotOwnerError, NotYetError } from '../queue/errors';
import { FileSlots } from '../queue/file-slots';
import { mediaNotReady } from './media-not-ready';
import { isGroupId, isStatusOrChannel, phoneOfId, userOf } from '../core/whatsapp-ids';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

export interface InboundSessionSettings {
  inboxId: number;
  groups: 'relay' | 'ignore';
  ownMessages: 'outgoing' | 'private' | 'ignore';
  reopen: 'reuse' | 'new';
  maxMediaMB: number;
}

export type InboundEvent =
  | { type: 'message'; message: RemoteMessage }
  | { type: 'reaction'; reaction: ReactionEvent }
  | { type: 'edit'; edit: EditEvent }
  | { type: 'revoke'; revoke: RevokeEvent }
  /** Comes through ingestCall, after the call policy acted (the note says what it did). */
  | { type: 'call'; call: CallEvent; outcome: CallOutcome };

export interface FromWhatsAppJob {
  session: string;
  receivedAt: number;
  /** Found by catch-up rather than delivered live. */
  catchup?: boolean;
  event: InboundEvent;
}

export interface FromWhatsAppRelayDeps {
  /** false when another daemon runs the session (shared Redis): its jobs are left to that daemon. */
  owns?: (session: string) => boolean;
  lanes: Lanes<FromWhatsAppJob>;
  idMap: IdMap;
  pending: PendingSends;
  identities: ChatIdentities;
  destination: HelpdeskDestination;
  engine: (session: string) => EngineSession | undefined;
  settings: (session: string) => InboundSessionSettings | undefined;
  metrics: Metrics;
  logger: Logger;
  /** Hands one-to-one messages (incoming, and typed on the phone) to the session's bot, before they are posted. */
  botIntake?: (target: ChatTarget, message: RemoteMessage) => Promise<void>;
  /** Told of every chat with a relayed message, for catch-up bookkeeping. */
  onRelayed?: (session: string, chatId: string, timestamp: number) => void;
  /** The daemon's files in flight (queue.filesInFlight): a message with media holds one while it is relayed. */
  files?: FileSlots;
  /** Each message's timeline (store/journeys.ts): received, posted, skipped. */
  journey?: JourneyLog;
}

/**
 * WhatsApp -> helpdesk. Engine events are persisted to a per-chat lane first (nothing that can lose a
 * message happens in the engine's callback), then relayed one chat at a time, in order.
 */
export class FromWhatsAppRelay {
  private backlog: FromWhatsAppJob[] = [];
  private flushing?: NodeJS.Timeout;
  /** Set on shutdown: a persist failing afterwards (Redis closed) must not start the flush timer again. */
  private stopped = false;
  private readonly journey: JourneyLog;

  constructor(private readonly deps: FromWhatsAppRelayDeps) {
    this.journey = deps.journey ?? noJourney;
  }

  /**
   * Takes in what people did in a chat (the engine events routed here, wiring/engine-events.ts). Returns
   * at once (real engines do not wait), with the promise of the persist: true once the event is in Redis,
   * false when Redis failed and it is held in memory (retried). The promise is the write itself, nothing
   * is added to the hot path; the simulator route awaits it.
   */
  ingest(session: string, event: ChatContentEvent): Promise<boolean> {
    const job: FromWhatsAppJob = { session, receivedAt: Date.now(), event: toInbound(event) };
    return this.persist(job);
  }

  /** An incoming call the SessionManager's call policy handled: a note for the agents, through the same lanes. */
  ingestCall(session: string, call: CallEvent, outcome: CallOutcome): void {
    void this.persist({ session, receivedAt: Date.now(), event: { type: 'call', call, outcome } });
  }

  /** Persists a job found by catch-up unless it was taken in before; resolves once it is in Redis. */
  async enqueue(job: FromWhatsAppJob): Promise<boolean> {
    const id = eventId(job.event);
    if (await this.deps.idMap.isKnown(job.session, id)) return false;
    await this.deps.lanes.push(laneOf(job), job, this.deps.idMap.knownMark(job.session, id));
    this.received(job, 'catch-up');
    return true;
  }

  private async persist(job: FromWhatsAppJob): Promise<boolean> {
    try {
      const mark = this.deps.idMap.knownMark(job.session, eventId(job.event));
      // The echo of a send of ours whose id is known already is dropped in the same step, sparing it a
      // trip through the lane; one that overtakes its send is recognised there instead.
      const e = job.event;
      const unless = e.type === 'message' && e.message.fromMe ? [this.deps.pending.sentKey(job.session, e.message.id)] : [];
      // The echo of our own send is no message of its own: its journey is the agent's message's.
      if ((await this.deps.lanes.pushOnce(laneOf(job), job, { mark, unless })) === undefined) this.ignore('own_echo');
      else this.received(job, 'engine');
      return true;
    } catch (err) {
      // Redis is unreachable: hold the event in memory and keep trying; catch-up is the second net.
      this.deps.logger.error(
        { err: { message: (err as Error).message }, session: job.session },
        'could not persist an event; holding it in memory',
      );
      this.backlog.push(job);
      if (!this.stopped) this.flushing ??= setInterval(() => void this.flush(), 1000);
      return false;
    }
  }

  private async flush(): Promise<void> {
    while (this.backlog.length) {
      try {
        await this.deps.lanes.push(
          laneOf(this.backlog[0]),
          this.backlog[0],
          this.deps.idMap.knownMark(this.backlog[0].session, eventId(this.backlog[0].event)),
        );
        this.received(this.backlog.shift()!, 'engine');
      } catch {
        return;
      }
    }
    clearInterval(this.flushing);
    this.flushing = undefined;
  }

  pendingInMemory(): number {
    return this.backlog.length;
  }

  start(): void {
    this.deps.lanes.start((job) => this.handle(job));
  }

  stopFlushing(): void {
    this.stopped = true;
    clearInterval(this.flushing);
    this.flushing = undefined;
  }

  async handle(job: FromWhatsAppJob): Promise<void> {
    if (this.deps.owns && !this.deps.owns(job.session)) throw new NotOwnerError(job.session);
    const settings = this.deps.settings(job.session);
    if (!settings) return this.ignore('no_inbox');
    const e = job.event;
    switch (e.type) {
      case 'message':
        return this.relayMessage(job, e.message, settings);
      case 'reaction':
        return this.relaySimple(
          job,
          e.reaction.id,
          e.reaction.chatId,
          e.reaction.fromMe,
          settings,
          {
            type: 'reaction',
            reaction: e.reaction,
            direction: e.reaction.fromMe ? 'outgoing' : 'incoming',
            groupSender: groupSenderOf(e.reaction.chatId, e.reaction.from, e.reaction.fromMe, e.reaction.pushName),
            quoted: await this.quoted(job.session, e.reaction.messageId),
          },
          'reaction',
        );
      case 'edit':
        return this.relaySimple(
          job,
          e.edit.id,
          e.edit.chatId,
          e.edit.fromMe,
          settings,
          {
            type: 'edit',
            edit: e.edit,
            direction: e.edit.fromMe ? 'outgoing' : 'incoming',
            groupSender: groupSenderOf(e.edit.chatId, e.edit.from, e.edit.fromMe),
            quoted: await this.quoted(job.session, e.edit.messageId),
          },
          'edit',
        );
      case 'revoke':
        return this.relayRevoke(job, e.revoke, settings);
      case 'call':
        return this.relayCall(job, e.call, e.outcome, settings);
    }
  }

  private async relayCall(job: FromWhatsAppJob, call: CallEvent, outcome: CallOutcome, settings: InboundSessionSettings): Promise<void> {
    const doneId = `call:${call.id}`;
    if (await this.deps.idMap.byWa(job.session, doneId)) return this.dedupeHit(job);
    // The note goes to the caller's own conversation, even for a group call.
    const target = await this.target(job.session, call.from, settings);
    await this.post(job, target, doneId, { type: 'call-note', call, outcome }, 'call');
  }

  /** A file is held whole from its download until Chatwoot has it: only so many at once (FileSlots). */
  private async relayMessage(job: FromWhatsAppJob, m: RemoteMessage, settings: InboundSessionSettings): Promise<void> {
    if (!this.deps.files || !isMediaKind(m.kind) || !m.media || !FileSlots.counts(m.media.size))
      return this.relayMessageNow(job, m, settings);
    const release = this.deps.files.take(`in:${job.session}:${m.id}`);
    try {
      return await this.relayMessageNow(job, m, settings);
    } finally {
      release();
    }
  }

  private async relayMessageNow(job: FromWhatsAppJob, m: RemoteMessage, settings: InboundSessionSettings): Promise<void> {
    const { idMap, pending } = this.deps;
    // Dedupe first: an event taken in twice (live and by catch-up) is counted once, whatever its fate.
    const claim = await idMap.claim(job.session, m.id);
    if ('done' in claim) return this.dedupeHit(job);
    if (m.isGroup && settings.groups === 'ignore') return this.skip(job.session, m.id, 'group');
    if (isStatusOrChannel(m.chatId)) return this.skip(job.session, m.id, 'broadcast');
    if (m.fromMe) {
      const [ours, held] = await Promise.all([pending.isOurs(job.session, m.id), pending.heldBack(job.session, fingerprintOf(m))]);
      if (ours) return this.skip(job.session, m.id, 'own_echo');
      if (held) {
        // A send of ours with this content has not settled: this may be its echo under another chat id
        // (a linked id), before the send returned its id. Its id decides once the send settles; a message
        // typed on the phone is only relayed later. Never matched by content across chats.
        if (claim.fresh) await idMap.clearInflight(job.session, m.id);
        throw new NotYetError('a send of ours with the same content has not settled yet', echoWaitMs(job));
      }
      if (settings.ownMessages === 'ignore') return this.skip(job.session, m.id, 'own_message');
    }
    const target = await this.target(job.session, m.chatId, settings, m);
    if (!m.isGroup) await this.deps.botIntake?.(target, m);
    const media = isMediaKind(m.kind) && m.media ? await this.fetchMedia(job, m, settings.maxMediaMB) : undefined;
    const item: PostItem = {
      type: 'message',
      message: m,
      media,
      direction: m.fromMe ? 'outgoing' : 'incoming',
      private: m.fromMe && settings.ownMessages === 'private',
      groupSender: groupSenderOf(m.chatId, m.from, m.fromMe, m.pushName),
      quoted: m.quotedId ? await this.quoted(job.session, m.quotedId) : undefined,
    };
    await this.post(job, target, m.id, item, m.kind, claim.fresh);
    this.deps.onRelayed?.(job.session, m.chatId, m.timestamp);
  }

  private async relaySimple(
    job: FromWhatsAppJob,
    id: string,
    chatId: string,
    fromMe: boolean,
    settings: InboundSessionSettings,
    item: PostItem,
    kind: string,
  ): Promise<void> {
    if (await this.deps.idMap.byWa(job.session, id)) return this.dedupeHit(job);
    if (isGroupId(chatId) && settings.groups === 'ignore') return this.skip(job.session, id, 'group');
    if (isStatusOrChannel(chatId)) return this.skip(job.session, id, 'broadcast');
    if (fromMe && settings.ownMessages === 'ignore') return this.skip(job.session, id, 'own_message');
    const target = await this.target(job.session, chatId, settings);
    await this.post(job, target, id, item, kind);
  }

  private async relayRevoke(job: FromWhatsAppJob, r: RevokeEvent, settings: InboundSessionSettings): Promise<void> {
    const { idMap, destination } = this.deps;
    const doneId = `revoke:${r.messageId}`;
    if (await idMap.byWa(job.session, doneId)) return this.dedupeHit(job);
    // A chat Ponte does not relay gets no conversation (nor a note) because of a deletion in it.
    if (isGroupId(r.chatId) && settings.groups === 'ignore') return this.skip(job.session, doneId, 'group');
    if (isStatusOrChannel(r.chatId)) return this.skip(job.session, doneId, 'broadcast');
    const ref = await idMap.byWa(job.session, r.messageId);
    if (ref && ref !== 'handled') {
      await destination.remove(ref);
      await idMap.recordHandled(job.session, doneId);
      this.deps.metrics.messagesRelayed.labels('inbound', 'revoke', 'ok').inc();
      return;
    }
    // The phone's own messages are not mirrored: neither is their deletion.
    if (r.fromMe && settings.ownMessages === 'ignore') return this.skip(job.session, doneId, 'own_message');
    const target = await this.target(job.session, r.chatId, settings);
    await this.post(job, target, doneId, { type: 'revoke-note', revoke: r }, 'revoke');
  }

  /** `fresh`: the caller already claimed the id (true: no earlier attempt can have created it). */
  private async post(job: FromWhatsAppJob, target: ChatTarget, waId: string, item: PostItem, kind: string, fresh?: boolean): Promise<void> {
    const { idMap, destination, metrics } = this.deps;
    const sourceRef = sourceRefOf(waId);
    // A previous attempt may have created the message and died before recording it: look first.
    if (!(fresh ?? (await idMap.markInflight(job.session, waId)))) {
      const found = await destination.find(target, sourceRef);
      if (found) {
        this.journey.note(journeyRef(waId), { step: 'posted', chatwoot: found.messageId, conversation: found.conversationId, found: true });
        await idMap.record(job.session, { chatId: target.waChatId, waId }, found);
        return this.deps.metrics.dedupeHits.labels('inbound').inc();
      }
    }
    const ref = await destination.post(target, sourceRef, item);
    // Noted in the same tick as the record: one write to Redis for both.
    this.journey.note(journeyRef(waId), {
      step: 'posted',
      chatwoot: ref.messageId,
      conversation: ref.conversationId,
      // Indexed for `messages find` only when the chat id does not say it already (a linked id).
      ...(target.phone && target.phone !== phoneOfId(target.waChatId) ? { phone: target.phone } : {}),
    });
    await idMap.record(job.session, { chatId: target.waChatId, waId }, ref);
    metrics.messagesRelayed.labels('inbound', kind, 'ok').inc();
    metrics.relayLatency.labels('inbound').observe((Date.now() - job.receivedAt) / 1000);
    if (job.catchup) metrics.catchupRecovered.labels('inbound').inc();
  }

  private async quoted(session: string, waId: string): Promise<QuotedRef> {
    const ref = await this.deps.idMap.byWa(session, waId);
    return { sourceRef: sourceRefOf(waId), helpdeskId: ref && ref !== 'handled' ? ref.messageId : undefined };
  }

  private async target(session: string, chatId: string, settings: InboundSessionSettings, m?: RemoteMessage): Promise<ChatTarget> {
    const identity = await this.deps.identities.resolve(session, chatId, this.deps.engine(session));
    const name = identity.isGroup
      ? (m?.chatName ?? `WhatsApp group ${userOf(chatId)}`)
      : m && !m.fromMe && m.pushName
        ? m.pushName
        : identity.phone;
    return {
      session,
      inboxId: settings.inboxId,
      chatKey: identity.chatKey,
      waChatId: chatId,
      isGroup: identity.isGroup,
      name,
      phone: identity.phone,
      lid: identity.lid,
      reopen: settings.reopen,
    };
  }

  private async fetchMedia(job: FromWhatsAppJob, m: RemoteMessage, limitMB: number): Promise<MediaOutcome> {
    const session = job.session;
    const limit = limitMB * 1024 * 1024;
    if (m.media!.size && m.media!.size > limit) return { status: 'too_large', size: m.media!.size, limitMB };
    const engine = this.deps.engine(session);
    if (!engine) throw new RetryableError(`session ${session} has no engine`);
    let data: Buffer | undefined;
    try {
      data = await engine.downloadMedia(m.chatId, m.id, m.media!);
    } catch (err) {
      if (err instanceof MediaNotReadyError) throw mediaNotReady(err, job.receivedAt);
      if (err instanceof EngineNotReadyError) throw new RetryableError(err.message);
      throw new RetryableError(`media download failed: ${(err as Error).message}`);
    }
    if (!data) return { status: 'gone' };
    if (data.length > limit) return { status: 'too_large', size: data.length, limitMB };
    return { status: 'ok', data, mimetype: m.media!.mimetype, filename: m.media!.filename };
  }

  private ignore(reason: string): void {
    this.deps.metrics.ignored.labels(reason).inc();
  }

  /** Not relayed on purpose: remembered as handled, so a re-delivery or catch-up does not count it again. */
  private async skip(session: string, waId: string, reason: string): Promise<void> {
    this.journey.note(journeyRef(waId), { step: 'skipped', reason: SKIPPED[reason] ?? reason });
    await this.deps.idMap.recordHandled(session, waId);
    this.ignore(reason);
  }

  private dedupeHit(job: FromWhatsAppJob): void {
    this.journey.note(journeyOfInbound(job), { step: 'already-done' });
    this.deps.metrics.dedupeHits.labels('inbound').inc();
  }

  /** Taken in and persisted in its lane. */
  private received(job: FromWhatsAppJob, via: JourneyVia): void {
    const e = job.event;
    this.journey.note(journeyOfInbound(job), {
      step: 'received',
      via,
      session: job.session,
      kind: e.type === 'message' ? e.message.kind : e.type,
      chat: chatOf(job),
      lane: 'inbound',
    });
  }
}

/** Why a message was not relayed, as support reads it. */
const SKIPPED: Record<string, string> = {
  group: 'a group chat, and this session ignores groups (groups: ignore)',
  broadcast: 'a status update or channel post: never relayed',
  own_echo: 'the echo of a message Ponte sent',
  own_message: 'typed on the phone, and this session ignores those (ownMessages: ignore)',
};

/** The journey of what came from WhatsApp: kept under its WhatsApp id (a deletion's, a call's own id). */
export function journeyOfInbound(job: FromWhatsAppJob): JourneyRef {
  return journeyRef(eventId(job.event));
}

function journeyRef(waId: string): JourneyRef {
  return { side: 'wa', id: waId };
}

function fingerprintOf(m: RemoteMessage): string {
  return PendingSends.fingerprint(m.kind, m.text);
}

/** Quick at first (a send usually answers in a moment), slower while a send hangs up to its deadline. */
function echoWaitMs(job: FromWhatsAppJob): number {
  return Math.min(2000, Math.max(100, Math.round((Date.now() - job.receivedAt) / 4)));
}

/** In a group, who wrote (reacted, edited): the prefix agents need to tell members apart. */
function groupSenderOf(chatId: string, from: string, fromMe: boolean, pushName?: string): { name?: string; phone?: string } | undefined {
  if (!isGroupId(chatId) || fromMe) return undefined;
  return { name: pushName, phone: phoneOfId(from) };
}

function eventId(e: InboundEvent): string {
  switch (e.type) {
    case 'message':
      return e.message.id;
    case 'reaction':
      return e.reaction.id;
    case 'edit':
      return e.edit.id;
    case 'revoke':
      return `revoke:${e.revoke.messageId}`;
    case 'call':
      return `call:${e.call.id}`;
  }
}

function laneOf(job: FromWhatsAppJob): string {
  return `${job.session}|${chatOf(job)}`;
}

function chatOf(job: FromWhatsAppJob): string {
  const e = job.event;
  return e.type === 'message'
    ? e.message.chatId
    : e.type === 'reaction'
      ? e.reaction.chatId
      : e.type === 'edit'
        ? e.edit.chatId
        : e.type === 'call'
          ? e.call.from
          : e.revoke.chatId;
}

function toInbound(event: ChatContentEvent): InboundEvent {
  switch (event.type) {
    case 'message':
      return { type: 'message', message: event.message };
    case 'reaction':
      return { type: 'reaction', reaction: event.reaction };
    case 'edit':
      return { type: 'edit', edit: event.edit };
    case 'revoke':
      return { type: 'revoke', revoke: event.revoke };
  }
}
