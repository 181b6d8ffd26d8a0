/**
 * The unkind facts of real WhatsApp Web under whatsapp-web.js 1.34.7 (ENGINES.md "Second look"), each as
 * the fake page plays it and as the adapter must handle it.
 */
import type { OutboundMessage } from '../../../../src/core/messages';
import { MediaNotReadyError } from '../../../../src/engines/types';
import { harness, type Harness } from './harness';

const PEER = '351912000111';
const CHAT = `${PEER}@c.us`;
const JPEG = { data: Buffer.from('jpeg-bytes'), mimetype: 'image/jpeg' };

let h: Harness;
beforeEach(async () => {
  h = harness({ paired: true, timings: { callRejectConfirmMs: 200, callRejectPollMs: 20 } });
  await h.connected();
});
afterEach(() => h.close());

const messageOf = (id: string) => h.log.until(() => h.log.messages().find((m) => m.id === id), `message ${id}`);
const editsOf = (id: string) => h.log.events.flatMap((e) => (e.type === 'edit' && e.edit.messageId === id ? [e.edit] : []));
const settle = () => new Promise((r) => setTimeout(r, 40));

describe('kinds', () => {
  test('several photos at once: the album parent is not relayed, each picture is, with its media', async () => {
    const { albumId, pictureIds } = h.wa.injectAlbum(PEER, [JPEG, { ...JPEG, caption: 'second' }]);
    const pictures = await Promise.all(pictureIds.map(messageOf));
    await settle();
    expect(h.log.messages().find((m) => m.id === albumId)).toBeUndefined();
    expect(pictures.map((p) => [p.kind, p.text])).toEqual([
      ['image', undefined],
      ['image', 'second'],
    ]);
    expect(await h.engine.downloadMedia(CHAT, pictures[0].id, pictures[0].media!)).toEqual(JPEG.data);
  });

  test('a round video note (ptv) is a video with its media', async () => {
    const bytes = Buffer.from('round-video-mp4');
    const id = h.wa.injectRoundVideo(PEER, { data: bytes, mimetype: 'video/mp4' });
    const m = await messageOf(id);
    expect(m).toMatchObject({ kind: 'video', media: { mimetype: 'video/mp4' } });
    expect(await h.engine.downloadMedia(CHAT, m.id, m.media!)).toEqual(bytes);
  });
});

describe('edits', () => {
  test('a caption edit is relayed as its text, once, not as the base64 thumbnail in body', async () => {
    const id = h.wa.injectMedia(PEER, { ...JPEG, caption: 'old caption' });
    await messageOf(id);
    h.wa.editCaption(id, 'new caption');
    await h.log.until(() => editsOf(id).length, 'the edit');
    await settle();
    expect(editsOf(id).map((e) => e.text)).toEqual(['new caption']);
  });

  test('an edit that adds a caption to a photo sent without one is relayed', async () => {
    const id = h.wa.injectMedia(PEER, JPEG);
    await messageOf(id);
    h.wa.editCaption(id, 'added later');
    await h.log.until(() => editsOf(id).length, 'the edit');
    expect(editsOf(id)[0]).toMatchObject({ text: 'added later', chatId: CHAT, fromMe: false });
  });

  test('a text edit is relayed with its new text', async () => {
    const id = h.wa.injectText(PEER, 'typo');
    await messageOf(id);
    h.wa.editText(id, 'fixed');
    await h.log.until(() => editsOf(id).length, 'the edit');
    expect(editsOf(id).map((e) => e.text)).toEqual(['fixed']);
  });
});

describe('acks and media', () => {
  test.each([-1, -2, -3, -4, -5, -6, -7])('a send acked %i is FAILED', async (code) => {
    h.wa.world.nextSendAck = code;
    const sent = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'will fail' });
    await h.log.until(() => h.log.acksOf(sent.remoteId).length, 'the failure ack');
    expect(h.log.acksOf(sent.remoteId)).toEqual(['FAILED']);
  });

  test('media the phone is still re-uploading is "not yet" (MediaNotReadyError), then downloads; gone media is undefined', async () => {
    const bytes = Buffer.from('old-photo');
    const { id, finish } = h.wa.injectReuploadingMedia(PEER, { data: bytes, mimetype: 'image/jpeg' });
    const m = await messageOf(id);
    await expect(h.engine.downloadMedia(CHAT, id, m.media!)).rejects.toBeInstanceOf(MediaNotReadyError);
    finish();
    expect(await h.engine.downloadMedia(CHAT, id, m.media!)).toEqual(bytes);
    const goneId = h.wa.injectMedia(PEER, JPEG, true);
    const gone = await messageOf(goneId);
    await expect(h.engine.downloadMedia(CHAT, goneId, gone.media!)).resolves.toBeUndefined();
  });
});

