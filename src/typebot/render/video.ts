import type { BotOutput } from '../../bots/ports';
import type { ChatMessage } from '../chat-api-types';
import { isHttpUrl } from './urls';

type VideoContent = Extract<ChatMessage, { type: 'video' }>['content'];

/** Where a hosted video can be watched, when the bubble only kept the provider's id. */
const WATCH_URLS: Record<string, (id: string) => string> = {
  youtube: (id) => `https://youtu.be/${id}`,
  vimeo: (id) => `https://vimeo.com/${id}`,
  tiktok: (id) => `https://www.tiktok.com/embed/v2/${id}`,
  gumlet: (id) => `https://play.gumlet.io/embed/${id}`,
};

/**
 * A video file goes as a WhatsApp video; a hosted video (YouTube, Vimeo, ...) cannot be played inside
 * WhatsApp, so it goes as a link, which WhatsApp previews.
 */
export function renderVideo(content: VideoContent | undefined): BotOutput | undefined {
  const url = content?.url?.trim();
  const type = content?.type ?? 'url';
  if (type === 'url') {
    if (!url) return undefined;
    return isHttpUrl(url) ? { kind: 'media', mediaKind: 'video', url } : { kind: 'text', text: url };
  }
  if (url && isHttpUrl(url)) return { kind: 'text', text: url };
  const watch = WATCH_URLS[type];
  if (watch && content?.id) return { kind: 'text', text: watch(content.id) };
  return url ? { kind: 'text', text: url } : undefined;
}
