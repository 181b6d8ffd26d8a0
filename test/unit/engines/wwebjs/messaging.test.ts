/**
 * Messages both ways through the whatsapp-web.js adapter: the real library's sendMessage, Message,
 * downloadMedia and friends run against a fake WhatsApp Web page that records what reached it.
 */
import type { RemoteMessage } from '../../../../src/core/messages';
import { EngineNotReadyError } from '../../../../src/engines/types';
import { harness, sleep, type Harness } from './harness';
import { rawMessage } from './raw';

const PEER = '351912000111';
const CHAT = `${PEER}@c.us`;
const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Rita Lopes\nTEL;type=CELL;waid=351913000000:+351 913 000 000\nEND:VCARD';

let h: Harness;
beforeEach(async () => {
  h = harness({ paired: true });
  await h.connected();
});
afterEach(() => h.close());

const echoOf = (id: string) => h.log.until(() => h.log.messages().find((m) => m.id === id), `the echo of ${id}`);
const inboundId = async (text = 'hello') => {
  const id = h.wa.injectText(PEER, text);
  await h.log.until(() => h.log.messages().find((m) => m.id === id), 'the inbound message');
  return id;
};

describe('inbound', () => {
  test('the library fires message_create and message for an incoming message: Ponte relays it once', async () => {
    let libraryMessageEvents = 0;
    h.wa.client.on('message', () => (libraryMessageEvents += 1));
    const id = h.wa.injectText(PEER, 'only once please');
    await sleep(30);
    expect(libraryMessageEvents).toBe(1);
    expect(h.log.messages().filter((m) => m.id === id)).toHaveLength(1);
  });

  test('a message typed on the phone (message_create only) arrives as our own', async () => {
    const raw = rawMessage({ chat: CHAT, me: h.wa.me, fromMe: true, body: 'typed on the phone', extra: { ack: 1 } });
    h.wa.deliver(raw);
    const m = await echoOf(raw.id._serialized);
    expect(m).toMatchObject({ fromMe: true, chatId: CHAT, from: h.wa.me, text: 'typed on the phone' });
  });

  test('acks of messages we received are not delivery reports: only our sends produce ack events', async () => {
    const raw = rawMessage({ chat: CHAT, me: h.wa.me, body: 'incoming' });
    h.wa.deliver(raw);
    h.wa.update(raw.id._serialized, { ack: 3 });
    await sleep(20);
    expect(h.log.events.filter((e) => e.type === 'ack')).toEqual([]);
  });

  test("edits, reactions, revokes and calls on the phone reach Ponte through the library's own listeners", async () => {
    const edited = await inboundId('before');
    const reacted = await inboundId('react to me');
    const revoked = await inboundId('soon gone');
    h.wa.editText(edited, 'after');
    h.wa.reactFromPhone(PEER, reacted, '❤️');
    h.wa.revokeFromPhone(revoked);
    const callId = h.wa.ring(PEER);
    const byType = (t: string) =>
      h.log.until(() => h.log.events.find((e) => e.type === t) as Record<string, unknown> | undefined, `a ${t} event`);
    expect(await byType('edit')).toMatchObject({ edit: { messageId: edited, text: 'after' } });
    expect(await byType('reaction')).toMatchObject({ reaction: { messageId: reacted, emoji: '❤️', from: CHAT } });
    expect(await byType('revoke')).toMatchObject({ revoke: { messageId: revoked, chatId: CHAT } });
    expect(await byType('call')).toMatchObject({ call: { id: callId, from: CHAT, isVideo: false } });
    await h.engine.capabilities.rejectCall!(callId, CHAT);
    expect(h.wa.ringing(callId)).toBe(false);
    expect(h.wa.world.callRejections).toEqual([{ to: CHAT, callId }]);
  });
});

