import { TypebotHttpError, sessionExpired, sessionNotFound } from './errors';
import { continueTurn, startTurn } from './flow-runner';
import type { RunContext, Turn } from './flow-runner';
import type { CompiledFlow } from './flow-compiler';
import type { VariableValue } from './rich-text';
import type { FakeStore, SessionRecord } from './store';
import type { InputMessage, TextBubbleContentFormat } from './types';

/** A computed answer; `commit` applies its state changes once the response passed the OpenAPI check. */
export interface Reply {
  status: number;
  body: unknown;
  commit?: () => void;
}

type Body = Record<string, unknown>;

const formatOf = (body: Body): TextBubbleContentFormat => (body.textBubbleContentFormat === 'markdown' ? 'markdown' : 'richText');

/** messageSchema's preprocess: a bare string is a text message. */
function messageOf(raw: unknown): InputMessage | undefined {
  if (raw === undefined || raw === null) return undefined;
  return typeof raw === 'string' ? { type: 'text', text: raw } : (raw as InputMessage);
}

/** prefillVariables: only variables the bot has, falsy values skipped, non-strings stringified. */
function prefill(flow: CompiledFlow, vars: Map<string, VariableValue>, prefilled: unknown): void {
  for (const [name, value] of Object.entries((prefilled ?? {}) as Record<string, unknown>)) {
    if (!flow.variableIds.has(name) || !value) continue;
    vars.set(
      name,
      typeof value === 'string'
        ? value
        : Array.isArray(value)
          ? value.map(String)
          : typeof value === 'object'
            ? JSON.stringify(value)
            : String(value),
    );
  }
}

function typebotInfo(flow: CompiledFlow, store: FakeStore): Record<string, unknown> {
  const def = flow.definition;
  const general: Record<string, unknown> = {
    isBrandingEnabled: false,
    rememberUser: { isEnabled: def.rememberUser ?? false },
    ...def.settings?.general,
  };
  if (def.invalidMessage)
    general.systemMessages = { ...(general.systemMessages as object | undefined), invalidMessage: def.invalidMessage };
  return {
    id: flow.typebotId,
    version: def.version ?? '6',
    theme: def.theme ?? {},
    settings: {
      general,
      typingEmulation: {
        enabled: true,
        speed: 400,
        maxDelay: 3,
        delayBetweenBubbles: 0,
        isDisabledOnFirstMessage: true,
        ...def.settings?.typingEmulation,
      },
    },
    publishedAt: def.publishedAt ?? store.startedAt,
  };
}

const turnBody = (turn: Turn): Body => ({
  messages: turn.messages,
  input: turn.input,
  clientSideActions: turn.clientSideActions.length > 0 ? turn.clientSideActions : undefined,
});

/**
 * saveStateToDatabase: an ended flow deletes its session; the result keeps the variables, and is completed
 * only if it got at least one answer.
 */
function save(store: FakeStore, session: SessionRecord, ctx: RunContext, turn: Turn): void {
  let result = store.results.get(session.resultId);
  if (!result) {
    result = {
      id: session.resultId,
      typebotId: session.flow.typebotId,
      publicId: session.publicId,
      createdAt: new Date().toISOString(),
      variableIds: session.flow.variableIds,
      variables: new Map(),
      answers: [],
      isCompleted: false,
      hasStarted: false,
      lastChatSessionId: null,
    };
    store.results.set(result.id, result);
  }
  result.variables = new Map(ctx.vars);
  result.answers.push(...ctx.answers);
  result.hasStarted = result.answers.length > 0;
  result.isCompleted = turn.cursor === 'ended' && result.hasStarted;
  result.lastChatSessionId = session.id;
  if (turn.cursor === 'ended') {
    store.sessions.delete(session.id);
    return;
  }
  session.cursor = turn.cursor;
  session.vars = ctx.vars;
  store.sessions.set(session.id, session);
}

export function startChat(store: FakeStore, publicId: string, body: Body): Reply {
  const flow = store.flows.get(publicId);
  if (!flow) throw new TypebotHttpError(404, 'Typebot not found', 'not_found', `no flow with publicId '${publicId}'`);
  if (store.closed.has(publicId))
    throw new TypebotHttpError(400, 'Typebot is closed', 'bot_closed', `bot '${publicId}' was closed by the test`);

  const remembered = typeof body.resultId === 'string' && flow.definition.rememberUser ? store.results.get(body.resultId) : undefined;
  const reuse = remembered?.typebotId === flow.typebotId ? remembered : undefined;
  const vars = new Map(reuse?.variables ?? []);
  prefill(flow, vars, body.prefilledVariables);
  const session: SessionRecord = {
    id: store.newId(),
    publicId,
    resultId: reuse?.id ?? store.newId(),
    flow,
    cursor: { at: 'start' },
    vars,
    expired: false,
  };
  const typebot = typebotInfo(flow, store);

  if (body.isOnlyRegistering === true) {
    return {
      status: 200,
      body: { sessionId: session.id, typebot, messages: [] },
      commit: () => {
        store.sessions.set(session.id, session);
      },
    };
  }
  const ctx: RunContext = { flow, vars: new Map(vars), answers: [], format: formatOf(body), sessionId: session.id };
  const turn = startTurn(ctx, messageOf(body.message));
  // startSession leaves resultId out when the flow ends right away.
  const resultId = turn.cursor === 'ended' ? undefined : session.resultId;
  return {
    status: 200,
    body: { sessionId: session.id, resultId, typebot, ...turnBody(turn) },
    commit: () => save(store, session, ctx, turn),
  };
}

export function continueChat(store: FakeStore, sessionId: string, body: Body): Reply {
  const session = store.sessions.get(sessionId);
  if (!session) throw sessionNotFound(sessionId);
  if (session.expired) throw sessionExpired(sessionId);
  const ctx: RunContext = { flow: session.flow, vars: new Map(session.vars), answers: [], format: formatOf(body), sessionId };
  const turn = continueTurn(ctx, session.cursor, messageOf(body.message));
  return {
    status: 200,
    body: { ...turnBody(turn), lastMessageNewFormat: turn.lastMessageNewFormat },
    commit: () => save(store, session, ctx, turn),
  };
}
