import {
  cableUrlFor,
  parseFrame,
  parseRoomIdentifier,
  roomIdentifier,
  sameIdentifier,
  subscribeCommand,
} from '../../../src/chatwoot/realtime/frames';

const ID = roomIdentifier({ pubsubToken: 'tok-1', accountId: 3, userId: 7 });

describe('ActionCable frames', () => {
  test('the RoomChannel identifier is a JSON string with channel, pubsub_token, account_id and user_id', () => {
    expect(JSON.parse(ID)).toEqual({ channel: 'RoomChannel', pubsub_token: 'tok-1', account_id: 3, user_id: 7 });
    expect(JSON.parse(subscribeCommand(ID))).toEqual({ command: 'subscribe', identifier: ID });
    expect(parseRoomIdentifier(ID)).toEqual({ channel: 'RoomChannel', pubsub_token: 'tok-1', account_id: 3, user_id: 7 });
    expect(parseRoomIdentifier('{"channel":"NotificationChannel","pubsub_token":"x"}')).toBeUndefined();
    expect(parseRoomIdentifier('{"channel":"RoomChannel"}')).toBeUndefined();
    expect(parseRoomIdentifier('not json')).toBeUndefined();
  });

  test('welcome, ping, confirm, reject and disconnect', () => {
    expect(parseFrame('{"type":"welcome"}')).toEqual({ type: 'welcome' });
    expect(parseFrame('{"type":"ping","message":1776679200}')).toEqual({ type: 'ping', at: 1776679200 });
    expect(parseFrame(Buffer.from(JSON.stringify({ identifier: ID, type: 'confirm_subscription' })))).toEqual({
      type: 'confirm_subscription',
      identifier: ID,
    });
    expect(parseFrame(JSON.stringify({ identifier: ID, type: 'reject_subscription' }))).toEqual({
      type: 'reject_subscription',
      identifier: ID,
    });
    expect(parseFrame('{"type":"disconnect","reason":"unauthorized","reconnect":false}')).toEqual({
      type: 'disconnect',
      reason: 'unauthorized',
      reconnect: false,
    });
    expect(parseFrame('{"type":"disconnect","reason":"server_restart","reconnect":true}')).toEqual({
      type: 'disconnect',
      reason: 'server_restart',
      reconnect: true,
    });
  });

  test('a broadcast has no type: identifier plus message', () => {
    const message = { event: 'message.created', data: { id: 1 } };
    expect(parseFrame(JSON.stringify({ identifier: ID, message }))).toEqual({ type: 'message', identifier: ID, message });
  });

  test('garbage is reported, never thrown', () => {
    expect(parseFrame('{')).toMatchObject({ type: 'malformed' });
    expect(parseFrame('[1,2]')).toEqual({ type: 'malformed', error: 'not a JSON object' });
    expect(parseFrame('"ping"')).toEqual({ type: 'malformed', error: 'not a JSON object' });
    expect(parseFrame('{"type":"confirm_subscription"}')).toMatchObject({ type: 'unknown' });
    expect(parseFrame('{"type":"something_new"}')).toMatchObject({ type: 'unknown' });
    expect(parseFrame('{"identifier":"x"}')).toMatchObject({ type: 'unknown' });
  });

  test('identifiers compare by content, whatever the key order or spacing', () => {
    const reordered = JSON.stringify({ user_id: 7, account_id: 3, pubsub_token: 'tok-1', channel: 'RoomChannel' });
    expect(sameIdentifier(ID, ID)).toBe(true);
    expect(sameIdentifier(ID, reordered)).toBe(true);
    expect(sameIdentifier(ID, roomIdentifier({ pubsubToken: 'tok-2', accountId: 3, userId: 7 }))).toBe(false);
    expect(sameIdentifier(ID, 'nope')).toBe(false);
  });

  test('the cable URL comes from the base URL: http -> ws, https -> wss, /cable under any path prefix', () => {
    expect(cableUrlFor('https://chat.example.com')).toBe('wss://chat.example.com/cable');
    expect(cableUrlFor('https://chat.example.com/')).toBe('wss://chat.example.com/cable');
    expect(cableUrlFor('http://10.0.0.5:3000')).toBe('ws://10.0.0.5:3000/cable');
    expect(cableUrlFor('https://example.com/chatwoot/?x=1')).toBe('wss://example.com/chatwoot/cable');
  });
});
