import type { UserAnswer } from '../../bots/ports';
import type { ChatInput } from '../chat-api-types';
import type { InputState } from './input-state';
import { optionsOf, urlsOf, type MappedAnswer, type RenderedInput } from './types';

type TextState = Extract<InputState, { kind: 'text' }>;

const enabled = (x: unknown): boolean => (x as { isEnabled?: unknown } | undefined)?.isEnabled === true;

export function renderText(input: ChatInput): RenderedInput {
  const options = optionsOf(input);
  const state: TextState = { v: 1, kind: 'text', attachments: enabled(options.attachments), audio: enabled(options.audioClip) };
  return { awaited: { type: input.type, text: true, files: state.attachments || state.audio, state }, before: [] };
}

/**
 * Text goes as is. Files go as `attachedFileUrls` when the input takes attachments (the caption is the
 * text), as an audio clip when it takes those and a lone voice note came, and otherwise as their URLs in
 * place of the text, so the flow still gets something it can store.
 */
export function mapTextAnswer(state: TextState, answer: UserAnswer): MappedAnswer {
  const text = answer.text ?? '';
  const urls = urlsOf(answer);
  if (urls.length === 0) return { send: true, message: { type: 'text', text }, answer: text };
  if (state.attachments) {
    return { send: true, message: { type: 'text', text, attachedFileUrls: urls }, answer: text.trim() ? text : urls.join(', ') };
  }
  const files = answer.files ?? [];
  if (state.audio && !text.trim() && files.length === 1 && files[0].mimetype?.startsWith('audio/')) {
    return { send: true, message: { type: 'audio', url: urls[0] }, answer: urls[0] };
  }
  const fallback = text.trim() ? text : urls.join(', ');
  return { send: true, message: { type: 'text', text: fallback }, answer: fallback };
}
