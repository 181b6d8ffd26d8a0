import sharp from 'sharp';
import { EngineNotReadyError } from '../../../../src/engines/types';
import { parseVcards } from '../../../../src/engines/wppconnect/send';
import { connectedRig, rig, type Rig } from './harness';

/** What each OutboundMessage makes wppconnect ask WhatsApp Web to do (as the fake page records it). */
const PEER_ID = '351912000111@c.us';
let r: Rig;
afterEach(async () => {
  await r.dispose();
});

const action = (what: string) => r.world.actions.filter((a) => a.what === what).at(-1)?.arg;

describe('sends', () => {
  beforeEach(async () => {
    r = await connectedRig();
  });

  /** A message of the peer's, in its chat: something to quote and react to. */
  const peerMessage = () => r.world.incoming(PEER_ID, { type: 'chat', body: 'a question' }).id as string;

  test('text: a reply quotes the message, mentions are not detected, the result is the new id', async () => {
    const quoted = peerMessage();
    const res = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'ask @all about @351', quotedId: quoted });
    expect(res.remoteId).toMatch(new RegExp(`^true_${PEER_ID}_3EB0`));
    expect(res.quoteDropped).toBeUndefined();
    expect(Math.abs(res.timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(action('sendText')).toEqual({
      to: PEER_ID,
      content: 'ask @all about @351',
      options: { detectMentioned: false, markIsRead: false, waitForAck: false, quotedMsg: quoted },
    });
    expect(r.world.messages(PEER_ID).at(-1)).toMatchObject({
      id: res.remoteId,
      type: 'chat',
      body: 'ask @all about @351',
      quotedMsgId: quoted,
    });
  });

  test('image with caption and reply; voice as a voice note; document keeps its file name; video and audio by type', async () => {
    const quoted = peerMessage();
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    const img = await r.engine.send({
      kind: 'image',
      chatId: PEER_ID,
      media: { data: png, mimetype: 'image/png', filename: 'shot.png' },
      caption: 'see',
      quotedId: quoted,
    });
    expect(img.remoteId).toMatch(/^true_/);
    expect(action('sendFile')).toMatchObject({ to: PEER_ID, filename: 'shot.png', caption: 'see' });
    expect(r.world.messages(PEER_ID).at(-1)).toMatchObject({ id: img.remoteId, type: 'image', mimetype: 'image/png', quotedMsgId: quoted });

    await r.engine.send({ kind: 'voice', chatId: PEER_ID, media: { data: Buffer.from('OggS'), mimetype: 'audio/ogg; codecs=opus' } });
    expect(action('sendFile').options).toMatchObject({ type: 'audio', isPtt: true, filename: 'voice.ogg' });
    expect(r.world.messages(PEER_ID).at(-1)).toMatchObject({ type: 'ptt', mimetype: 'audio/ogg' });

    await r.engine.send({
      kind: 'document',
      chatId: PEER_ID,
      media: { data: Buffer.from('%PDF-1.4'), mimetype: 'application/pdf', filename: 'contrato.pdf' },
      caption: 'sign',
    });
    expect(action('sendFile')).toMatchObject({
      filename: 'contrato.pdf',
      caption: 'sign',
      options: { type: 'document', mimetype: 'application/pdf', filename: 'contrato.pdf' },
    });

    await r.engine.send({ kind: 'video', chatId: PEER_ID, media: { data: Buffer.from('mp4'), mimetype: 'video/mp4' } });
    expect(action('sendFile').options).toMatchObject({ type: 'video', filename: 'video.mp4' });

    await r.engine.send({
      kind: 'audio',
      chatId: PEER_ID,
      media: { data: Buffer.from('ID3'), mimetype: 'audio/mpeg', filename: 'song.mp3' },
    });
    expect(action('sendFile').options).toMatchObject({ type: 'audio', isPtt: false, filename: 'song.mp3' });
    expect(r.world.messages(PEER_ID).at(-1)).toMatchObject({ type: 'audio' });
  });

  test('sticker: the image becomes a WebP sticker', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#ff0000' } })
      .png()
      .toBuffer();
    const res = await r.engine.send({ kind: 'sticker', chatId: PEER_ID, media: { data: png, mimetype: 'image/png' } });
    expect(res.remoteId).toMatch(/^true_/);
    expect(r.world.messages(PEER_ID).at(-1)).toMatchObject({ id: res.remoteId, type: 'sticker', mimetype: 'image/webp' });
  });

  test('location with name and address', async () => {
    const res = await r.engine.send({
      kind: 'location',
      chatId: PEER_ID,
      location: { lat: 38.7, lng: -9.1, name: 'Escritório', address: 'Rua X 1' },
    });
    expect(action('sendLocation')).toEqual({
      to: PEER_ID,
      options: {
        lat: 38.7,
        lng: -9.1,
        name: 'Escritório',
        address: 'Rua X 1',
        markIsRead: false,
        waitForAck: false,
        detectMentioned: false,
      },
    });
    expect(r.world.messages(PEER_ID).at(-1)).toMatchObject({ id: res.remoteId, type: 'location', loc: 'Escritório\nRua X 1' });
  });

  test('contact: the vCard number and name; the answer names the new message', async () => {
    const res = await r.engine.send({
      kind: 'contact',
      chatId: PEER_ID,
      vcard: 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Rui Sousa\r\nTEL;type=CELL;waid=351913000222:+351 913 000 222\r\nEND:VCARD',
    });
    expect(action('sendContact')).toMatchObject({ to: PEER_ID, contacts: [{ id: '351913000222@c.us', name: 'Rui Sousa' }] });
    expect(res.remoteId).toBe(r.world.messages(PEER_ID).at(-1)!.id);
  });

  test('reaction: sent to the target message, "" removes it', async () => {
    const target = peerMessage();
    const res = await r.engine.send({ kind: 'reaction', chatId: PEER_ID, messageId: target, emoji: '👍' });
    expect(action('react')).toEqual({ msgId: target, reaction: '👍' });
    expect(res.remoteId).toBeTruthy();
    await r.engine.send({ kind: 'reaction', chatId: PEER_ID, messageId: target, emoji: '' });
    expect(action('react')).toEqual({ msgId: target, reaction: false });
  });

  test('a send WhatsApp Web refuses is an error, not a silent success', async () => {
    r.world.on('ponteSendText', () => {
      throw new Error('invalid wid');
    });
    await expect(r.engine.send({ kind: 'text', chatId: 'nobody@c.us', text: 'x' })).rejects.toThrow('invalid wid');
  });

  test('lookupNumber: the id WhatsApp has for a number (another form of it too), null without an account', async () => {
    r.world.on('WAPI.checkNumberStatus', (arg) => {
      const asked = JSON.stringify(arg);
      if (asked.includes('5511987654321'))
        return {
          id: { server: 'c.us', user: '551187654321', _serialized: '551187654321@c.us' },
          status: 200,
          isBusiness: false,
          canReceiveMessage: true,
          numberExists: true,
        };
      return {
        id: { server: 'c.us', user: '351912999999', _serialized: '351912999999@c.us' },
        status: 404,
        isBusiness: false,
        canReceiveMessage: false,
        numberExists: false,
      };
    });
    expect(await r.engine.capabilities.lookupNumber!('5511987654321')).toBe('551187654321@c.us');
    expect(await r.engine.capabilities.lookupNumber!('351912999999')).toBeNull();
  });

  test('capabilities: typing on and off, mark read', async () => {
    peerMessage();
    await r.engine.capabilities.typing!(PEER_ID, true);
    expect(action('typing')).toEqual({ to: PEER_ID });
    await r.engine.capabilities.typing!(PEER_ID, false);
    expect(action('paused')).toEqual({ to: PEER_ID });
    await r.engine.capabilities.markRead!(PEER_ID);
    expect(action('read')).toBe(PEER_ID);
    expect(r.world.readMarks).toEqual([PEER_ID]);
  });
});

