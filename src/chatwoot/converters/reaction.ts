import type { ReactionEvent } from '../../core/messages';
import type { DraftBody } from './types';

/** The reacted message is quoted through the envelope (ctx.quotedSourceId), not named in the text. */
export function convertReaction(event: ReactionEvent): DraftBody {
  const emoji = event.emoji.trim();
  return { content: emoji ? `Reacted ${emoji}` : 'Removed a reaction', attachments: [] };
}
