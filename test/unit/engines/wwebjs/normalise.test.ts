/**
 * whatsapp-web.js messages -> RemoteMessage, from raw WhatsApp Web data through the library's real
 * Message/Reaction/Call classes: what the Chatwoot side will show for each kind.
 */
import WAWebJS from 'whatsapp-web.js';
import {
  toAckEvent,
  toCallEvent,
  toEditEvent,
  toReactionEvent,
  toRemoteMessage,
  toRevokeEvent,
} from '../../../../src/engines/wwebjs/normalise';
import { call, message, msgKey, rawMedia, rawMessage, reaction, wid } from './raw';

const client = new WAWebJS.Client({});
const ME = '351910000001@c.us';
const PEER = '351912000111@c.us';
const GROUP = '120363025555555555@g.us';
const self = { meId: ME, meLid: '99887766554433@lid' };

const inbound = (extra: Parameters<typeof rawMessage>[0] extends infer T ? Partial<T> : never) =>
  message(client, rawMessage({ chat: PEER, me: ME, ...extra }));

describe('message kinds', () => {
  test('a text keeps body, sender, chat, timestamp and the push name; ids are strings', () => {
    const m = toRemoteMessage(inbound({ body: 'olá', t: 1_750_000_000, extra: { notifyName: 'Ana' } }), self)!;
    expect(m).toMatchObject({
      kind: 'text',
      text: 'olá',
      chatId: PEER,
      from: PEER,
      fromMe: false,
      timestamp: 1_750_000_000,
      isGroup: false,
      pushName: 'Ana',
    });
    expect(typeof m.id).toBe('string');
    expect(m.id).toMatch(/^false_351912000111@c\.us_3EB0/);
    expect(m.rawType).toBeUndefined();
  });

  test('media: the caption is the text (never the base64 thumbnail), the handle finds the message again', () => {
    const raw = rawMedia({ chat: PEER, me: ME, type: 'image', mimetype: 'image/jpeg', caption: 'the receipt', size: 48213 });
    const m = toRemoteMessage(message(client, raw), self)!;
    expect(m).toMatchObject({
      kind: 'image',
      text: 'the receipt',
      media: { mimetype: 'image/jpeg', size: 48213, handle: raw.id._serialized },
    });
    const noCaption = toRemoteMessage(message(client, rawMedia({ chat: PEER, me: ME, type: 'image', mimetype: 'image/png' })), self)!;
    expect(noCaption.text).toBeUndefined();
    // media whose directPath is gone: the library puts the thumbnail into body; it must not become text
    const gone = rawMedia({ chat: PEER, me: ME, type: 'video', mimetype: 'video/mp4' });
    delete gone.directPath;
    const g = toRemoteMessage(message(client, gone), self)!;
    expect(g.text).toBeUndefined();
    expect(g.media).toMatchObject({ mimetype: 'video/mp4' });
  });

  test.each([
    ['ptt', 'audio/ogg; codecs=opus', 'voice'],
    ['audio', 'audio/mpeg', 'audio'],
    ['video', 'video/mp4', 'video'],
    ['sticker', 'image/webp', 'sticker'],
  ])('%s (%s) is kind %s', (type, mimetype, kind) => {
    const m = toRemoteMessage(message(client, rawMedia({ chat: PEER, me: ME, type, mimetype })), self)!;
    expect(m.kind).toBe(kind);
    expect(m.media?.mimetype).toBe(mimetype);
  });

  test('a document keeps its file name', () => {
    const m = toRemoteMessage(
      message(client, rawMedia({ chat: PEER, me: ME, type: 'document', mimetype: 'application/pdf', filename: 'fatura-0042.pdf' })),
      self,
    )!;
    expect(m).toMatchObject({ kind: 'document', media: { mimetype: 'application/pdf', filename: 'fatura-0042.pdf' } });
  });

  test('a location gives coordinates, name and address (and no text)', () => {
    const m = toRemoteMessage(
      inbound({ type: 'location', body: '', extra: { lat: 38.7223, lng: -9.1393, loc: 'Padaria Central\nRua Augusta 1, Lisboa' } }),
      self,
    )!;
    expect(m).toMatchObject({
      kind: 'location',
      location: { lat: 38.7223, lng: -9.1393, name: 'Padaria Central', address: 'Rua Augusta 1, Lisboa' },
    });
    expect(m.text).toBeUndefined();
    const bare = toRemoteMessage(inbound({ type: 'location', extra: { lat: 1.5, lng: 2.5 } }), self)!;
    expect(bare.location).toEqual({ lat: 1.5, lng: 2.5 });
  });

  test('vcard and multi_vcard become a contact with every card', () => {
    const card = 'BEGIN:VCARD\nVERSION:3.0\nFN:Rita\nTEL;waid=351913000000:+351 913 000 000\nEND:VCARD';
    const one = toRemoteMessage(inbound({ type: 'vcard', body: card }), self)!;
    expect(one).toMatchObject({ kind: 'contact', vcards: [card] });
    expect(one.text).toBeUndefined();
    const many = toRemoteMessage(
      inbound({ type: 'multi_vcard', body: '2 contacts', extra: { vcardList: [{ vcard: card }, { vcard: card.replace('Rita', 'Rui') }] } }),
      self,
    )!;
    expect(many.vcards).toHaveLength(2);
    expect(many.vcards![1]).toContain('Rui');
  });

  test('a poll carries its question; a call log is a call; other types are unknown with their raw type', () => {
    expect(
      toRemoteMessage(inbound({ type: 'poll_creation', body: '', extra: { pollName: 'Which day?', pollOptions: [] } }), self),
    ).toMatchObject({ kind: 'poll', text: 'Which day?' });
    expect(toRemoteMessage(inbound({ type: 'call_log' }), self)).toMatchObject({ kind: 'call' });
    const order = toRemoteMessage(inbound({ type: 'order', body: 'binary-ish' }), self)!;
    expect(order).toMatchObject({ kind: 'unknown', rawType: 'order' });
    expect(order.text).toBeUndefined();
  });

  test.each(['e2e_notification', 'notification_template', 'protocol', 'revoked', 'ciphertext', 'gp2', 'album'])(
    'system message %s is not relayed',
    (type) => {
      expect(toRemoteMessage(inbound({ type }), self)).toBeUndefined();
    },
  );
});

