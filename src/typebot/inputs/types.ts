import type { AwaitedInput, BotOutput, UserAnswer } from '../../bots/ports';
import type { CatalogKey, Language } from '../../core/catalog';
import type { TypebotMessage } from '../chat-api-types';
import type { InputState } from './input-state';

/** An input as the user is asked for it. */
export interface RenderedInput {
  awaited: AwaitedInput & { state: InputState };
  /** Shown before the prompt (a picture choice's pictures, the cards). */
  before: BotOutput[];
  /**
   * How to answer (a numbered list, a hint). Joined to the text bubble just before it when there is one,
   * like Typebot's own WhatsApp runtime uses the previous bubble as the body of its buttons.
   */
  prompt?: string;
}

export type MappedAnswer =
  /** Goes to the flow; no `message` is a continue call without one (skipping an optional file). */
  | { send: true; message?: TypebotMessage; answer: string }
  /** Refused before reaching the flow; `outputs` tell the user why. */
  | { send: false; hint: CatalogKey; outputs: BotOutput[] };

export type AnswerMapper<S extends InputState> = (state: S, answer: UserAnswer, lang: Language) => MappedAnswer;

export const optionsOf = (input: { options?: Record<string, unknown> }): Record<string, unknown> => input.options ?? {};

export const str = (x: unknown): string | undefined => (typeof x === 'string' && x.trim() !== '' ? x.trim() : undefined);

export const urlsOf = (answer: UserAnswer): string[] =>
  (answer.files ?? []).map((f) => f.url).filter((u) => typeof u === 'string' && u !== '');
