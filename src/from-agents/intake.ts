import { chatIdFor, type AgentEvent } from '../core/agent-messages';
import { noJourney, type JourneyLog, type JourneyVia } from '../core/journey';
import type { FromAgentsJob } from './relay';
import type { IdMap } from '../store/id-map';
import type { DeliveryClaims, DeliveryGuard } from '../store/delivery-claims';

export const OUTBOUND_QUEUE = 'outbound';

/** One lane per Chatwoot conversation: its agent messages reach WhatsApp in order. */
export function outboundLane(session: string, conversationId: number): string {
  return `${session}|${conversationId}`;
}

/**
 * Appends a job to an outbound lane in one Redis step with its mark and its guard (queue/lane-push.ts's
 * pushToLane on the caller's connection): no id when the guard found a delivery claimed before; `wake`
 * when the lane was idle.
 */
export type OutboundLanePush = (
  lane: string,
  job: FromAgentsJob,
  opts: { mark?: { key: string; ttlS: number }; guard: DeliveryGuard },
) => Promise<{ id?: string; wake: boolean }>;

export interface FromAgentsIntakeDeps {
  push: OutboundLanePush;
  deliveries: DeliveryClaims;
  idMap: IdMap;
  sessionForInbox: (inboxId: number) => string | undefined;
  /** The lane was idle: get it drained (the relay's Lanes, or a message to the thread running them). */
  wake: (lane: string) => void;
  /** Which road this intake is (the front thread's takes the webhook, the main thread's the socket), for the journey. */
  via?: Extract<JourneyVia, 'webhook' | 'websocket'>;
  journey?: JourneyLog;
}

/**
 * Takes in an agent event from Chatwoot's webhook or its realtime socket, the one way either is taken
 * in: its delivery ids claimed and the event persisted in its conversation's lane in one Redis step, so
 * an event that came by both roads is queued once, and one that could not be persisted is not claimed
 * either (the poll finds it). Needs no queue worker, so it runs where the webhook is answered, even in a
 * thread of its own.
 */
export class FromAgentsIntake {
  constructor(private readonly deps: FromAgentsIntakeDeps) {}

  async persistOnce(event: AgentEvent, deliveryKeys: string[]): Promise<'queued' | 'duplicate' | 'unmapped'> {
    const { idMap, deliveries } = this.deps;
    const where = event.type === 'send' ? event.message : event;
    const session = this.deps.sessionForInbox(where.inboxId);
    if (!session) return 'unmapped';
    const mark = event.type === 'send' ? idMap.knownMark(session, `cw:${event.message.id}`) : undefined;
    const lane = outboundLane(session, where.conversationId);
    const job: FromAgentsJob = { session, receivedAt: Date.now(), event };
    const pushed = await this.deps.push(lane, job, { mark, guard: deliveries.guard(deliveryKeys) });
    if (pushed.wake) this.deps.wake(lane);
    if (event.type === 'send') noteReceived(this.deps.journey ?? noJourney, job, this.deps.via ?? 'webhook', !pushed.id);
    return pushed.id ? 'queued' : 'duplicate';
  }
}

/** An agent's message taken in: persisted in its lane, or a second delivery of one that was (`duplicate`). */
export function noteReceived(journey: JourneyLog, job: FromAgentsJob, via: JourneyVia, duplicate = false): void {
  if (job.event.type !== 'send') return;
  const m = job.event.message;
  const ref = { side: 'cw' as const, id: String(m.id) };
  if (duplicate) return journey.note(ref, { step: 'duplicate', via, session: job.session });
  journey.note(ref, {
    step: 'received',
    via,
    session: job.session,
    kind: m.attachments.length ? 'attachment' : 'text',
    chat: chatIdFor(m.chatKey, m.contactPhone),
    phone: m.contactPhone,
    lane: OUTBOUND_QUEUE,
  });
}
