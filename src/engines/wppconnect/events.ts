import type { Ack } from '../../core/messages';
import type { Logger } from '../../observability/logger';
import type { EngineEvent } from '../types';
import type { Attempt } from './attempt';
import type { WppClient } from './library';
import {
  toAckEvent,
  toCallEvent,
  toEditEvent,
  toReactionEvent,
  toRemoteMessage,
  toRevokeEvent,
  type NormaliseContext,
  type RawJson,
} from './normalise';

export interface EventWiring {
  emit(event: EngineEvent): void;
  /** Our own ids, for the sender of our own messages. */
  self(): NormaliseContext;
  /** WhatsApp Web's socket state changed. */
  socketState(state: string): void;
  logger: Logger;
}

/** Remembers the last `max` keys; old ones fall out first. */
class Recent<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
  }
}

/**
 * Per session, across attempts: WhatsApp Web can report a message again after a reload or a resync,
 * and an ack code can repeat. Neither is news.
 */
export class EventMemory {
  readonly messages = new Recent<true>(2000);
  readonly acks = new Recent<Ack>(2000);
}

/**
 * Subscribes the session to the client's events. Only `onAnyMessage`: it carries both directions
 * (our own sends and what is typed on the phone come back as fromMe), and adding `onMessage` would
 * deliver every incoming message twice.
 */
export function wireEvents(attempt: Attempt, client: WppClient, wiring: EventWiring, memory: EventMemory): void {
  const guard =
    <T>(what: string, fn: (raw: T) => void) =>
    (raw: T) => {
      if (attempt.dead) return;
      try {
        fn(raw);
      } catch (err) {
        wiring.logger.error({ err, event: what }, 'handling a wppconnect event failed');
      }
    };
  const subscriptions = [
    client.onAnyMessage(
      guard('message', (raw) => {
        const message = toRemoteMessage(raw as unknown as RawJson, wiring.self());
        if (!message || memory.messages.get(message.id)) return;
        memory.messages.set(message.id, true);
        wiring.emit({ type: 'message', message });
      }),
    ),
    client.onAck(
      guard('ack', (raw) => {
        const ack = toAckEvent(raw as unknown as RawJson);
        if (!ack || memory.acks.get(ack.messageId) === ack.ack) return;
        memory.acks.set(ack.messageId, ack.ack);
        wiring.emit({ type: 'ack', ack });
      }),
    ),
    client.onRevokedMessage(
      guard('revoke', (raw) => {
        const revoke = toRevokeEvent(raw);
        if (revoke) wiring.emit({ type: 'revoke', revoke });
      }),
    ),
    client.onMessageEdit(
      guard('edit', (raw) => {
        const edit = toEditEvent(raw, wiring.self());
        if (edit) wiring.emit({ type: 'edit', edit });
      }),
    ),
    client.onReactionMessage(
      guard('reaction', (raw) => {
        const reaction = toReactionEvent(raw, wiring.self());
        if (reaction) wiring.emit({ type: 'reaction', reaction });
      }),
    ),
    client.onIncomingCall(
      guard('call', (raw) => {
        const call = toCallEvent(raw as unknown as RawJson);
        if (call) wiring.emit({ type: 'call', call });
      }),
    ),
    client.onStateChange(guard('state', (state) => wiring.socketState(String(state)))),
  ];
  for (const s of subscriptions) attempt.onDispose(() => s.dispose());
}
