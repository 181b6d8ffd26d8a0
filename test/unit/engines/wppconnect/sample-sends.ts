import sharp from 'sharp';
import type { OutboundMessage } from '../../../../src/core/messages';

/** One OutboundMessage of every kind a send can carry, to `chatId`; `quotedId` on those that quote. */
export async function sampleSends(
  chatId: string,
  options: { quotedId?: string; reactTo: string },
): Promise<Record<OutboundMessage['kind'], OutboundMessage>> {
  const q = options.quotedId ? { quotedId: options.quotedId } : {};
  const png = await sharp({ create: { width: 8, height: 8, channels: 4, background: '#00ff00' } })
    .png()
    .toBuffer();
  return {
    text: { kind: 'text', chatId, text: 'hello', ...q },
    image: { kind: 'image', chatId, media: { data: png, mimetype: 'image/png', filename: 'p.png' }, caption: 'pic', ...q },
    voice: { kind: 'voice', chatId, media: { data: Buffer.from('OggS voice'), mimetype: 'audio/ogg; codecs=opus' }, ...q },
    video: { kind: 'video', chatId, media: { data: Buffer.from('mp4 video'), mimetype: 'video/mp4' }, caption: 'clip', ...q },
    audio: { kind: 'audio', chatId, media: { data: Buffer.from('ID3 audio'), mimetype: 'audio/mpeg', filename: 'a.mp3' }, ...q },
    document: {
      kind: 'document',
      chatId,
      media: { data: Buffer.from('%PDF-1.4'), mimetype: 'application/pdf', filename: 'd.pdf' },
      caption: 'doc',
      ...q,
    },
    sticker: { kind: 'sticker', chatId, media: { data: png, mimetype: 'image/png' }, ...q },
    location: { kind: 'location', chatId, location: { lat: 38.7, lng: -9.1, name: 'Here' }, ...q },
    contact: { kind: 'contact', chatId, vcard: 'BEGIN:VCARD\nFN:Rui\nTEL;waid=351913000222:+351913000222\nEND:VCARD', ...q },
    reaction: { kind: 'reaction', chatId, messageId: options.reactTo, emoji: '👍' },
  };
}

export const SEND_KINDS: Array<OutboundMessage['kind']> = [
  'text',
  'image',
  'voice',
  'video',
  'audio',
  'document',
  'sticker',
  'location',
  'contact',
  'reaction',
];
export const QUOTING_KINDS = SEND_KINDS.filter((k) => k !== 'reaction');