describe('revokes and calls', () => {
  test('within the time limit a revoke deletes for everyone; past it WhatsApp Web only deletes here, and says so (me)', async () => {
    const early = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'fresh' });
    expect(await h.engine.capabilities.revoke!(CHAT, early.remoteId)).toBe('everyone');
    const late = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'days old' });
    h.wa.expireRevokeWindow();
    expect(await h.engine.capabilities.revoke!(CHAT, late.remoteId)).toBe('me');
    expect(h.wa.world.revokes.map((r) => r.messageId)).toEqual([early.remoteId]);
    expect(h.wa.world.deletesForMe.map((r) => r.messageId)).toEqual([late.remoteId]);
  });

  test('a call rejection WhatsApp ignores (1.34.7) rejects with the reason; one that works ends the call', async () => {
    const ok = h.wa.ring(PEER);
    await h.log.until(() => h.log.events.some((e) => e.type === 'call' && e.call.id === ok), 'the call');
    await expect(h.engine.capabilities.rejectCall!(ok, CHAT)).resolves.toBeUndefined();
    expect(h.wa.ringing(ok)).toBe(false);

    h.wa.world.callRejectionBroken = true;
    const ignored = h.wa.ring(PEER);
    await h.log.until(() => h.log.events.some((e) => e.type === 'call' && e.call.id === ignored), 'the second call');
    await expect(h.engine.capabilities.rejectCall!(ignored, CHAT)).rejects.toThrow(/still shows the call .* after rejecting it/);
    expect(h.wa.ringing(ignored)).toBe(true);
    expect(h.wa.world.callRejections.map((r) => r.callId)).toEqual([ok, ignored]);
  });

  test('a call that no longer rings cannot be rejected, and the reason says so', async () => {
    await expect(h.engine.capabilities.rejectCall!('CALL-GONE', CHAT)).rejects.toThrow(/no such call ringing/);
    expect(h.wa.world.callRejections).toEqual([]);
  });
});

describe('contacts WhatsApp Web knows by linked id', () => {
  test('a send to the phone form echoes under the lid chat with the id send returned; typing, read marks and revokes reach the lid chat', async () => {
    const lid = h.wa.knowByLid(PEER);
    const sent = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'hello' });
    const echo = await messageOf(sent.remoteId);
    expect(echo).toMatchObject({ fromMe: true, chatId: lid });
    await h.engine.capabilities.typing!(CHAT, true);
    await h.engine.capabilities.typing!(CHAT, false);
    await h.engine.capabilities.markRead!(CHAT);
    await h.engine.capabilities.revoke!(CHAT, sent.remoteId);
    expect(h.wa.world.typing).toEqual([
      { chatId: lid, state: 'typing' },
      { chatId: lid, state: 'stop' },
    ]);
    expect(h.wa.world.readMarks).toEqual([lid]);
    expect(h.wa.world.revokes).toEqual([{ chatId: lid, messageId: sent.remoteId }]);
  });
});

describe('sending', () => {
  test('no kind of send marks the chat read (sendSeen false); only markRead does', async () => {
    const inbound = h.wa.injectText(PEER, 'unread on the phone');
    await messageOf(inbound);
    const media = (kind: 'image' | 'video' | 'audio' | 'voice' | 'document' | 'sticker', mimetype: string): OutboundMessage => ({
      kind,
      chatId: CHAT,
      media: { data: Buffer.from(kind), mimetype },
    });
    const all: OutboundMessage[] = [
      { kind: 'text', chatId: CHAT, text: 'text' },
      { kind: 'text', chatId: CHAT, text: 'a reply', quotedId: inbound },
      media('image', 'image/jpeg'),
      media('video', 'video/mp4'),
      media('audio', 'audio/mpeg'),
      media('voice', 'audio/ogg; codecs=opus'),
      media('document', 'application/pdf'),
      media('sticker', 'image/webp'),
      { kind: 'location', chatId: CHAT, location: { lat: 1, lng: 2 } },
      { kind: 'contact', chatId: CHAT, vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:X\nEND:VCARD' },
      { kind: 'reaction', chatId: CHAT, messageId: inbound, emoji: '👍' },
    ];
    for (const m of all) await h.engine.send(m);
    expect(h.wa.world.sends).toHaveLength(all.length - 1);
    expect(h.wa.world.reactions).toHaveLength(1);
    expect(h.wa.world.readMarks).toEqual([]);
    await h.engine.capabilities.markRead!(CHAT);
    expect(h.wa.world.readMarks).toEqual([CHAT]);
  });

  test('a quote WhatsApp Web cannot keep is dropped and the result says so; a kept quote says nothing', async () => {
    const inbound = h.wa.injectText(PEER, 'a question');
    await messageOf(inbound);
    const kept = await h.engine.send({ kind: 'text', chatId: CHAT, text: 'answer', quotedId: inbound });
    expect(kept.quoteDropped).toBeUndefined();
    const dropped = await h.engine.send({
      kind: 'text',
      chatId: CHAT,
      text: 'answer to a deleted message',
      quotedId: `false_${CHAT}_3EB0GONE`,
    });
    expect(dropped.quoteDropped).toBe(true);
    expect((await messageOf(dropped.remoteId)).quotedId).toBeUndefined();
  });
});
