import { FlowFailedError, FlowGoneError, type FlowTurn, type UserAnswer } from './ports';
import { say, type Language } from '../core/catalog';
import type { Handoffs } from './handoff';
import { triggerMatches } from './triggers';
import type { TurnPlayer } from './turn-player';
import type { RemoteMessage } from '../core/messages';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import type { BotChatState, BotStateStore } from '../store/bot-state';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { FlowEndHook, SessionBot } from './runner';

export interface FlowDriverDeps {
  state: BotStateStore;
  player: TurnPlayer;
  conversations: HelpdeskConversations;
  handoffs: Handoffs;
  language: Language;
  onFlowEnd?: FlowEndHook;
  metrics: Metrics;
  logger: Logger;
}

/**
 * One flow's life in a chat: its start, each answer and the turns that follow, its end, and what happens
 * when Typebot fails it (the chat goes to agents, the flow kept for a resume) or lost it (a new flow when
 * the message matches the trigger, else the agents). Every turn is shown through an outbox saved with the
 * state, so a retry goes on from the first bubble not shown.
 */
export class FlowDriver {
  constructor(private readonly deps: FlowDriverDeps) {}

  async start(
    bot: SessionBot,
    target: ChatTarget,
    conversationId: number,
    cause: string,
    variables?: Record<string, string>,
  ): Promise<void> {
    let start;
    try {
      start = await bot.flows.start({ session: target.session, phone: target.phone, name: target.name, variables });
    } catch (err) {
      if (err instanceof FlowFailedError || err instanceof FlowGoneError) return this.failed(bot, target, conversationId, err, false);
      throw err;
    }
    this.deps.metrics.botFlows.labels(bot.name, 'started').inc();
    const st: BotChatState = {
      bot: bot.name,
      flowSessionId: start.flowSessionId,
      resultId: start.resultId,
      flowId: start.flowId,
      conversationId,
      startedAt: Date.now(),
      lastActivity: Date.now(),
      answers: [],
      target,
    };
    // The greeting is saved as an outbox with the state: if anything below fails, the retry shows it
    // (and does not take the trigger message for an answer).
    st.outbox = {
      cause,
      outputs: start.turn.outputs,
      next: 0,
      sent: {},
      input: start.turn.input,
      continueWithoutAnswer: start.turn.continueWithoutAnswer,
      starts: true,
    };
    await this.deps.state.save(target.session, target.chatKey, st);
    this.deps.metrics.botMessages.labels(bot.name, 'out').inc(start.turn.outputs.filter((o) => o.kind !== 'wait').length);
    await this.finishOutbox(bot, target, st);
  }

  async answer(bot: SessionBot, target: ChatTarget, st: BotChatState, answer: UserAnswer, m: RemoteMessage): Promise<void> {
    const { metrics } = this.deps;
    let outcome;
    try {
      outcome = await bot.flows.answer(st.flowSessionId, st.input!, answer);
    } catch (err) {
      return this.trouble(bot, target, st, err, m);
    }
    st.lastActivity = Date.now();
    if (!outcome.accepted) {
      metrics.botMessages.labels(bot.name, 'rejected').inc();
      await this.deps.player.play(target, st, { cause: m.id, outputs: outcome.outputs, next: 0, sent: {}, input: st.input });
      await this.settle(bot, target, st);
      return;
    }
    metrics.botMessages.labels(bot.name, 'in').inc();
    st.answers.push({ type: st.input!.type, answer: outcome.answer });
    await this.playTurn(bot, target, st, outcome.turn, m.id);
  }

