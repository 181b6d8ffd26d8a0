import type { EditEvent, RemoteMessage } from '../../../../src/core/messages';
import { THUMBNAIL } from './fake-whatsapp-web';
import { connectedRig, type Rig } from './harness';

/** Message shapes of real WhatsApp Web the relay must get right (ENGINES.md "Second look"). */
const PEER = '351912000111';
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

const messages = (): RemoteMessage[] => r.events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
const edits = (): EditEvent[] => r.events.flatMap((e) => (e.type === 'edit' ? [e.edit] : []));
const settle = () => new Promise((res) => setTimeout(res, 50));

test('several photos at once: the album parent is not relayed, each picture is, with its media', async () => {
  const sent = await r.world.incomingAlbum(PEER, [
    { data: Buffer.from('first jpeg'), mimetype: 'image/jpeg', caption: 'one', type: 'image' },
    { data: Buffer.from('second jpeg'), mimetype: 'image/jpeg', type: 'image' },
  ]);
  await r.until(() => messages().length === 2, 'both pictures');
  await settle();
  expect(messages().map((m) => m.id)).toEqual(sent.pictures.map((p) => p.id));
  expect(messages().map((m) => m.id)).not.toContain(sent.album.id);
  expect(messages()).toEqual([
    expect.objectContaining({ kind: 'image', text: 'one', media: expect.objectContaining({ mimetype: 'image/jpeg' }) }),
    expect.objectContaining({ kind: 'image' }),
  ]);
});

test('a round video note (ptv) is a video whose bytes download intact', async () => {
  const bytes = Buffer.from('a round video note, mp4 bytes of odd length');
  const raw = await r.world.incomingMedia(PEER, { data: bytes, mimetype: 'video/mp4', type: 'ptv' });
  const m = await r.until(() => messages().find((x) => x.id === raw.id), 'the video note');
  expect(m).toMatchObject({ kind: 'video', media: { mimetype: 'video/mp4', handle: raw.id } });
  const got = await r.engine.downloadMedia(m.chatId, m.id, m.media!);
  expect(got?.equals(bytes)).toBe(true);
});

test('an edited photo caption is relayed as the caption, never the base64 thumbnail in body', async () => {
  const raw = await r.world.incomingMedia(PEER, {
    data: Buffer.from('jpeg'),
    mimetype: 'image/jpeg',
    caption: 'old caption',
    type: 'image',
  });
  r.world.editCaption(raw.id, 'new caption');
  const edit = await r.until(() => edits()[0], 'the edit');
  expect(edit).toMatchObject({ messageId: raw.id, text: 'new caption', fromMe: false });
  expect(JSON.stringify(r.events)).not.toContain(THUMBNAIL.slice(0, 24));
});

test('an edit that gives a photo its first caption is relayed', async () => {
  const raw = await r.world.incomingMedia(PEER, { data: Buffer.from('jpeg'), mimetype: 'image/jpeg', type: 'image' });
  r.world.editCaption(raw.id, 'caption added later');
  const edit = await r.until(() => edits()[0], 'the edit');
  expect(edit).toMatchObject({ messageId: raw.id, text: 'caption added later' });
});
