import { FlowFailedError, FlowGoneError, type BotFlows, type FlowTurn, type UserAnswer } from './bot-ports';
import { say, type CatalogKey, type Language } from './catalog';
import { isHandoffKeyword, triggerMatches, type Trigger } from './bot-triggers';
import type { TurnPlayer } from './bot-turn-player';
import { isMediaKind, type RemoteMessage } from './messages';
import type { ChatTarget, HelpdeskConversations } from './ports';
import { EngineNotReadyError, MediaNotReadyError, type EngineSession } from '../engines/types';
import { mediaNotReady } from './media-not-ready';
import type { IdMap } from '../store/id-map';
import type { MediaStore } from '../store/media-store';
import type { BotChatState, BotStateStore, HumanMark } from '../store/bot-state';
import type { Lanes } from '../queue/lanes';
import { NotOwnerError, NotYetError, RetryableError } from '../queue/errors';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

export type BotJob =
  /** A user's message, queued before it is posted to Chatwoot; the bot waits for that post. */
  | { type: 'message'; session: string; receivedAt: number; target: ChatTarget; message: RemoteMessage }
  /** An admin asked for a fresh flow in this chat. */
  | { type: 'restart'; session: string; receivedAt: number; target: ChatTarget; conversationId: number };

export interface SessionBot {
  name: string;
  flows: BotFlows;
  trigger: Trigger;
  handoffKeywords: string[];
  expiryMs: number;
  debounceMs: number;
}

/** What happens when a flow ends; 'handled' when the hook took the chat over (a registration). */
export type FlowEndHook = (ctx: { bot: string; target: ChatTarget; state: BotChatState }) => Promise<'handled' | 'not_mine'>;

/** Something that takes over a chat's messages after a flow (a registration waiting for corrections). */
export interface ChatInterceptor {
  claims(target: ChatTarget): Promise<boolean>;
  correction(target: ChatTarget, answer: { text?: string; file?: { url: string; mimetype?: string; filename?: string } }): Promise<void>;
}

export interface BotRunnerDeps {
  owns?: (session: string) => boolean;
  lanes: Lanes<BotJob>;
  state: BotStateStore;
  idMap: IdMap;
  player: TurnPlayer;
  conversations: HelpdeskConversations;
  media: MediaStore;
  engine: (session: string) => EngineSession | undefined;
  bot: (session: string) => SessionBot | undefined;
  maxMediaBytes: (session: string) => number;
  language: Language;
  onFlowEnd?: FlowEndHook;
  interceptor?: ChatInterceptor;
  metrics: Metrics;
  logger: Logger;
  /** How long to wait for the user's message to reach Chatwoot before retrying later. */
  helpdeskWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs Typebot flows in WhatsApp chats. A chat is in one of three hands: no one (a trigger may start a
 * flow), the bot (answers go to the flow), or humans (the bot stays quiet until the conversation changes
 * or an admin resumes it). Jobs run one chat at a time, in order, on their own lanes.
 */
export class BotRunner {
  constructor(private readonly deps: BotRunnerDeps) {}

  /** Takes in an incoming message before it goes to Chatwoot; resolves once it is persisted. */
  async enqueue(target: ChatTarget, message: RemoteMessage): Promise<void> {
    const bot = this.deps.bot(target.session);
    if (!bot || target.isGroup) return;
    const claim = `botq:${message.id}`;
    if (await this.deps.idMap.isKnown(target.session, claim)) return;
    if (!message.fromMe && message.kind === 'text' && message.text?.trim() && bot.debounceMs > 0) {
      await this.deps.state.addToBurst(target.session, target.chatKey, { id: message.id, at: Date.now(), text: message.text });
    }
    await this.deps.lanes.push(laneOf(target), { type: 'message', session: target.session, receivedAt: Date.now(), target, message }, this.deps.idMap.knownMark(target.session, claim));
  }

  start(): void {
    this.deps.lanes.start((job) => this.handle(job));
  }

  async handle(job: BotJob): Promise<void> {
    if (this.deps.owns && !this.deps.owns(job.session)) throw new NotOwnerError(job.session);
    const bot = this.deps.bot(job.session);
    if (!bot) return;
    if (job.type === 'restart') return this.restart(bot, job.target, job.conversationId);
    const done = `bot:${job.message.id}`;
    if (await this.deps.idMap.isKnown(job.session, done)) return;
    await this.onMessage(bot, job);
    await this.deps.idMap.markKnown(job.session, [done]);
  }

