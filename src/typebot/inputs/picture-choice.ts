import type { BotOutput } from '../../bots/ports';
import type { Language } from '../../core/catalog';
import type { ChatInput, PictureChoiceItem } from '../chat-api-types';
import { renderImage } from '../render/image';
import { urlFilename } from '../render/urls';
import { choicePrompt } from './choice';
import type { ChoiceOption, InputState } from './input-state';
import { optionsOf, str, type RenderedInput } from './types';

/**
 * A picture choice: each picture (captioned with its number and title), then the numbered list. Typebot
 * takes an item's title as its text, or its picture URL when it has no title.
 */
export function renderPictureChoice(input: ChatInput, lang: Language): RenderedInput {
  const items = ((input.items ?? []) as PictureChoiceItem[]).filter((item) => typeof item.id === 'string');
  const before: BotOutput[] = [];
  const options: ChoiceOption[] = items.map((item, i) => {
    const title = str(item.title);
    const picture = str(item.pictureSrc);
    const description = str(item.description);
    const label = title ?? description ?? (picture ? urlFilename(picture) : undefined) ?? item.id;
    const image = picture ? renderImage({ url: picture }) : undefined;
    if (image?.kind === 'media') {
      const caption = [`${i + 1}. ${title ?? ''}`.trim(), description].filter(Boolean).join('\n');
      before.push({ ...image, caption });
    }
    const option: ChoiceOption = { id: item.id, label };
    const reply = title ?? picture;
    if (reply !== undefined && reply !== label) option.reply = reply;
    const value = str(item.value);
    if (value !== undefined && value !== label) option.value = value;
    return option;
  });
  const multiple = optionsOf(input).isMultipleChoice === true;
  const state: InputState = { v: 1, kind: 'choice', multiple, options };
  return { awaited: { type: input.type, text: false, files: false, state }, before, prompt: choicePrompt(options, multiple, lang) };
}
