import type { RemoteMessage } from '../../../../src/core/messages';
import { connectedRig, type Rig } from './harness';

/** Events as the real page hands them to wppconnect's exposed functions (JSON, object ids and all). */
const PEER = '351912000111';
const PEER_ID = `${PEER}@c.us`;
const wid = (id: string) => ({ server: id.split('@')[1], user: id.split('@')[0], _serialized: id });

let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

const messages = () => r.events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
const settle = () => new Promise((res) => setTimeout(res, 30));

test('an incoming message is one event, though the page reports it to onMessage and onAnyMessage', async () => {
  const raw = r.world.incoming(PEER, { type: 'chat', body: 'olá' });
  await r.until(() => messages().length, 'the message');
  await settle();
  expect(messages()).toHaveLength(1);
  expect(messages()[0]).toMatchObject({ id: raw.id, text: 'olá', fromMe: false, from: PEER_ID, pushName: 'Peer Push' });
});

test('the same message reported again (a page reload, a resync) is not a new event', async () => {
  const raw = r.world.incoming(PEER, { type: 'chat', body: 'once' });
  await r.until(() => messages().length, 'the message');
  r.world.page.fire('onAnyMessage', raw);
  await settle();
  expect(messages()).toHaveLength(1);
});

test('a message typed on the phone arrives as fromMe, sent by our own number', async () => {
  r.world.deliver({
    id: `true_${PEER_ID}_3EB0PHONE`,
    from: r.world.meId,
    to: PEER_ID,
    chatId: wid(PEER_ID),
    fromMe: true,
    t: Math.floor(Date.now() / 1000),
    type: 'chat',
    body: 'typed on the phone',
  });
  const m = await r.until(() => messages()[0], 'the own message');
  expect(m).toMatchObject({
    id: `true_${PEER_ID}_3EB0PHONE`,
    fromMe: true,
    from: r.world.meId,
    chatId: PEER_ID,
    text: 'typed on the phone',
  });
});

test('media: the caption is the text; the base64 thumbnail wppconnect puts in body is not', async () => {
  const raw = await r.world.incomingMedia(PEER, {
    data: Buffer.from('jpeg bytes'),
    mimetype: 'image/jpeg',
    caption: 'the receipt',
    type: 'image',
  });
  const m: RemoteMessage = await r.until(() => messages()[0], 'the media message');
  expect(m.text).toBe('the receipt');
  expect(JSON.stringify(m)).not.toContain(String(raw.body).slice(0, 24));
  expect(m.media).toEqual({ mimetype: 'image/jpeg', size: 10, handle: raw.id });
});

test('acks arrive with MsgKey object ids and are reported with the send id, in order, each once', async () => {
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'hello' });
  const acks = () => r.events.flatMap((e) => (e.type === 'ack' && e.ack.messageId === sent.remoteId ? [e.ack.ack] : []));
  await r.until(() => acks().includes('READ'), 'READ');
  // The page repeats an ack code: not news.
  const key = { fromMe: true, remote: wid(PEER_ID), id: sent.remoteId.split('_')[2] };
  r.world.page.fire('onAck', { id: key, ack: 3 });
  await settle();
  expect(acks()).toEqual(['SENT', 'DELIVERED', 'READ']);
  expect(r.events.find((e) => e.type === 'ack')).toMatchObject({ ack: { chatId: PEER_ID } });
});

test('acks of received messages (our own reads) are not reported', async () => {
  r.world.page.fire('onAck', { id: { fromMe: false, remote: wid(PEER_ID), id: '3EB0IN' }, ack: 3 });
  await settle();
  expect(r.events.filter((e) => e.type === 'ack')).toHaveLength(0);
});

test('revokes, edits, reactions and calls become their events', async () => {
  const original = `false_${PEER_ID}_3EB0ORIG`;
  r.world.page.fire('onRevokedMessage', {
    author: undefined,
    from: wid(PEER_ID),
    to: wid(r.world.meId),
    id: `false_${PEER_ID}_3EB0REV`,
    refId: original,
  });
  r.world.page.fire('onMessageEdit', {
    chat: wid(r.world.meId),
    id: original,
    msg: {
      id: original,
      from: PEER_ID,
      to: r.world.meId,
      chatId: wid(PEER_ID),
      fromMe: false,
      type: 'chat',
      body: 'edited text',
      t: 1,
      latestEditMsgKey: { fromMe: false, remote: wid(PEER_ID), id: '3EB0E1' },
      latestEditSenderTimestampMs: 1_760_000_000_000,
    },
  });
  r.world.page.fire('onReactionMessage', {
    id: { fromMe: false, remote: wid(PEER_ID), id: '3EB0RX' },
    msgId: { fromMe: true, remote: wid(PEER_ID), id: '3EB0MINE' },
    reactionText: '❤️',
    read: false,
    sender: wid(PEER_ID),
    orphan: 0,
    timestamp: 1_760_000_000_000,
  });
  r.world.page.fire('onIncomingCall', {
    id: 'CALL-1',
    peerJid: wid(PEER_ID),
    offerTime: 1_760_000_000,
    isVideo: false,
    isGroup: false,
    outgoing: false,
  });
  await r.until(() => r.events.some((e) => e.type === 'call'), 'the call');
  await settle();
  const byType = Object.fromEntries(r.events.filter((e) => e.type !== 'state').map((e) => [e.type, e]));
  expect(byType.revoke).toEqual({
    type: 'revoke',
    revoke: { messageId: original, chatId: PEER_ID, fromMe: false, timestamp: expect.any(Number) },
  });
  expect(byType.edit).toMatchObject({ edit: { id: `false_${PEER_ID}_3EB0E1`, messageId: original, text: 'edited text', from: PEER_ID } });
  expect(byType.reaction).toMatchObject({
    reaction: { messageId: `true_${PEER_ID}_3EB0MINE`, emoji: '❤️', from: PEER_ID, fromMe: false, timestamp: 1_760_000_000 },
  });
  expect(byType.call).toEqual({
    type: 'call',
    call: { id: 'CALL-1', from: PEER_ID, isVideo: false, isGroup: false, timestamp: 1_760_000_000 },
  });
});

test('a closed attempt is deaf: its page reporting later changes nothing', async () => {
  const oldPage = r.world.page;
  await r.engine.disconnect();
  const before = r.events.length;
  oldPage.closed = false; // as if the dying page still called out
  oldPage.fire('onAnyMessage', { id: `false_${PEER_ID}_3EB0LATE`, from: PEER_ID, chatId: PEER_ID, type: 'chat', body: 'late', t: 1 });
  oldPage.fire('onStateChange', 'TOS_BLOCK');
  await settle();
  expect(r.events.length).toBe(before);
  expect(r.engine.state()).toBe('TRANSIENT_DISCONNECT');
});