describe('who sent it, where', () => {
  test('our own message (typed on the phone) belongs to the peer chat and comes from us', () => {
    const m = toRemoteMessage(message(client, rawMessage({ chat: PEER, me: ME, fromMe: true, body: 'sent from the phone' })), self)!;
    expect(m).toMatchObject({ chatId: PEER, from: ME, fromMe: true, kind: 'text' });
    expect(m.pushName).toBeUndefined();
  });

  test('in a group the sender is the author, the chat is the group', () => {
    const author = '351913333333@c.us';
    const m = toRemoteMessage(
      message(client, rawMessage({ chat: GROUP, me: ME, author, body: 'hi all', extra: { notifyName: 'Zé' } })),
      self,
    )!;
    expect(m).toMatchObject({ chatId: GROUP, from: author, isGroup: true, pushName: 'Zé' });
    const mine = toRemoteMessage(message(client, rawMessage({ chat: GROUP, me: ME, fromMe: true, body: 'mine' })), self)!;
    expect(mine).toMatchObject({ chatId: GROUP, from: ME, fromMe: true, isGroup: true });
  });

  test('a linked-id (@lid) sender keeps its id as chat and sender', () => {
    const lid = '205391234567890@lid';
    const m = toRemoteMessage(message(client, rawMessage({ chat: lid, me: ME, body: 'from a lid' })), self)!;
    expect(m).toMatchObject({ chatId: lid, from: lid });
  });

  test('a reply names the quoted message by the same id Ponte stored for it', () => {
    const original = rawMessage({ chat: PEER, me: ME, body: 'question' });
    const reply = rawMessage({
      chat: PEER,
      me: ME,
      body: 'answer',
      extra: { quotedMsg: { type: 'chat', body: 'question' }, quotedStanzaID: original.id.id, quotedParticipant: wid(PEER) },
    });
    expect(toRemoteMessage(message(client, reply), self)!.quotedId).toBe(original.id._serialized);
    const ours = rawMessage({ chat: PEER, me: ME, fromMe: true, body: 'our question' });
    const replyToUs = rawMessage({
      chat: PEER,
      me: ME,
      body: 'answer',
      extra: { quotedMsg: { type: 'chat' }, quotedStanzaID: ours.id.id, quotedParticipant: ME },
    });
    expect(toRemoteMessage(message(client, replyToUs), self)!.quotedId).toBe(ours.id._serialized);
    const author = '351913333333@c.us';
    const inGroup = rawMessage({ chat: GROUP, me: ME, author, body: 'group q' });
    const groupReply = rawMessage({
      chat: GROUP,
      me: ME,
      author: ME,
      fromMe: true,
      body: 'a',
      extra: { quotedMsg: { type: 'chat' }, quotedStanzaID: inGroup.id.id, quotedParticipant: author },
    });
    expect(toRemoteMessage(message(client, groupReply), self)!.quotedId).toBe(inGroup.id._serialized);
    expect(toRemoteMessage(inbound({ body: 'no reply' }), self)!.quotedId).toBeUndefined();
  });
});

