import type { UserAnswer } from '../../bots/ports';
import { say, type Language } from '../../core/catalog';
import type { ChatInput } from '../chat-api-types';
import type { InputState } from './input-state';
import { tokens } from './match-choice';
import { optionsOf, str, urlsOf, type MappedAnswer, type RenderedInput } from './types';

type FileState = Extract<InputState, { kind: 'file' }>;

/** Typebot's own default label of the Skip button of an optional file input. */
const DEFAULT_SKIP_LABEL = 'Skip';

export function renderFile(input: ChatInput): RenderedInput {
  const options = optionsOf(input);
  const labels = (options.labels ?? {}) as Record<string, unknown>;
  const state: FileState = {
    v: 1,
    kind: 'file',
    multiple: options.isMultipleAllowed === true,
    required: options.isRequired !== false,
    skipLabel: str(labels.skip) ?? DEFAULT_SKIP_LABEL,
  };
  return { awaited: { type: input.type, text: false, files: true, state }, before: [] };
}

/**
 * Files go to Typebot as their URLs joined by ", " (Typebot checks they are URLs with an allowed
 * extension). One file only when the input takes one: Typebot would keep the first anyway. Text alone is
 * refused, except the Skip label of an optional input, which skips it (a continue call with no answer).
 */
export function mapFileAnswer(state: FileState, answer: UserAnswer, lang: Language): MappedAnswer {
  const urls = urlsOf(answer);
  if (urls.length > 0) {
    const text = (state.multiple ? urls : urls.slice(0, 1)).join(', ');
    return { send: true, message: { type: 'text', text }, answer: text };
  }
  if (!state.required && tokens(answer.text ?? '').join(' ') === tokens(state.skipLabel).join(' ')) {
    return { send: true, answer: '' };
  }
  return { send: false, hint: 'fileExpected', outputs: [{ kind: 'text', text: say(lang, 'fileExpected') }] };
}
