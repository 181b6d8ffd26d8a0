import type { BotOutput } from '../../bots/ports';
import type { ChatMessage } from '../chat-api-types';
import { formatLink, isHttpUrl, urlExtension } from './urls';

type ImageContent = Extract<ChatMessage, { type: 'image' }>['content'];

/**
 * An image bubble as a WhatsApp image. WhatsApp does not take GIF or SVG as images (Typebot's own runtime
 * skips them), so those go as a link the user can open; inline `data:` images cannot be sent at all.
 * The image's click link becomes its caption.
 */
export function renderImage(content: ImageContent | undefined): BotOutput | undefined {
  const url = content?.url?.trim();
  if (!url || /^data:/i.test(url)) return undefined;
  const ext = urlExtension(url);
  if (!isHttpUrl(url) || ext === 'gif' || ext === 'svg') return { kind: 'text', text: url };
  const link = content?.clickLink?.url?.trim();
  const caption = link ? formatLink(content?.clickLink?.alt ?? '', link) : undefined;
  return caption ? { kind: 'media', mediaKind: 'image', url, caption } : { kind: 'media', mediaKind: 'image', url };
}
