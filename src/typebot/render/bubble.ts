import type { BotOutput } from '../../bots/ports';
import type { ChatMessage } from '../chat-api-types';
import { renderAudio } from './audio';
import { renderEmbed } from './embed';
import { renderImage } from './image';
import { renderTextBubble } from './text';
import { renderVideo } from './video';

/** One Typebot bubble as what WhatsApp can show of it (nothing for a bubble it cannot show). */
export function renderBubble(message: ChatMessage): BotOutput | undefined {
  switch (message.type) {
    case 'text':
      return renderTextBubble(message.content);
    case 'image':
      return renderImage(message.content);
    case 'video':
      return renderVideo(message.content);
    case 'audio':
      return renderAudio(message.content);
    case 'embed':
    case 'custom-embed':
      return renderEmbed(message.content);
    default:
      return undefined;
  }
}