  /** An agent wrote in the conversation: the bot stops talking there (its flow is kept for a resume). */
  async agentReplied(target: ChatTarget, conversationId: number): Promise<void> {
    const bot = this.deps.bot(target.session);
    if (!bot) return;
    const human = await this.deps.state.human(target.session, target.chatKey);
    if (human?.conversationId === conversationId) return;
    await this.deps.state.setHuman(target.session, target.chatKey, { reason: 'agent', conversationId, at: Date.now(), target });
    this.deps.metrics.botFlows.labels(bot.name, 'handoff_agent').inc();
  }

  /** Agents resolved the conversation: whoever had it, the next message starts afresh (trigger permitting). */
  async conversationResolved(session: string, chatKey: string, conversationId: number): Promise<void> {
    const bot = this.deps.bot(session);
    if (!bot) return;
    const human = await this.deps.state.human(session, chatKey);
    if (human?.conversationId === conversationId) await this.deps.state.clearHuman(session, chatKey);
    const st = await this.deps.state.get(session, chatKey);
    if (st?.conversationId === conversationId) {
      await this.deps.state.clear(session, chatKey);
      this.deps.metrics.botFlows.labels(bot.name, 'handoff_agent').inc();
    }
  }

  /** Hands the chat back to its bot: the flow goes on where it was, or a new one starts with the next message. */
  async resume(session: string, chatKey: string): Promise<boolean> {
    const bot = this.deps.bot(session);
    const human = await this.deps.state.human(session, chatKey);
    if (!bot || !human) return false;
    await this.deps.state.clearHuman(session, chatKey);
    const st = await this.deps.state.get(session, chatKey);
    if (st) await this.deps.conversations.setStatus(st.conversationId, 'pending');
    this.deps.metrics.botFlows.labels(bot.name, 'resumed').inc();
    return true;
  }

  /** Queues a fresh flow for the chat (any running one is dropped); false when the chat is unknown. */
  async requestRestart(session: string, chatKey: string): Promise<boolean> {
    const human = await this.deps.state.human(session, chatKey);
    const st = await this.deps.state.get(session, chatKey);
    const target = human?.target ?? st?.target;
    const conversationId = human?.conversationId ?? st?.conversationId;
    if (!target || conversationId === undefined || !this.deps.bot(session)) return false;
    await this.deps.lanes.push(laneOf(target), { type: 'restart', session, receivedAt: Date.now(), target, conversationId });
    return true;
  }

  private async onMessage(bot: SessionBot, job: Extract<BotJob, { type: 'message' }>): Promise<void> {
    const { state } = this.deps;
    const { target, message: m } = job;
    const conversationId = await this.conversationOf(target.session, m.id);
    // Someone typed on the phone itself (not a send of Ponte's, whose echoes never get here): a human replied.
    if (m.fromMe) return this.agentReplied(target, conversationId);
    if (this.deps.interceptor && (await this.deps.interceptor.claims(target))) {
      await this.dropFromBurst(target, m);
      const file = isMediaKind(m.kind) && m.media ? await this.storeMedia(target, m, job.receivedAt) : undefined;
      return this.deps.interceptor.correction(target, { text: m.text, file });
    }
    const human = await state.human(target.session, target.chatKey);
    if (human && human.conversationId === conversationId) return this.dropFromBurst(target, m);
    if (human) await state.clearHuman(target.session, target.chatKey);

    let st = await state.get(target.session, target.chatKey);
    if (st?.outbox) {
      // A crash (or a failed step) left a turn half shown: show the rest first. When this very message
      // caused that turn, the flow has its answer already: it must not get it twice.
      const cause = st.outbox.cause;
      st = await this.finishOutbox(bot, target, st);
      if (cause === m.id) return;
    }
    if (st && (Date.now() - st.lastActivity > bot.expiryMs || st.conversationId !== conversationId)) {
      this.deps.metrics.botFlows.labels(bot.name, 'expired').inc();
      await state.clear(target.session, target.chatKey);
      st = undefined;
    }
    if (st && isHandoffKeyword(m.text, bot.handoffKeywords)) {
      await this.dropFromBurst(target, m);
      return this.handoff(bot, target, st.conversationId, 'keyword', 'handoff');
    }
    if (!st) {
      await this.dropFromBurst(target, m);
      if (!(await triggerMatches(bot.trigger, m.text, () => this.deps.conversations.labels(conversationId)))) return;
      return this.startFlow(bot, target, conversationId, m.id);
    }
    const answer = await this.answerOf(bot, target, st, m, job.receivedAt);
    if (!answer) return;
    await this.answer(bot, target, st, answer, m);
  }

