import type { BotOutput, FlowTurn } from '../bots/ports';
import type { Language } from '../core/catalog';
import type { ChatMessage, ClientSideAction, ContinueChatResponse } from './chat-api-types';
import { renderInput } from './inputs/render-input';
import { renderBubble } from './render/bubble';
import { DEFAULT_MAX_WAIT_MS, renderClientAction } from './render/client-action';

export interface RenderTurnOptions {
  language: Language;
  /** Cap on a Wait block (default 10 s, like Typebot's own WhatsApp runtime). */
  maxWaitMs?: number;
}

/**
 * One Typebot reply as what WhatsApp shows, in order: actions not tied to a bubble, then each bubble
 * followed by the actions tied to it (`lastBubbleBlockId`), then the input's prompt. The prompt joins
 * the last text bubble when that bubble is the last thing shown, so a question and its options arrive
 * as one message.
 */
export function renderTurn(
  res: Pick<ContinueChatResponse, 'messages' | 'input' | 'clientSideActions'>,
  options: RenderTurnOptions,
): FlowTurn {
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
  const outputs: BotOutput[] = [];
  let continueWithoutAnswer = false;
  /** The last output, when it is a text bubble a prompt may join. */
  let joinable: { kind: 'text'; text: string } | undefined;

  const actions = Array.isArray(res.clientSideActions) ? res.clientSideActions : [];
  const messages: ChatMessage[] = Array.isArray(res.messages) ? res.messages : [];
  const bubbleIds = new Set(messages.map((m) => m.id));
  const play = (action: ClientSideAction): void => {
    const rendered = renderClientAction(action, maxWaitMs);
    if (rendered.output) outputs.push(rendered.output);
    joinable = undefined;
    continueWithoutAnswer ||= rendered.continueWithoutAnswer;
  };

  for (const action of actions) if (!action.lastBubbleBlockId) play(action);
  for (const message of messages) {
    const output = renderBubble(message);
    if (output) {
      outputs.push(output);
      joinable = output.kind === 'text' && message.type === 'text' ? output : undefined;
    }
    for (const action of actions) if (action.lastBubbleBlockId === message.id) play(action);
  }
  // Tied to a bubble that is not in this reply: played last rather than lost.
  for (const action of actions) if (action.lastBubbleBlockId && !bubbleIds.has(action.lastBubbleBlockId)) play(action);

  const turn: FlowTurn = { outputs };
  if (res.input && typeof res.input.type === 'string') {
    const input = renderInput(res.input, options.language);
    if (input.before.length > 0) joinable = undefined;
    outputs.push(...input.before);
    if (input.prompt) {
      if (joinable) {
        outputs[outputs.lastIndexOf(joinable)] = { kind: 'text', text: `${joinable.text}\n\n${input.prompt}` };
      } else {
        outputs.push({ kind: 'text', text: input.prompt });
      }
    }
    turn.input = input.awaited;
  }
  if (continueWithoutAnswer) turn.continueWithoutAnswer = true;
  return turn;
}