describe('acks, revokes, edits, reactions, calls', () => {
  test('ack codes map to Ponte acks, only for our own messages', () => {
    const ours = message(client, rawMessage({ chat: PEER, me: ME, fromMe: true }));
    expect([-1, 0, 1, 2, 3, 4].map((c) => toAckEvent(ours, c)?.ack)).toEqual(['FAILED', 'PENDING', 'SENT', 'DELIVERED', 'READ', 'PLAYED']);
    expect(toAckEvent(ours, 2)).toEqual({ messageId: ours.id._serialized, chatId: PEER, ack: 'DELIVERED' });
    expect(toAckEvent(ours, 7)).toBeUndefined();
    expect(toAckEvent(inbound({}), 3)).toBeUndefined();
  });

  test('a revoke names the original message', () => {
    const originalKey = msgKey(false, PEER);
    const placeholder = message(client, rawMessage({ chat: PEER, me: ME, type: 'revoked', extra: { protocolMessageKey: originalKey } }));
    expect(toRevokeEvent(placeholder)).toMatchObject({ messageId: originalKey._serialized, chatId: PEER, fromMe: false });
    const plain = message(client, rawMessage({ chat: PEER, me: ME, type: 'revoked' }));
    expect(toRevokeEvent(plain)!.messageId).toBe(plain.id._serialized);
  });

  test('an edit carries the new text and a stable id; a first fill of an empty body is no edit', () => {
    const editKey = msgKey(false, PEER);
    const m = message(
      client,
      rawMessage({
        chat: PEER,
        me: ME,
        body: 'new text',
        extra: { latestEditMsgKey: editKey, latestEditSenderTimestampMs: 1_750_000_123_456 },
      }),
    );
    expect(toEditEvent(m, 'new text', 'old text', self)).toEqual({
      id: editKey._serialized,
      messageId: m.id._serialized,
      chatId: PEER,
      from: PEER,
      fromMe: false,
      text: 'new text',
      timestamp: 1_750_000_123,
    });
    expect(toEditEvent(m, 'new text', '', self)).toBeUndefined();
    expect(toEditEvent(m, 'same', 'same', self)).toBeUndefined();
    const bare = message(client, rawMessage({ chat: PEER, me: ME, body: 'b' }));
    expect(toEditEvent(bare, 'b', 'a', self)!.id).toBe(toEditEvent(bare, 'b', 'a', self)!.id);
  });

  test('a reaction names its message, sender and emoji; an empty emoji is a removal', () => {
    const parent = msgKey(true, PEER);
    const own = msgKey(false, PEER);
    const r = reaction(client, {
      msgKey: own,
      parentMsgKey: parent,
      senderUserJid: PEER,
      reactionText: '👍',
      timestamp: 1_750_000_000.456,
    });
    expect(toReactionEvent(r)).toEqual({
      id: own._serialized,
      messageId: parent._serialized,
      chatId: PEER,
      from: PEER,
      fromMe: false,
      emoji: '👍',
      timestamp: 1_750_000_000,
    });
    const removed = reaction(client, {
      msgKey: msgKey(false, PEER),
      parentMsgKey: parent,
      senderUserJid: PEER,
      reactionText: '',
      timestamp: 1,
    });
    expect(toReactionEvent(removed)!.emoji).toBe('');
  });

  test('an incoming call becomes a call event; our own outgoing calls do not', () => {
    const c = call(client, { id: 'CALL1', peerJid: PEER, isVideo: true, isGroup: false, offerTime: 1_750_000_000, outgoing: false });
    expect(toCallEvent(c)).toEqual({ id: 'CALL1', from: PEER, isVideo: true, isGroup: false, timestamp: 1_750_000_000 });
    expect(toCallEvent(call(client, { id: 'CALL2', peerJid: PEER, outgoing: true }))).toBeUndefined();
  });
});
