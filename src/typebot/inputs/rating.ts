import type { UserAnswer } from '../../bots/ports';
import { say, type Language } from '../../core/catalog';
import type { ChatInput } from '../chat-api-types';
import type { InputState } from './input-state';
import { optionsOf, str, type MappedAnswer, type RenderedInput } from './types';

type RatingState = Extract<InputState, { kind: 'rating' }>;

const finite = (x: unknown, fallback: number): number => {
  const n = typeof x === 'number' ? x : typeof x === 'string' && x.trim() !== '' ? Number(x) : NaN;
  return Number.isFinite(n) ? Math.round(n) : fallback;
};

/**
 * A rating as "reply with a number from min to max". Typebot's scale: numbers from `startsAt` (default 0)
 * to `length` (default 10); icons (stars) from 1 to `length`. The scale's end labels, when set, are shown.
 */
export function renderRating(input: ChatInput, lang: Language): RenderedInput {
  const options = optionsOf(input);
  const max = finite(options.length, 10);
  const min = options.buttonType === 'Icons' ? 1 : Math.min(finite(options.startsAt, 0), max);
  const labels = (options.labels ?? {}) as Record<string, unknown>;
  const left = str(labels.left);
  const right = str(labels.right);
  const lines = [say(lang, 'ratingInvalid', { min, max })];
  if (left) lines.push(`${min} = ${left}`);
  if (right) lines.push(`${max} = ${right}`);
  const state: RatingState = { v: 1, kind: 'rating', min, max };
  return { awaited: { type: input.type, text: false, files: false, state }, before: [], prompt: lines.join('\n') };
}

/** "8", "8/10", "nota 8" or a row of stars ("⭐⭐⭐⭐") -> that number, when it is on the scale. */
export function mapRatingAnswer(state: RatingState, answer: UserAnswer, lang: Language): MappedAnswer {
  const text = answer.text ?? '';
  const digits = /\d+/.exec(text)?.[0];
  const stars = [...text].filter((c) => c === '⭐' || c === '★').length;
  const n = digits !== undefined ? Number(digits) : stars > 0 ? stars : undefined;
  if (n === undefined || n < state.min || n > state.max) {
    return {
      send: false,
      hint: 'ratingInvalid',
      outputs: [{ kind: 'text', text: say(lang, 'ratingInvalid', { min: state.min, max: state.max }) }],
    };
  }
  return { send: true, message: { type: 'text', text: String(n) }, answer: String(n) };
}
