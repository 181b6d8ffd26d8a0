import crypto from 'node:crypto';
import type { RemoteMessage } from '../../../../src/core/messages';
import { MediaNotReadyError } from '../../../../src/engines/types';
import { connectedRig, type Rig } from './harness';

/**
 * Media download through wppconnect's decryptFile (it runs in Node: it fetches the encrypted file from
 * a loopback "CDN" here and decrypts it), its fallbacks, and the catch-up and contact queries.
 */
const PEER = '351912000111';
const PEER_ID = `${PEER}@c.us`;
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

async function mediaMessage(data: Buffer, gone = false, type = 'document', mimetype = 'application/pdf'): Promise<RemoteMessage> {
  const raw = await r.world.incomingMedia(PEER, { data, mimetype, filename: 'file.bin', type }, gone);
  return r.until(
    () => r.events.flatMap((e) => (e.type === 'message' && e.message.id === raw.id ? [e.message] : []))[0],
    'the media message',
  );
}

describe('downloadMedia', () => {
  test.each([
    ['a size that is a multiple of 16 (decryptFile alone leaves the padding block on)', 32],
    ['an odd size', 1001],
    ['a few hundred kB', 300_000],
  ])('returns exactly the bytes sent: %s', async (_what, size) => {
    const bytes = crypto.randomBytes(size);
    const m = await mediaMessage(bytes);
    const got = await r.engine.downloadMedia(m.chatId, m.id, m.media!);
    expect(got?.equals(bytes)).toBe(true);
    expect(r.world.cdn.hits).toEqual([200]);
  });

  test('gone from the CDN and from the phone: undefined, after asking both', async () => {
    const m = await mediaMessage(Buffer.from('expired'), true);
    await expect(r.engine.downloadMedia(m.chatId, m.id, m.media!)).resolves.toBeUndefined();
    expect(r.world.cdn.hits).toEqual([404]);
    expect(r.world.page.calls.some((c) => c.src.includes('WPP.chat.downloadMedia'))).toBe(true);
  });

  test('expired on the CDN but the phone uploads it again: WhatsApp Web fetches it, the bytes come back', async () => {
    const m = await mediaMessage(Buffer.from('reuploaded'), true);
    r.world.on('WPP.chat.downloadMedia', () => `data:application/pdf;base64,${Buffer.from('reuploaded').toString('base64')}`);
    await expect(r.engine.downloadMedia(m.chatId, m.id, m.media!)).resolves.toEqual(Buffer.from('reuploaded'));
  });

  test('a message WhatsApp Web no longer has: undefined', async () => {
    await expect(
      r.engine.downloadMedia(PEER_ID, `false_${PEER_ID}_3EB0NONE`, { mimetype: 'image/jpeg', handle: `false_${PEER_ID}_3EB0NONE` }),
    ).resolves.toBeUndefined();
  });

  test('a broken page is not missing media: the error goes to the caller, who retries', async () => {
    const m = await mediaMessage(Buffer.from('x'));
    r.world.on('WAPI.getMessageById', () => {
      throw new Error('Protocol error (Runtime.callFunctionOn): Target closed');
    });
    await expect(r.engine.downloadMedia(m.chatId, m.id, m.media!)).rejects.toThrow(/Target closed/);
  });
});

describe('catch-up', () => {
  test('recentMessages: since a time, oldest first, system entries left out; activeChats by last activity', async () => {
    const now = Math.floor(Date.now() / 1000);
    const old = r.world.incoming(PEER, { type: 'chat', body: 'old' }, { silent: true, t: now - 3600 });
    const a = r.world.incoming(PEER, { type: 'chat', body: 'a' }, { silent: true, t: now - 10 });
    r.world.incoming(PEER, { type: 'e2e_notification', body: '' }, { silent: true, t: now - 9 });
    const b = r.world.incoming(PEER, { type: 'chat', body: 'b' }, { silent: true, t: now - 5 });
    r.world.incoming('351999000999', { type: 'chat', body: 'other' }, { silent: true, t: now - 7200 });
    const history = await r.engine.recentMessages(PEER_ID, now - 60);
    expect(history.map((m) => m.id)).toEqual([a.id, b.id]);
    expect(history.map((m) => m.id)).not.toContain(old.id);
    expect(await r.engine.activeChats(now - 60)).toEqual([PEER_ID]);
    expect(await r.engine.activeChats(now - 86_400)).toEqual(expect.arrayContaining([PEER_ID, '351999000999@c.us']));
  });

  test('recentMessages asks WhatsApp Web for the last `limit` messages', async () => {
    r.world.incoming(PEER, { type: 'chat', body: 'x' }, { silent: true });
    await r.engine.recentMessages(PEER_ID, 0, 25);
    expect(r.world.page.calls.find((c) => c.src.includes('WAPI.getMessages'))?.arg).toEqual({
      chatId: PEER_ID,
      params: { count: 25, direction: 'before' },
    });
  });
});

describe('resolveContact', () => {
  test('a linked id (LID) gets its phone number from getPnLidEntry; a phone id gets its LID', async () => {
    r.world.lidOf.set(PEER_ID, '90000000000001@lid');
    expect(await r.engine.resolveContact('90000000000001@lid')).toMatchObject({
      id: '90000000000001@lid',
      lid: '90000000000001@lid',
      phone: `+${PEER}`,
    });
    expect(await r.engine.resolveContact(PEER_ID)).toMatchObject({
      id: PEER_ID,
      phone: `+${PEER}`,
      lid: '90000000000001@lid',
      name: 'Peer Push',
    });
  });

  test('without a connection it still says what the id itself tells', async () => {
    await r.engine.disconnect();
    expect(await r.engine.resolveContact(PEER_ID)).toEqual({ id: PEER_ID, phone: `+${PEER}` });
    expect(await r.engine.resolveContact('90000000000001@lid')).toEqual({ id: '90000000000001@lid', lid: '90000000000001@lid' });
  });
});

describe('media the phone is uploading again', () => {
  test('"not yet" (MediaNotReadyError) while the phone re-uploads, the bytes once it has', async () => {
    const bytes = Buffer.from('an old photo the CDN no longer has');
    const { raw, finish } = await r.world.incomingReuploadingMedia(PEER, { data: bytes, mimetype: 'image/jpeg', type: 'image' });
    const m = await r.until(
      () => r.events.flatMap((e) => (e.type === 'message' && e.message.id === raw.id ? [e.message] : []))[0],
      'the media message',
    );
    await expect(r.engine.downloadMedia(m.chatId, m.id, m.media!)).rejects.toBeInstanceOf(MediaNotReadyError);
    finish();
    expect((await r.engine.downloadMedia(m.chatId, m.id, m.media!))?.equals(bytes)).toBe(true);
  });
});
