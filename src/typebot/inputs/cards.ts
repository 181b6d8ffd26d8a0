import type { BotOutput } from '../../bots/ports';
import type { Language } from '../../core/catalog';
import type { CardItem, ChatInput } from '../chat-api-types';
import { renderImage } from '../render/image';
import { choicePrompt } from './choice';
import type { ChoiceOption, InputState } from './input-state';
import { str, type RenderedInput } from './types';

/**
 * Cards: each card (its image captioned with title and description), then every card's buttons in one
 * numbered list. Typebot matches a card button by its id; it records the card's title.
 */
export function renderCards(input: ChatInput, lang: Language): RenderedInput {
  const cards = ((input.items ?? []) as CardItem[]).filter((c) => typeof c.id === 'string');
  const before: BotOutput[] = [];
  const options: ChoiceOption[] = [];
  for (const card of cards) {
    const title = str(card.title);
    const description = str(card.description);
    const caption = [title ? `*${title}*` : undefined, description].filter(Boolean).join('\n');
    const image = card.imageUrl ? renderImage({ url: card.imageUrl }) : undefined;
    if (image?.kind === 'media') before.push(caption ? { ...image, caption } : image);
    else if (caption) before.push({ kind: 'text', text: caption });
    for (const path of card.paths ?? []) {
      if (typeof path.id !== 'string') continue;
      const text = str(path.text) ?? title ?? path.id;
      const label = cards.length > 1 && title && text !== title ? `${title} - ${text}` : text;
      options.push({ id: path.id, label, reply: path.id, value: title ?? str(card.imageUrl) ?? text });
    }
  }
  const state: InputState = { v: 1, kind: 'choice', multiple: false, options };
  return { awaited: { type: input.type, text: false, files: false, state }, before, prompt: choicePrompt(options, false, lang) };
}