  /** The answer this message gives, or undefined when a later message of the same burst will answer for it. */
  private async answerOf(bot: SessionBot, target: ChatTarget, st: BotChatState, m: RemoteMessage, receivedAt: number): Promise<UserAnswer | undefined> {
    if (isMediaKind(m.kind) && m.media) {
      await this.dropFromBurst(target, m);
      const file = await this.storeMedia(target, m, receivedAt);
      return file ? { text: m.text, files: [file] } : { text: m.text };
    }
    if (!st.input?.text || bot.debounceMs <= 0) {
      await this.dropFromBurst(target, m);
      return { text: m.text ?? '' };
    }
    const burst = await this.deps.state.burst(target.session, target.chatKey);
    const mine = burst.find((e) => e.id === m.id);
    // Already answered as part of an earlier flush (a retry), or a newer message will answer for all.
    if (!mine) return undefined;
    if (burst.some((e) => e.at > mine.at)) return undefined;
    const wait = mine.at + bot.debounceMs - Date.now();
    // The user may still be typing: the chat's lane waits, and its worker serves other chats meanwhile.
    if (wait > 0) throw new NotYetError('waiting for the rest of a burst of messages', wait);
    await this.deps.state.dropFromBurst(target.session, target.chatKey, burst.map((e) => e.id));
    return { text: burst.map((e) => e.text).join('\n') };
  }

