import type { Logger } from '../observability/logger';
import type { RegistrationStore } from '../store/registrations';

export interface ForwarderLanes {
  length(lane: string): Promise<number>;
  push(lane: string, job: { id: string }): Promise<string>;
}

/**
 * On start: a registration marked queued whose lane is empty was never handed to the forwarder (the
 * process died between the two steps) and would wait for a flow end that may never come again. It is
 * handed on now. One still in its lane (waiting, retrying or in flight) is left alone; delivery is
 * idempotent anyway (status check, Idempotency-Key), so a race costs nothing but a check.
 */
export async function requeueStranded(store: RegistrationStore, lanes: ForwarderLanes, logger: Logger): Promise<number> {
  let requeued = 0;
  for await (const rec of store.withStatus('queued')) {
    if ((await lanes.length(rec.id)) > 0) continue;
    await lanes.push(rec.id, { id: rec.id });
    requeued += 1;
  }
  if (requeued) logger.warn({ requeued }, 'registrations queued but never handed to the forwarder were handed on');
  return requeued;
}
