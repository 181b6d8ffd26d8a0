import type { BotOutput } from '../../bots/ports';
import type { ChatMessage } from '../chat-api-types';
import { markdownToWhatsApp } from '../../core/markdown/to-whatsapp';
import { richTextToWhatsApp } from './rich-text';

type TextMessage = Extract<ChatMessage, { type: 'text' }>;

/** A text bubble as one WhatsApp text; nothing for an empty bubble (Typebot's runtime skips those too). */
export function renderTextBubble(content: TextMessage['content'] | undefined): BotOutput | undefined {
  if (!content) return undefined;
  const text = content.type === 'markdown' ? markdownToWhatsApp(content.markdown ?? '') : richTextToWhatsApp(content.richText);
  return text.trim() ? { kind: 'text', text } : undefined;
}
