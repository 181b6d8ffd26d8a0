import type { Keys } from './keys';

/**
 * How long a delivery id is remembered (a replayed delivery is refused that long). It only has to
 * outlast the same event arriving again by another road (webhook, socket, a signed replay within
 * Chatwoot's 5-minute window): the id map, checked before every send, is the lasting dedupe. Kept short,
 * as two keys per agent message would otherwise be most of what Redis holds for it.
 */
export const DELIVERY_TTL_S = 3600;

/** The keys that claim agent events' delivery ids, set with the event's lane push and only with it. */
export interface DeliveryGuard {
  keys: string[];
  ttlS: number;
}

/**
 * Delivery ids of Chatwoot's agent events (`<prefix>webhook-delivery:<id>`: the webhook's
 * X-Chatwoot-Delivery and the event's own key, which the realtime socket shares). They are claimed in
 * the same Redis step that persists the event in its lane (the guard of queue/lane-push.ts), never apart:
 * an event is either claimed and persisted, or neither.
 */
export class DeliveryClaims {
  constructor(private readonly keys: Keys) {}

  /** The guard of a lane push claiming `ids`: nothing is pushed when one of them was claimed before. */
  guard(ids: string[]): DeliveryGuard {
    return { keys: ids.map((id) => this.keys.webhookDelivery(id)), ttlS: DELIVERY_TTL_S };
  }
}