describe('sending', () => {
  test('sending never marks the chat read on the phone (sendSeen false); markRead does, on purpose', async () => {
    await inboundId('unread on the phone');
    await h.engine.send({ kind: 'text', chatId: CHAT, text: 'agent reply' });
    await h.engine.send({ kind: 'image', chatId: CHAT, media: { data: Buffer.from('img'), mimetype: 'image/png' }, caption: 'pic' });
    await h.engine.send({ kind: 'location', chatId: CHAT, location: { lat: 1, lng: 2 } });
    await h.engine.send({ kind: 'contact', chatId: CHAT, vcard: VCARD });
    expect(h.wa.world.sends).toHaveLength(4);
    expect(h.wa.world.readMarks).toEqual([]);
    await h.engine.capabilities.markRead!(CHAT);
    expect(h.wa.world.readMarks).toEqual([CHAT]);
  });

  test('lookupNumber: the id WhatsApp has for a number (another form of it too), null without an account', async () => {
    h.wa.world.accounts.set('5511987654321', '551187654321@c.us');
    h.wa.world.accounts.set('351912999999', null);
    expect(await h.engine.capabilities.lookupNumber!('5511987654321')).toBe('551187654321@c.us');
    expect(await h.engine.capabilities.lookupNumber!('351912999999')).toBeNull();
    expect(await h.engine.capabilities.lookupNumber!('351913000111')).toBe('351913000111@c.us');
  });

  test('an agent text that looks like a vCard arrives as text; a contact send arrives as a contact card', async () => {
    const text = await h.engine.send({ kind: 'text', chatId: CHAT, text: VCARD });
    expect((await echoOf(text.remoteId)).kind).toBe('text');
    const card = await h.engine.send({ kind: 'contact', chatId: CHAT, vcard: VCARD });
    expect(await echoOf(card.remoteId)).toMatchObject({ kind: 'contact', vcards: [VCARD] });
    expect(h.wa.world.sends.map((s) => s.options.parseVCards)).toEqual([false, true]);
  });

  test('a reply quotes the message; when the quoted message is gone it still goes out without the quote', async () => {
    const id = await inboundId('a question');
    const reply = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'the answer', quotedId: id });
    expect((await echoOf(reply.remoteId)).quotedId).toBe(id);
    const orphan = await h.engine.send({
      kind: 'text',
      chatId: CHAT,
      text: 'answer to a deleted message',
      quotedId: `false_${CHAT}_3EB0GONE`,
    });
    const echo = await echoOf(orphan.remoteId);
    expect(echo.text).toBe('answer to a deleted message');
    expect(echo.quotedId).toBeUndefined();
  });

  test('media kinds: voice note, document with its name, sticker, video with caption; bytes unchanged', async () => {
    const ogg = Buffer.from('OggS-voice-bytes');
    const pdf = Buffer.from('%PDF-1.7 invoice');
    const sends = [
      await h.engine.send({ kind: 'voice', chatId: CHAT, media: { data: ogg, mimetype: 'audio/ogg; codecs=opus' } }),
      await h.engine.send({
        kind: 'document',
        chatId: CHAT,
        media: { data: pdf, mimetype: 'application/pdf', filename: 'fatura.pdf' },
        caption: 'your invoice',
      }),
      await h.engine.send({ kind: 'sticker', chatId: CHAT, media: { data: Buffer.from('RIFF-webp'), mimetype: 'image/webp' } }),
      await h.engine.send({ kind: 'video', chatId: CHAT, media: { data: Buffer.from('mp4'), mimetype: 'video/mp4' }, caption: 'watch' }),
    ];
    const echoes: RemoteMessage[] = [];
    for (const s of sends) echoes.push(await echoOf(s.remoteId));
    expect(echoes.map((e) => e.kind)).toEqual(['voice', 'document', 'sticker', 'video']);
    expect(echoes[1]).toMatchObject({ text: 'your invoice', media: { filename: 'fatura.pdf', mimetype: 'application/pdf' } });
    expect(echoes[3].text).toBe('watch');
    expect(await h.engine.downloadMedia(CHAT, echoes[0].id, echoes[0].media!)).toEqual(ogg);
    expect(await h.engine.downloadMedia(CHAT, echoes[1].id, echoes[1].media!)).toEqual(pdf);
  });

  test('a location goes out with its name and address', async () => {
    const sent = await h.engine.send({
      kind: 'location',
      chatId: CHAT,
      location: { lat: 38.7, lng: -9.1, name: 'Loja', address: 'Rua Augusta 1' },
    });
    expect((await echoOf(sent.remoteId)).location).toEqual({ lat: 38.7, lng: -9.1, name: 'Loja', address: 'Rua Augusta 1' });
  });

  test('reactions land on the message; a reaction to a message WhatsApp Web lost fails clearly', async () => {
    const id = await inboundId();
    const a = await h.engine.send({ kind: 'reaction', chatId: CHAT, messageId: id, emoji: '👍' });
    const b = await h.engine.send({ kind: 'reaction', chatId: CHAT, messageId: id, emoji: '' });
    expect(a.remoteId).not.toBe(b.remoteId);
    expect(h.wa.world.reactions).toEqual([
      { messageId: id, emoji: '👍' },
      { messageId: id, emoji: '' },
    ]);
    await expect(h.engine.send({ kind: 'reaction', chatId: CHAT, messageId: `false_${CHAT}_3EB0NOPE`, emoji: '👍' })).rejects.toThrow(
      /no longer in WhatsApp Web/,
    );
  });

  test('revoke deletes our message for everyone; typing shows and clears the chat state', async () => {
    const sent = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'oops' });
    await h.engine.capabilities.revoke!(CHAT, sent.remoteId);
    expect(h.wa.world.revokes).toEqual([{ chatId: CHAT, messageId: sent.remoteId }]);
    await expect(h.engine.capabilities.revoke!(CHAT, `true_${CHAT}_3EB0NOPE`)).rejects.toThrow(/no longer in WhatsApp Web/);
    await h.engine.capabilities.typing!(CHAT, true);
    await h.engine.capabilities.typing!(CHAT, false);
    expect(h.wa.world.typing).toEqual([
      { chatId: CHAT, state: 'typing' },
      { chatId: CHAT, state: 'stop' },
    ]);
  });

  test('a chat WhatsApp Web does not have rejects the send without printing the whole number', async () => {
    h.wa.world.accounts.set('0351912999888', null);
    const err = (await h.engine.send({ kind: 'text', chatId: '0351912999888@c.us', text: 'x' }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/has no chat .*9888@c\.us: is the number on WhatsApp\?/);
    expect(err.message).not.toContain('0351912999888');
  });

  test('after a disconnect every capability refuses with EngineNotReadyError', async () => {
    await h.engine.disconnect();
    const caps = h.engine.capabilities;
    for (const attempt of [
      () => caps.typing!(CHAT, true),
      () => caps.markRead!(CHAT),
      () => caps.revoke!(CHAT, 'x'),
      () => caps.rejectCall!('c', CHAT),
      () => h.engine.recentMessages(CHAT, 0),
    ]) {
      await expect(attempt()).rejects.toBeInstanceOf(EngineNotReadyError);
    }
  });
});

