import type { BotOutput } from '../../bots/ports';
import type { ChatMessage } from '../chat-api-types';
import { isHttpUrl } from './urls';

type AudioContent = Extract<ChatMessage, { type: 'audio' }>['content'];

/** An audio bubble as a WhatsApp audio; one without a fetchable URL cannot be sent. */
export function renderAudio(content: AudioContent | undefined): BotOutput | undefined {
  const url = content?.url?.trim();
  if (!url || !isHttpUrl(url)) return undefined;
  return { kind: 'media', mediaKind: 'audio', url };
}