test('before CONNECTED every call into WhatsApp Web is refused with EngineNotReadyError', async () => {
  r = rig({ paired: false });
  await r.engine.connect();
  await r.until(() => r.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED');
  await expect(r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'x' })).rejects.toBeInstanceOf(EngineNotReadyError);
  await expect(r.engine.capabilities.typing!(PEER_ID, true)).rejects.toMatchObject({ state: 'QR_REQUIRED' });
  await expect(r.engine.recentMessages(PEER_ID, 0)).rejects.toBeInstanceOf(EngineNotReadyError);
  expect(r.world.actions.filter((a) => a.what !== 'linkByCode')).toEqual([]);
});

describe('parseVcards', () => {
  test('waid first, else the first long TEL; folded lines and escapes; cards without a number are skipped', () => {
    const text = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN:Ana\\, the',
      '  accountant',
      'TEL;TYPE=work:+351 21 000 0000',
      'item1.TEL;waid=351913000222:+351 913 000 222',
      'END:VCARD',
      'BEGIN:VCARD',
      'FN:No number',
      'EMAIL:x@y.z',
      'END:VCARD',
      'BEGIN:VCARD',
      'TEL:+44 7700 900123',
      'END:VCARD',
    ].join('\n');
    expect(parseVcards(text)).toEqual([
      { id: '351913000222@c.us', name: 'Ana, the accountant' },
      { id: '447700900123@c.us', name: '+447700900123' },
    ]);
  });
});
