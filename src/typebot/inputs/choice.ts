import { say, type Language } from '../../core/catalog';
import type { UserAnswer } from '../../bots/ports';
import type { ChatInput, ChoiceItem } from '../chat-api-types';
import type { ChoiceOption, InputState } from './input-state';
import { matchMany, matchOne } from './match-choice';
import { numberedList } from './numbered-list';
import { optionsOf, str, type MappedAnswer, type RenderedInput } from './types';

type ChoiceState = Extract<InputState, { kind: 'choice' }>;

/** The hint under a numbered list. */
export function choicePrompt(options: readonly ChoiceOption[], multiple: boolean, lang: Language): string {
  return `${numberedList(options)}\n\n${say(lang, multiple ? 'choiceMultipleHint' : 'choiceHint')}`;
}

/**
 * Buttons (`choice input`) as a numbered list. Items without text are left out, as Typebot's WhatsApp
 * runtime does: there is nothing to show for them.
 */
export function renderChoice(input: ChatInput, lang: Language): RenderedInput {
  const items = (input.items ?? []) as ChoiceItem[];
  const options: ChoiceOption[] = items.flatMap((item) => {
    const label = str(item.content);
    if (!label || typeof item.id !== 'string') return [];
    const value = str(item.value);
    return [value && value !== label ? { id: item.id, label, value } : { id: item.id, label }];
  });
  const multiple = optionsOf(input).isMultipleChoice === true;
  const state: ChoiceState = { v: 1, kind: 'choice', multiple, options };
  return { awaited: { type: input.type, text: false, files: false, state }, before: [], prompt: choicePrompt(options, multiple, lang) };
}

/**
 * A typed answer to any numbered list (buttons, pictures, cards). Single choice sends the option with
 * its id as `replyId`, which Typebot matches first (it does not understand "2"). Multiple choice sends
 * the options' texts joined by ", ": Typebot matches each text as a whole phrase.
 */
export function mapChoiceAnswer(state: ChoiceState, answer: UserAnswer, lang: Language): MappedAnswer {
  const text = answer.text ?? '';
  const picked = state.multiple
    ? matchMany(text, state.options)
    : [matchOne(text, state.options)].filter((i): i is number => i !== undefined);
  if (!picked || picked.length === 0) {
    const again = `${say(lang, 'choiceInvalid')}\n${numberedList(state.options)}`;
    return {
      send: false,
      hint: 'choiceInvalid',
      outputs: [{ kind: 'text', text: state.multiple ? `${again}\n\n${say(lang, 'choiceMultipleHint')}` : again }],
    };
  }
  const chosen = picked.map((i) => state.options[i]);
  const recorded = chosen.map((o) => o.value ?? o.reply ?? o.label).join(', ');
  if (state.multiple) {
    return { send: true, message: { type: 'text', text: chosen.map((o) => o.reply ?? o.label).join(', ') }, answer: recorded };
  }
  const [option] = chosen;
  return { send: true, message: { type: 'text', text: option.reply ?? option.label, metadata: { replyId: option.id } }, answer: recorded };
}
