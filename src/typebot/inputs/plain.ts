import type { UserAnswer } from '../../bots/ports';
import type { ChatInput } from '../chat-api-types';
import type { InputState } from './input-state';
import { urlsOf, type MappedAnswer, type RenderedInput } from './types';

/** Inputs Typebot validates itself (number, email, phone, url, date, time); it answers a bad value with its own retry message. */
export function renderPlain(input: ChatInput): RenderedInput {
  const state: InputState = { v: 1, kind: 'plain' };
  return { awaited: { type: input.type, text: true, files: false, state }, before: [] };
}

/** The text as typed; a file sent instead goes as its URL (Typebot decides whether that is acceptable). */
export function mapPlainAnswer(answer: UserAnswer): MappedAnswer {
  const text = answer.text?.trim() ? answer.text : urlsOf(answer).join(', ') || (answer.text ?? '');
  return { send: true, message: { type: 'text', text }, answer: text };
}
