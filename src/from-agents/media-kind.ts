import type { MediaKind } from '../core/messages';

/** Which WhatsApp message kind carries a file an agent attached, from its MIME type. */
export function mediaKindFor(mimetype: string | undefined): MediaKind {
  const m = (mimetype ?? '').toLowerCase().split(';')[0].trim();
  if (m.startsWith('image/')) return 'image';
  if (m.startsWith('video/')) return 'video';
  // WhatsApp plays ogg/opus as a voice note; other audio arrives as an audio file.
  if (m === 'audio/ogg' || m === 'audio/opus' || m === 'audio/ogg; codecs=opus') return 'voice';
  if (m.startsWith('audio/')) return 'audio';
  return 'document';
}
