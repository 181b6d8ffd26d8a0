import { routeEngineEvent, type EngineEventRoutes } from '../../../src/sessions/engine-event-router';
import type { EngineEvent } from '../../../src/engines/types';
import type { RemoteMessage } from '../../../src/core/messages';

const message: RemoteMessage = {
  id: 'M1',
  chatId: '351912345678@c.us',
  from: '351912345678@c.us',
  fromMe: false,
  timestamp: 1,
  kind: 'text',
  text: 'hi',
  isGroup: false,
};
const EVENTS: Record<EngineEvent['type'], EngineEvent> = {
  message: { type: 'message', message },
  revoke: { type: 'revoke', revoke: { messageId: 'M1', chatId: message.chatId, fromMe: false, timestamp: 2 } },
  edit: {
    type: 'edit',
    edit: { id: 'E1', messageId: 'M1', chatId: message.chatId, from: message.from, fromMe: false, text: 'hello', timestamp: 3 },
  },
  reaction: {
    type: 'reaction',
    reaction: { id: 'R1', messageId: 'M1', chatId: message.chatId, from: message.from, fromMe: false, emoji: '👍', timestamp: 4 },
  },
  ack: { type: 'ack', ack: { messageId: 'M1', chatId: message.chatId, ack: 'READ' } },
  call: { type: 'call', call: { id: 'C1', from: message.from, isVideo: false, isGroup: false, timestamp: 5 } },
  state: { type: 'state', change: { state: 'CONNECTED' } },
};

function recorder(): { seen: string[]; routes: EngineEventRoutes<string> } {
  const seen: string[] = [];
  return {
    seen,
    routes: {
      state: (s, change) => void seen.push(`${s} state ${change.state}`),
      call: (s, call) => void seen.push(`${s} call ${call.id}`),
      ack: (s, ack) => void seen.push(`${s} ack ${ack.messageId} ${ack.ack}`),
      chat: (s, event) => {
        seen.push(`${s} chat ${event.type}`);
        return `persisted ${event.type}`;
      },
    },
  };
}

describe('where an engine event goes', () => {
  test('each kind reaches its own route, once, with the session', () => {
    const { seen, routes } = recorder();
    for (const event of Object.values(EVENTS)) routeEngineEvent('main', event, routes);
    expect(seen).toEqual([
      'main chat message',
      'main chat revoke',
      'main chat edit',
      'main chat reaction',
      'main ack M1 READ',
      'main call C1',
      'main state CONNECTED',
    ]);
  });

  test('what the chat route answers (the promise of the persist) comes back; the other routes answer nothing', () => {
    const { routes } = recorder();
    expect(routeEngineEvent('main', EVENTS.message, routes)).toBe('persisted message');
    expect(routeEngineEvent('main', EVENTS.ack, routes)).toBeUndefined();
    expect(routeEngineEvent('main', EVENTS.state, routes)).toBeUndefined();
  });

  test('a side that leaves a route out does not get those events', () => {
    const seen: string[] = [];
    const own = { state: () => void seen.push('state'), call: () => void seen.push('call') };
    for (const event of Object.values(EVENTS)) expect(routeEngineEvent('main', event, own)).toBeUndefined();
    expect(seen).toEqual(['call', 'state']);
  });
});
