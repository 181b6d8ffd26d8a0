import { richText, slateToMarkdown, substitute, substituteInSlate } from './rich-text';
import type { SlateElement, VariableValue } from './rich-text';
import type { CompiledInput } from './flow-compiler';
import type { ActionSpec, Bubble, InputKind } from './flow-types';
import type { ChatMessage, TextBubbleContentFormat, WireAction, WireInput } from './types';

type Vars = ReadonlyMap<string, VariableValue>;

export const DEFAULT_INVALID_MESSAGE = 'Invalid message. Please, try again.';

const WIRE_INPUT_TYPE: Record<InputKind, string> = {
  text: 'text input',
  number: 'number input',
  email: 'email input',
  url: 'url input',
  phone: 'phone number input',
  date: 'date input',
  time: 'time input',
  rating: 'rating input',
  choice: 'choice input',
  'picture choice': 'picture choice input',
  file: 'file input',
};

export function textContent(nodes: SlateElement[], vars: Vars, format: TextBubbleContentFormat): unknown {
  const parsed = substituteInSlate(nodes, vars) as SlateElement[];
  return format === 'markdown' ? { type: 'markdown', markdown: slateToMarkdown(parsed) } : { type: 'richText', richText: parsed };
}

export function renderBubble(id: string, bubble: Bubble, vars: Vars, format: TextBubbleContentFormat): ChatMessage {
  if (bubble.type === 'text') return { id, type: 'text', content: textContent(bubble.richText, vars, format) };
  const content: Record<string, unknown> = { ...bubble.content };
  if (typeof content.url === 'string') content.url = substitute(content.url, vars);
  return { id, type: bubble.type, content };
}

/** The retry bubble carries the input block's id, like parseRetryMessage. */
export function retryBubble(input: CompiledInput, fallback: string, format: TextBubbleContentFormat): ChatMessage {
  const spec = input.spec;
  const own = 'retryMessageContent' in spec ? spec.retryMessageContent : undefined;
  return { id: input.id, type: 'text', content: textContent(richText(own || fallback), new Map(), format) };
}

function typeOptions(input: CompiledInput): Record<string, unknown> {
  const s = input.spec;
  switch (s.type) {
    case 'text':
      return {
        isLong: s.isLong,
        attachments: s.attachments === undefined ? undefined : { isEnabled: s.attachments },
        audioClip: s.audioClip === undefined ? undefined : { isEnabled: s.audioClip },
      };
    case 'number':
      return { min: s.min, max: s.max, step: s.step };
    case 'email':
    case 'url':
      return { retryMessageContent: s.retryMessageContent };
    case 'phone':
      return { defaultCountryCode: s.defaultCountryCode, retryMessageContent: s.retryMessageContent };
    case 'date':
      return { hasTime: s.hasTime, isRange: s.isRange, format: s.format, min: s.min, max: s.max };
    case 'time':
      return { format: s.format };
    case 'rating':
      return { length: s.length, buttonType: s.buttonType, startsAt: s.startsAt };
    case 'choice':
      return { isMultipleChoice: s.isMultipleChoice, buttonLabel: s.buttonLabel };
    case 'picture choice':
      return { isMultipleChoice: s.isMultipleChoice };
    case 'file':
      return {
        isMultipleAllowed: s.isMultipleAllowed,
        isRequired: s.isRequired,
        allowedFileTypes: s.allowedFileTypes ? { isEnabled: true, types: s.allowedFileTypes } : undefined,
      };
  }
}

export function renderInput(input: CompiledInput, vars: Vars, prefillEnabled: boolean): WireInput {
  const wire: WireInput = {
    id: input.id,
    type: WIRE_INPUT_TYPE[input.spec.type],
    options: { variableId: input.variableId, ...typeOptions(input), ...input.spec.options },
  };
  if (input.items.length > 0) {
    wire.items = input.items.map(({ next, ...item }) => ({
      ...item,
      content: item.content === undefined ? undefined : substitute(item.content, vars),
      outgoingEdgeId: next === undefined ? undefined : `edge-${item.id}`,
    }));
  }
  const current = vars.get(input.variable);
  if (prefillEnabled && typeof current === 'string' && current !== '') wire.prefilledValue = current;
  return wire;
}

export function renderAction(action: ActionSpec, vars: Vars): WireAction {
  switch (action.type) {
    case 'wait':
      return { type: 'wait', wait: { secondsToWaitFor: action.secondsToWaitFor }, expectsDedicatedReply: action.expectsDedicatedReply };
    case 'redirect':
      return {
        type: 'redirect',
        redirect: { url: substitute(action.url, vars), isNewTab: action.isNewTab },
        expectsDedicatedReply: action.expectsDedicatedReply,
      };
    case 'raw':
      return { ...action.action };
  }
}

export const expectsReply = (action: ActionSpec): boolean =>
  action.type === 'raw' ? action.action.expectsDedicatedReply === true : action.expectsDedicatedReply === true;
