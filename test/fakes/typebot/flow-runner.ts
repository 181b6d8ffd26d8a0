import { parseAnswer } from './answers';
import { DEFAULT_INVALID_MESSAGE, expectsReply, renderAction, renderBubble, renderInput, retryBubble } from './render';
import type { VariableValue } from './rich-text';
import type { CompiledFlow, CompiledStep } from './flow-compiler';
import type { AnswerRecord, ChatMessage, InputMessage, TextBubbleContentFormat, WireAction, WireInput } from './types';

/** Where a live session stands between two requests. */
export type Cursor = { at: 'start' } | { at: 'input'; step: number } | { at: 'resume'; step: number };

/** Mutable drafts: the caller commits them only once the response passed the OpenAPI check. */
export interface RunContext {
  flow: CompiledFlow;
  vars: Map<string, VariableValue>;
  answers: AnswerRecord[];
  format: TextBubbleContentFormat;
  sessionId: string;
}

export interface Turn {
  messages: ChatMessage[];
  input?: WireInput;
  clientSideActions: WireAction[];
  lastMessageNewFormat?: string;
  cursor: Cursor | 'ended';
}

const MAX_STEPS_PER_TURN = 1000;

export function invalidMessageOf(flow: CompiledFlow): string {
  const general = flow.definition.settings?.general as { systemMessages?: { invalidMessage?: string } } | undefined;
  return flow.definition.invalidMessage ?? general?.systemMessages?.invalidMessage ?? DEFAULT_INVALID_MESSAGE;
}

const prefillEnabled = (flow: CompiledFlow): boolean => flow.definition.settings?.general?.isInputPrefillEnabled === true;

/** startChat: runs from the first step; `message` answers the first input if the flow reaches one. */
export function startTurn(ctx: RunContext, message?: InputMessage): Turn {
  const turn: Turn = { messages: [], clientSideActions: [], cursor: 'ended' };
  turn.cursor = runFrom(ctx, turn, 0, { pending: message });
  return turn;
}

export function continueTurn(ctx: RunContext, cursor: Cursor, message: InputMessage | undefined): Turn {
  const turn: Turn = { messages: [], clientSideActions: [], cursor: 'ended' };
  if (cursor.at === 'start') turn.cursor = runFrom(ctx, turn, 0, { pending: message });
  // A paused action (wait, setVariable…) resumes with the next block; a message sent meanwhile is not an answer.
  else if (cursor.at === 'resume') turn.cursor = runFrom(ctx, turn, cursor.step, { skipActions: true });
  else turn.cursor = answer(ctx, turn, cursor.step, message);
  return turn;
}

function answer(ctx: RunContext, turn: Turn, stepIndex: number, message: InputMessage | undefined): Cursor | 'ended' {
  const step = ctx.flow.steps[stepIndex];
  const input = step.input;
  if (!input) throw new Error(`Typebot fake: step '${step.id}' has no input to answer`);
  const vars = ctx.vars;
  if (message?.type === 'command') {
    // No command events are scripted: nothing runs and the same input stays open.
    turn.input = renderInput(input, vars, prefillEnabled(ctx.flow));
    return { at: 'input', step: stepIndex };
  }
  const parsed = parseAnswer(input, message);
  if (parsed.status === 'fail') {
    turn.messages.push(retryBubble(input, invalidMessageOf(ctx.flow), ctx.format));
    turn.input = renderInput(input, vars, prefillEnabled(ctx.flow));
    return { at: 'input', step: stepIndex };
  }
  let next = step.next;
  if (parsed.status === 'success') {
    vars.set(input.variable, parsed.content);
    ctx.answers.push({
      blockId: input.id,
      variable: input.variable,
      content: parsed.content,
      attachedFileUrls: parsed.attachedFileUrls,
      sessionId: ctx.sessionId,
    });
    if (message?.type === 'text' && parsed.content !== message.text) turn.lastMessageNewFormat = parsed.content;
    if (parsed.next !== undefined) next = parsed.next;
  }
  return next === undefined ? 'ended' : runFrom(ctx, turn, next, {});
}

function runFrom(ctx: RunContext, turn: Turn, first: number, opts: { pending?: InputMessage; skipActions?: boolean }): Cursor | 'ended' {
  let index: number | undefined = first;
  let skipActions = opts.skipActions ?? false;
  const pending = opts.pending;
  for (let guard = 0; index !== undefined; guard++) {
    if (guard > MAX_STEPS_PER_TURN)
      throw new Error(`Typebot fake flow '${ctx.flow.publicId}' loops through ${MAX_STEPS_PER_TURN} steps without an input`);
    const step: CompiledStep = ctx.flow.steps[index];
    if (!skipActions) {
      for (const { id, bubble } of step.bubbles) turn.messages.push(renderBubble(id, bubble, ctx.vars, ctx.format));
      const lastBubbleBlockId = turn.messages.at(-1)?.id;
      for (const action of step.actions)
        turn.clientSideActions.push({ ...renderAction(action, ctx.vars), ...(lastBubbleBlockId ? { lastBubbleBlockId } : {}) });
      if (step.actions.some(expectsReply)) return { at: 'resume', step: index };
    }
    skipActions = false;
    if (step.input) {
      if (pending === undefined) {
        turn.input = renderInput(step.input, ctx.vars, prefillEnabled(ctx.flow));
        return { at: 'input', step: index };
      }
      const message = pending;
      return answer(ctx, turn, index, message);
    }
    index = step.next;
  }
  return 'ended';
}