  /** A crash left bubbles unshown: show them before anything else happens in the chat. */
  async finishOutbox(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<BotChatState | undefined> {
    if (st.outbox!.starts) {
      await this.deps.conversations.setStatus(st.conversationId, 'pending');
      // An agent who wrote while the flow was starting has the conversation: it must not stay pending.
      const human = await this.deps.state.human(target.session, target.chatKey);
      if (human?.conversationId === st.conversationId) await this.deps.conversations.setStatus(st.conversationId, 'open');
      st.outbox!.starts = false;
    }
    await this.deps.player.play(target, st, st.outbox!);
    if (await this.settle(bot, target, st)) await this.continueDue(bot, target, st);
    return this.deps.state.get(target.session, target.chatKey);
  }

  /** Continues a flow that asked for it with no answer (a Wait), and shows what follows. */
  async continueDue(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<BotChatState | undefined> {
    const cause = st.resumeDue?.cause ?? `resume:${Date.now()}`;
    let turn: FlowTurn;
    try {
      turn = await bot.flows.resume(st.flowSessionId);
    } catch (err) {
      await this.trouble(bot, target, st, err);
      return this.deps.state.get(target.session, target.chatKey);
    }
    delete st.resumeDue;
    await this.playTurn(bot, target, st, turn, cause);
    return this.deps.state.get(target.session, target.chatKey);
  }

  /** Shows a turn, then follows the flow: a wait that expects a reply continues it, an end closes it. */
  private async playTurn(bot: SessionBot, target: ChatTarget, st: BotChatState, turn: FlowTurn, cause: string): Promise<void> {
    for (let round = 0; ; round++) {
      this.deps.metrics.botMessages.labels(bot.name, 'out').inc(turn.outputs.filter((o) => o.kind !== 'wait').length);
      await this.deps.player.play(target, st, {
        cause,
        outputs: turn.outputs,
        next: 0,
        sent: {},
        input: turn.input,
        continueWithoutAnswer: turn.continueWithoutAnswer,
      });
      const next = await this.settle(bot, target, st);
      if (!next || round > 20) return;
      try {
        turn = await bot.flows.resume(st.flowSessionId);
      } catch (err) {
        return this.trouble(bot, target, st, err);
      }
      delete st.resumeDue;
    }
  }

  /**
   * After an outbox is shown: the input it awaits becomes current; true when the flow must be continued
   * (saved as `resumeDue` until it is, so a failure there never takes the next message for an answer).
   */
  private async settle(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<boolean> {
    const outbox = st.outbox!;
    delete st.outbox;
    st.input = outbox.input;
    st.lastActivity = Date.now();
    if (outbox.continueWithoutAnswer) {
      st.resumeDue = { cause: outbox.cause };
      await this.deps.state.save(target.session, target.chatKey, st);
      return true;
    }
    if (!st.input) {
      await this.flowEnded(bot, target, st);
      return false;
    }
    await this.deps.state.save(target.session, target.chatKey, st);
    return false;
  }

  private async flowEnded(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<void> {
    this.deps.metrics.botFlows.labels(bot.name, 'completed').inc();
    await this.deps.state.clear(target.session, target.chatKey);
    const handled = (await this.deps.onFlowEnd?.({ bot: bot.name, target, state: st })) === 'handled';
    await this.deps.handoffs.handOver(target, 'flow_end', st.conversationId, { open: true });
    if (!handled) this.deps.logger.info({ session: target.session, bot: bot.name }, 'flow ended; the conversation is open for agents');
  }

  /** Typebot lost the flow (404) or failed it: see flowLost and failed. */
  private async trouble(bot: SessionBot, target: ChatTarget, st: BotChatState, err: unknown, m?: RemoteMessage): Promise<void> {
    if (err instanceof FlowGoneError) return this.flowLost(bot, target, st, `Typebot answered: ${err.message}`, m);
    if (err instanceof FlowFailedError) return this.failed(bot, target, st.conversationId, err, true);
    throw err;
  }

  /**
   * The flow is lost (Typebot no longer has its session, or it was silent past its expiry). The message
   * that found it so is never left unanswered: it starts a new flow when it matches the trigger, and
   * otherwise the conversation goes to the agents, `open`, with a note saying what happened and the usual
   * handoff sentence to the user.
   */
  async flowLost(bot: SessionBot, target: ChatTarget, st: BotChatState, why: string, m?: RemoteMessage): Promise<void> {
    const { state } = this.deps;
    this.deps.metrics.botFlows.labels(bot.name, 'expired').inc();
    if (m) await state.dropFromBurst(target.session, target.chatKey, [m.id]);
    if (m && (await triggerMatches(bot.trigger, m.text, () => this.deps.conversations.labels(st.conversationId)))) {
      await state.clear(target.session, target.chatKey);
      return this.start(bot, target, st.conversationId, m.id);
    }
    this.deps.logger.info({ session: target.session, bot: bot.name, why }, 'flow lost; handing the conversation to agents');
    const note = `The flow of Typebot (${bot.name}) was lost (${why}). The conversation is now with the agents; a message matching the trigger after it is resolved starts a new flow.`;
    // The mark first: should a step below fail, the retry finishes the handoff instead of finding no flow.
    const mark = await this.deps.handoffs.mark(target, 'lost', st.conversationId, {
      open: true,
      note,
      say: say(this.deps.language, 'handoff'),
    });
    await state.clear(target.session, target.chatKey);
    await this.deps.handoffs.finish(mark);
  }

  /** Typebot failed (after its retries): the agents get the chat, and the flow, when there is one, is kept for a resume. */
  private async failed(bot: SessionBot, target: ChatTarget, conversationId: number, err: Error, kept: boolean): Promise<void> {
    this.deps.logger.warn(
      { session: target.session, bot: bot.name, err: { message: err.message } },
      'flow failed; handing the conversation to agents',
    );
    this.deps.metrics.botFlows.labels(bot.name, 'handoff_error').inc();
    const resume = kept ? ' The flow is kept: `ponte bots resume` or the resume label continues it where it was.' : '';
    await this.deps.handoffs.handOver(target, 'error', conversationId, {
      open: true,
      note: `Typebot (${bot.name}) failed: ${err.message}. The conversation is now with the agents.${resume}`,
      say: say(this.deps.language, 'botError'),
    });
  }
}
