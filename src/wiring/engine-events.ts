import type { ChatContentEvent, EngineEvent } from '../engines/types';
import type { AckEvent, CallEvent } from '../core/messages';
import type { CallOutcome } from '../core/ports';
import type { SessionManager } from '../sessions/manager';
import { routeEngineEvent } from '../sessions/engine-event-router';
import type { FromWhatsAppRelay } from '../from-whatsapp/relay';
import type { AckRelay } from '../from-agents/acks';
import { maskPhoneLike } from '../observability/logger';
import { inSpan, SpanKind } from '../observability/tracing';

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
    // The root of a WhatsApp message's trace: its lane push, wait and attempts follow it through Redis.
    chat: (session: string, event: ChatContentEvent) =>
      inSpan(
        'whatsapp.event',
        { 'ponte.session': session, 'ponte.event': event.type, 'ponte.message': messageIdOf(event) },
        () => inbound.ingest(session, event),
        { kind: SpanKind.CONSUMER },
      ),
  };
  return (session, event) => routeEngineEvent(session, event, routes);
}

/** The WhatsApp id an event is about, its phone digits masked (whatsapp-web.js ids embed the chat). */
function messageIdOf(event: ChatContentEvent): string {
  switch (event.type) {
    case 'message':
      return maskPhoneLike(event.message.id);
    case 'reaction':
      return maskPhoneLike(event.reaction.id);
    case 'edit':
      return maskPhoneLike(event.edit.id);
    case 'revoke':
      return maskPhoneLike(event.revoke.messageId);
  }
}
