import type { ChatContentEvent, EngineEvent } from '../engines/types';
import type { AckEvent, CallEvent } from '../core/messages';
import type { CallOutcome } from '../core/ports';
import type { SessionManager } from '../sessions/manager';
import { routeEngineEvent } from '../sessions/engine-event-router';
import type { FromWhatsAppRelay } from '../from-whatsapp/relay';
import type { AckRelay } from '../from-agents/acks';

/**
 * The relays' routes of engine events (sessions/engine-event-router.ts decides which is which): ticks to
 * the agents' side, what people did in a chat to the from-whatsapp relay, and the call policy's outcome
 * of a call to the same relay as a note. State and calls themselves are the session manager's routes.
 * Returns the sink the session manager hands each event to: the relay's promise of the persist comes back.
 */
export function relayEngineEvents(
  sessions: SessionManager,
  inbound: FromWhatsAppRelay,
  acks: AckRelay,
): (session: string, event: EngineEvent) => Promise<boolean> | undefined {
  sessions.on('call', (id: string, call: CallEvent, outcome: CallOutcome) => inbound.ingestCall(id, call, outcome));
  const routes = {
    ack: (session: string, ack: AckEvent) => acks.handle(session, ack),
    chat: (session: string, event: ChatContentEvent) => inbound.ingest(session, event),
  };
  return (session, event) => routeEngineEvent(session, event, routes);
}