  private async answer(bot: SessionBot, target: ChatTarget, st: BotChatState, answer: UserAnswer, m: RemoteMessage): Promise<void> {
    const { metrics } = this.deps;
    let outcome;
    try {
      outcome = await bot.flows.answer(st.flowSessionId, st.input!, answer);
    } catch (err) {
      if (err instanceof FlowGoneError) return this.flowGone(bot, target, st, m);
      if (err instanceof FlowFailedError) return this.failed(bot, target, st.conversationId, err);
      throw err;
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

  private async startFlow(bot: SessionBot, target: ChatTarget, conversationId: number, cause: string): Promise<void> {
    let start;
    try {
      start = await bot.flows.start({ session: target.session, phone: target.phone, name: target.name });
    } catch (err) {
      if (err instanceof FlowFailedError || err instanceof FlowGoneError) return this.failed(bot, target, conversationId, err);
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
    st.outbox = { cause, outputs: start.turn.outputs, next: 0, sent: {}, input: start.turn.input, continueWithoutAnswer: start.turn.continueWithoutAnswer, starts: true };
    await this.deps.state.save(target.session, target.chatKey, st);
    this.deps.metrics.botMessages.labels(bot.name, 'out').inc(start.turn.outputs.filter((o) => o.kind !== 'wait').length);
    await this.finishOutbox(bot, target, st);
  }

  private async restart(bot: SessionBot, target: ChatTarget, conversationId: number): Promise<void> {
    await this.deps.state.clear(target.session, target.chatKey);
    await this.deps.state.clearHuman(target.session, target.chatKey);
    this.deps.metrics.botFlows.labels(bot.name, 'restarted').inc();
    await this.startFlow(bot, target, conversationId, `restart:${Date.now()}`);
  }

  /** Shows a turn, then follows the flow: a wait that expects a reply continues it, an end closes it. */
  private async playTurn(bot: SessionBot, target: ChatTarget, st: BotChatState, turn: FlowTurn, cause: string): Promise<void> {
    for (let round = 0; ; round++) {
      this.deps.metrics.botMessages.labels(bot.name, 'out').inc(turn.outputs.filter((o) => o.kind !== 'wait').length);
      await this.deps.player.play(target, st, { cause, outputs: turn.outputs, next: 0, sent: {}, input: turn.input, continueWithoutAnswer: turn.continueWithoutAnswer });
      const next = await this.settle(bot, target, st);
      if (!next || round > 20) return;
      try {
        turn = await bot.flows.resume(st.flowSessionId);
      } catch (err) {
        if (err instanceof FlowGoneError || err instanceof FlowFailedError) return this.failed(bot, target, st.conversationId, err);
        throw err;
      }
    }
  }

  /** After an outbox is shown: the input it awaits becomes current; true when the flow must be resumed. */
  private async settle(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<boolean> {
    const outbox = st.outbox!;
    delete st.outbox;
    st.input = outbox.input;
    st.lastActivity = Date.now();
    if (outbox.continueWithoutAnswer) {
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

  /** A crash left bubbles unshown: show them before anything else happens in the chat. */
  private async finishOutbox(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<BotChatState | undefined> {
    if (st.outbox!.starts) {
      await this.deps.conversations.setStatus(st.conversationId, 'pending');
      st.outbox!.starts = false;
    }
    await this.deps.player.play(target, st, st.outbox!);
    const resume = await this.settle(bot, target, st);
    if (resume) {
      let turn: FlowTurn;
      try {
        turn = await bot.flows.resume(st.flowSessionId);
      } catch (err) {
        if (err instanceof FlowGoneError || err instanceof FlowFailedError) {
          await this.failed(bot, target, st.conversationId, err);
          return undefined;
        }
        throw err;
      }
      await this.playTurn(bot, target, st, turn, `resume:${Date.now()}`);
    }
    return this.deps.state.get(target.session, target.chatKey);
  }

  private async flowEnded(bot: SessionBot, target: ChatTarget, st: BotChatState): Promise<void> {
    this.deps.metrics.botFlows.labels(bot.name, 'completed').inc();
    await this.deps.state.clear(target.session, target.chatKey);
    const handled = (await this.deps.onFlowEnd?.({ bot: bot.name, target, state: st })) === 'handled';
    await this.toHumans(target, st.conversationId, 'flow_end');
    if (!handled) this.deps.logger.info({ session: target.session, bot: bot.name }, 'flow ended; the conversation is open for agents');
  }

  /** The flow session is gone in Typebot: start afresh only when this message matches the trigger again. */
  private async flowGone(bot: SessionBot, target: ChatTarget, st: BotChatState, m: RemoteMessage): Promise<void> {
    await this.deps.state.clear(target.session, target.chatKey);
    this.deps.metrics.botFlows.labels(bot.name, 'expired').inc();
    if (await triggerMatches(bot.trigger, m.text, () => this.deps.conversations.labels(st.conversationId))) {
      await this.startFlow(bot, target, st.conversationId, m.id);
    }
  }

  private async failed(bot: SessionBot, target: ChatTarget, conversationId: number, err: Error): Promise<void> {
    this.deps.logger.warn({ session: target.session, bot: bot.name, err: { message: err.message } }, 'flow failed; handing the conversation to agents');
    await this.deps.conversations.note(conversationId, `Typebot (${bot.name}) failed: ${err.message}. The conversation is now with the agents.`);
    await this.handoff(bot, target, conversationId, 'error', 'botError');
  }

  private async handoff(bot: SessionBot, target: ChatTarget, conversationId: number, reason: 'keyword' | 'error', sentence: CatalogKey): Promise<void> {
    this.deps.metrics.botFlows.labels(bot.name, `handoff_${reason}`).inc();
    await this.deps.state.clear(target.session, target.chatKey);
    await this.toHumans(target, conversationId, reason);
    await this.deps.player.say(target, say(this.deps.language, sentence));
  }

  private async toHumans(target: ChatTarget, conversationId: number, reason: HumanMark['reason']): Promise<void> {
    await this.deps.state.setHuman(target.session, target.chatKey, { reason, conversationId, at: Date.now(), target });
    await this.deps.conversations.setStatus(conversationId, 'open');
  }

  /** The Chatwoot conversation of the user's message; waits (bounded) for the inbound relay to post it. */
  private async conversationOf(session: string, waId: string): Promise<number> {
    const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    const deadline = Date.now() + (this.deps.helpdeskWaitMs ?? 3000);
    for (;;) {
      const ref = await this.deps.idMap.byWa(session, waId);
      if (ref && ref !== 'handled') return ref.conversationId;
      if (ref === 'handled') throw new RetryableError('the message was not posted to Chatwoot');
      if (Date.now() > deadline) throw new RetryableError('the message has not reached Chatwoot yet');
      await sleep(50);
    }
  }

  private async storeMedia(target: ChatTarget, m: RemoteMessage, receivedAt: number): Promise<{ url: string; mimetype: string; filename: string } | undefined> {
    const engine = this.deps.engine(target.session);
    if (!engine) throw new RetryableError(`session ${target.session} has no engine`);
    if (m.media!.size && m.media!.size > this.deps.maxMediaBytes(target.session)) return undefined;
    let data: Buffer | undefined;
    try {
      data = await engine.downloadMedia(m.chatId, m.id, m.media!);
    } catch (err) {
      if (err instanceof MediaNotReadyError) throw mediaNotReady(err, receivedAt);
      if (err instanceof EngineNotReadyError) throw new RetryableError(err.message);
      throw new RetryableError(`media download failed: ${(err as Error).message}`);
    }
    if (!data) return undefined;
    const stored = await this.deps.media.put({ data, mimetype: m.media!.mimetype, filename: m.media!.filename });
    return { url: await this.deps.media.link(stored), mimetype: stored.mimetype, filename: stored.filename };
  }

  private async dropFromBurst(target: ChatTarget, m: RemoteMessage): Promise<void> {
    await this.deps.state.dropFromBurst(target.session, target.chatKey, [m.id]);
  }
}

function laneOf(target: ChatTarget): string {
  return `${target.session}|${target.waChatId}`;
}
