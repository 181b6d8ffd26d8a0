import type { MediaKind, RemoteMessage } from '../../core/messages';
import { baseMime, mediaFilename } from './filename';
import { humanSize } from './human-size';
import type { DraftBody, MediaOutcome } from './types';

const KIND_LABEL: Record<MediaKind, string> = {
  image: 'Image',
  video: 'Video',
  audio: 'Audio',
  voice: 'Voice message',
  document: 'Document',
  sticker: 'Sticker',
};

function caption(msg: RemoteMessage, filename: string | undefined): string {
  const text = msg.text ?? '';
  if (text.trim() === '') return '';
  // Some engines put a document's file name in the body when there is no caption.
  if (filename && text.trim() === filename) return '';
  return text;
}

function withCaption(note: string, text: string): string {
  return text ? `${note}\n${text}` : note;
}

/**
 * Image, video, audio, voice, document and sticker. The media itself was fetched by the caller;
 * a missing outcome is a caller that could not get it, shown like 'gone' rather than dropped.
 */
export function convertMedia(msg: RemoteMessage, kind: MediaKind, outcome: MediaOutcome | undefined): DraftBody {
  const original = msg.media?.filename;
  if (outcome?.status === 'ok') {
    const mimetype = baseMime(outcome.mimetype || msg.media?.mimetype);
    const filename = mediaFilename(msg, kind, mimetype, outcome.filename ?? original);
    return {
      content: caption(msg, original ?? outcome.filename),
      attachments: [{ filename, mimetype, data: outcome.data }],
    };
  }

  const filename = mediaFilename(msg, kind, baseMime(msg.media?.mimetype), original);
  const label = KIND_LABEL[kind];
  const text = caption(msg, original);
  if (outcome?.status === 'too_large') {
    const size = humanSize(outcome.size);
    const note = `[${label} not relayed: ${filename}, ${size}, above the ${outcome.limitMB} MB limit]`;
    return { content: withCaption(note, text), attachments: [] };
  }
  const size = msg.media?.size !== undefined ? `, ${humanSize(msg.media.size)}` : '';
  const note = `[${label} not relayed: ${filename}${size}, no longer available on WhatsApp]`;
  return { content: withCaption(note, text), attachments: [] };
}
