import type { AckEvent, CallEvent } from '../core/messages';
import type { ChatContentEvent, EngineEvent, StateChange } from '../engines/types';

/**
 * The destinations of engine events, each given only its own kind. A side names the routes it owns and
 * leaves the others out: the session manager takes state and calls (first, so that no relay failure
 * stops its bookkeeping), the relays' wiring takes acks and chat content (wiring/engine-events.ts).
 */
export interface EngineEventRoutes<T = unknown> {
  /** The session's state: the session manager (status, reconnects, metrics). */
  state?(session: string, change: StateChange): void;
  /** Someone is calling: the call policy (its outcome reaches the agents as a note). */
  call?(session: string, call: CallEvent): void;
  /** Ticks of a message Ponte sent: the agents' side (from-agents/acks). */
  ack?(session: string, ack: AckEvent): void;
  /** Messages, deletions, edits and reactions: the from-whatsapp relay (the promise of the persist). */
  chat?(session: string, event: ChatContentEvent): T;
}

/** The one place that decides where an engine event goes; what the chat route returns comes back. */
export function routeEngineEvent<T>(session: string, event: EngineEvent, routes: EngineEventRoutes<T>): T | undefined {
  switch (event.type) {
    case 'state':
      routes.state?.(session, event.change);
      return undefined;
    case 'call':
      routes.call?.(session, event.call);
      return undefined;
    case 'ack':
      routes.ack?.(session, event.ack);
      return undefined;
    case 'message':
    case 'revoke':
    case 'edit':
    case 'reaction':
      return routes.chat?.(session, event);
    default:
      return unknownEvent(event);
  }
}

/** Compiles only while every kind of engine event has a route above. */
function unknownEvent(event: never): undefined {
  void event;
  return undefined;
}