describe('media, catch-up and contacts', () => {
  test('downloadMedia is undefined when the message is gone from WhatsApp Web or its media is expiring (REUPLOADING)', async () => {
    const id = h.wa.injectMedia(PEER, { data: Buffer.from('x'), mimetype: 'image/jpeg' });
    const m = await h.log.until(() => h.log.messages().find((x) => x.id === id), 'the media message');
    h.wa.world.media.delete(id); // WhatsApp's media servers answer 404
    await expect(h.engine.downloadMedia(CHAT, id, m.media!)).resolves.toBeUndefined();
    h.wa.world.messages.delete(id); // getMessageById finds nothing
    await expect(h.engine.downloadMedia(CHAT, id, m.media!)).resolves.toBeUndefined();
  });

  test('recentMessages leaves out older and system messages', async () => {
    const now = Math.floor(Date.now() / 1000);
    h.wa.deliver(rawMessage({ chat: CHAT, me: h.wa.me, body: 'old', t: now - 3600 }));
    h.wa.deliver(rawMessage({ chat: CHAT, me: h.wa.me, type: 'e2e_notification', t: now }));
    const fresh = h.wa.injectText(PEER, 'fresh');
    const history = await h.engine.recentMessages(CHAT, now - 60);
    expect(history.map((m) => m.id)).toEqual([fresh]);
  });

  test('resolveContact maps a linked id to its phone and adds name and avatar; unconnected it answers from the id alone', async () => {
    const lid = '205391234567890@lid';
    h.wa.world.pnOfLid.set(lid, '351913444555@c.us');
    h.wa.world.lidOfPn.set('351913444555@c.us', lid);
    expect(await h.engine.resolveContact(lid)).toEqual({
      id: lid,
      lid,
      phone: '+351913444555',
      name: 'Peer Pushname',
      avatarUrl: 'https://pps.whatsapp.net/v/205391234567890.jpg',
    });
    await h.engine.disconnect();
    const calls = h.wa.pageCalls().length;
    expect(await h.engine.resolveContact(CHAT)).toEqual({ id: CHAT, phone: `+${PEER}` });
    expect(await h.engine.resolveContact(lid)).toEqual({ id: lid, lid });
    expect(h.wa.pageCalls().length).toBe(calls);
  });
});
