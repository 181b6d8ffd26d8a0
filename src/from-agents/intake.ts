import type Redis from 'ioredis';
import type { AgentEvent } from '../core/agent-messages';
import type { FromAgentsJob } from './relay';
import { pushToLane } from '../queue/lane-push';
import type { IdMap } from '../store/id-map';
import type { Keys } from '../store/keys';

/**
 * How long a webhook delivery id is remembered (a replayed delivery is refused that long). It only has to
 * outlast the same event arriving again by another road (webhook, socket, a signed replay within
 * Chatwoot's 5-minute window): the id map, checked before every send, is the lasting dedupe. Kept short,
 * as two keys per agent message would otherwise be most of what Redis holds for it.
 */
export const DELIVERY_TTL_S = 3600;
export const OUTBOUND_QUEUE = 'outbound';

/** One lane per Chatwoot conversation: its agent messages reach WhatsApp in order. */
export function outboundLane(session: string, conversationId: number): string {
  return `${session}|${conversationId}`;
}

export interface FromAgentsIntakeDeps {
  redis: Redis;
  keys: Keys;
  idMap: IdMap;
  sessionForInbox: (inboxId: number) => string | undefined;
  /** The lane was idle: get it drained (the relay's Lanes, or a message to the thread running them). */
  wake: (lane: string) => void;
}

/**
 * Takes in an agent event from a webhook: its delivery ids claimed and the event persisted in its
 * conversation's lane in one Redis step. Needs no queue worker, so it runs where the webhook is
 * answered, even in a thread of its own.
 */
export class FromAgentsIntake {
  constructor(private readonly deps: FromAgentsIntakeDeps) {}

  async persistOnce(event: AgentEvent, deliveryKeys: string[]): Promise<'queued' | 'duplicate' | 'unmapped'> {
    const { keys, idMap } = this.deps;
    const where = event.type === 'send' ? event.message : event;
    const session = this.deps.sessionForInbox(where.inboxId);
    if (!session) return 'unmapped';
    const mark = event.type === 'send' ? idMap.knownMark(session, `cw:${event.message.id}`) : undefined;
    const lane = outboundLane(session, where.conversationId);
    const job: FromAgentsJob = { session, receivedAt: Date.now(), event };
    const guard = { keys: deliveryKeys.map((k) => keys.webhookDelivery(k)), ttlS: DELIVERY_TTL_S };
    const pushed = await pushToLane(this.deps.redis, keys, OUTBOUND_QUEUE, lane, job, { mark, guard });
    if (pushed.wake) this.deps.wake(lane);
    return pushed.id ? 'queued' : 'duplicate';
  }
}
