import type { BotFlows, UserAnswer } from './ports';
import { say, type Language } from '../core/catalog';
import { Handoffs } from './handoff';
import { FlowDriver } from './flow-driver';
import { isHandoffKeyword, triggerMatches, type Trigger } from './triggers';
import type { TurnPlayer } from './turn-player';
import { isMediaKind, type RemoteMessage } from '../core/messages';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import { EngineNotReadyError, MediaNotReadyError, type EngineSession } from '../engines/types';
import { mediaNotReady } from '../from-whatsapp/media-not-ready';
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
  | { type: 'restart'; session: string; receivedAt: number; target: ChatTarget; conversationId: number }
  /** The chat was given back to a flow that was waiting to be continued (a Wait): continue it now. */
  | { type: 'continue'; session: string; receivedAt: number; target: ChatTarget; conversationId: number }
  /** An admin started a bot's flow for a number that has not written (`POST /admin/sessions/<id>/flows`). */
  | {
      type: 'start';
      /** This start's own id: the cause of its first turn, and what a retry of the job is recognised by. */
      id: string;
      session: string;
      receivedAt: number;
      target: ChatTarget;
      conversationId: number;
      bot: string;
      variables?: Record<string, string>;
    };

/** Who holds a chat's conversation right now, when anyone does: a running flow (and its bot), or humans. */
export type ChatHolder = { flow: string; since: number } | { humans: HumanMark['reason']; since: number };

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
  /**
   * Any configured bot by name: a flow started for a number may be another bot than the session's, and its
   * chat keeps that bot until the flow ends.
   */
  botNamed?: (name: string) => SessionBot | undefined;
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
  private readonly handoffs: Handoffs;
  private readonly driver: FlowDriver;

  constructor(private readonly deps: BotRunnerDeps) {
    this.handoffs = new Handoffs(deps);
    this.driver = new FlowDriver({ ...deps, handoffs: this.handoffs });
  }

  /** Takes in an incoming message before it goes to Chatwoot; resolves once it is persisted. */
  async enqueue(target: ChatTarget, message: RemoteMessage): Promise<void> {
    const bot = this.deps.bot(target.session);
    if (!bot || target.isGroup) return;
    const claim = `botq:${message.id}`;
    if (await this.deps.idMap.isKnown(target.session, claim)) return;
    if (!message.fromMe && message.kind === 'text' && message.text?.trim() && bot.debounceMs > 0) {
      await this.deps.state.addToBurst(target.session, target.chatKey, { id: message.id, at: Date.now(), text: message.text });
    }
    await this.deps.lanes.push(
      laneOf(target),
      { type: 'message', session: target.session, receivedAt: Date.now(), target, message },
      this.deps.idMap.knownMark(target.session, claim),
    );
  }

  start(): void {
    this.deps.lanes.start((job) => this.handle(job));
  }

  async handle(job: BotJob): Promise<void> {
    if (this.deps.owns && !this.deps.owns(job.session)) throw new NotOwnerError(job.session);
    const bot = this.deps.bot(job.session);
    if (!bot) return;
    if (job.type === 'restart') return this.restart(bot, job.target, job.conversationId);
    if (job.type === 'continue') return this.continueJob(bot, job.target, job.conversationId);
    if (job.type === 'start') return this.startJob(job);
    const done = `bot:${job.message.id}`;
    if (await this.deps.idMap.isKnown(job.session, done)) return;
    await this.onMessage(bot, job);
    await this.deps.idMap.markKnown(job.session, [done]);
  }

  /**
   * An agent wrote in the conversation (or someone typed on the phone): the bot stops talking there, and a
   * conversation it was running leaves `pending` for `open`, into the agents' view. Its flow is kept for a resume.
   */
  async agentReplied(target: ChatTarget, conversationId: number): Promise<void> {
    const bot = this.deps.bot(target.session);
    if (!bot) return;
    const human = await this.deps.state.human(target.session, target.chatKey);
    if (human?.conversationId === conversationId) return this.handoffs.finish(human);
    const running = (await this.deps.state.get(target.session, target.chatKey))?.conversationId === conversationId;
    this.deps.metrics.botFlows.labels(bot.name, 'handoff_agent').inc();
    await this.handoffs.finish(await this.handoffs.mark(target, 'agent', conversationId, running ? { open: true } : {}));
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

  /**
   * Hands the chat back to its bot, whatever the handoff was: a flow kept since (not expired, same
   * conversation) goes on where it was, the conversation `pending` again; with none, the next message starts
   * a new one (trigger permitting). A flow that was to be continued (a Wait) is continued at once.
   */
  async resume(session: string, chatKey: string): Promise<boolean> {
    const { state } = this.deps;
    const sessionBot = this.deps.bot(session);
    const human = await state.human(session, chatKey);
    if (!sessionBot || !human) return false;
    const st = await state.get(session, chatKey);
    const bot = this.flowBot(st, sessionBot);
    const alive = st !== undefined && st.conversationId === human.conversationId && Date.now() - st.lastActivity <= bot.expiryMs;
    if (alive) {
      // The flow lives again from now: its expiry counts from the resume, not from before the handoff.
      st.lastActivity = Date.now();
      await state.save(session, chatKey, st);
      await this.deps.conversations.setStatus(st.conversationId, 'pending');
    } else if (st) {
      this.deps.metrics.botFlows.labels(bot.name, 'expired').inc();
      await state.clear(session, chatKey);
    }
    await state.clearHuman(session, chatKey);
    this.deps.metrics.botFlows.labels(bot.name, 'resumed').inc();
    // Pushed once humans no longer hold the chat, or the job would find it still theirs. Were it lost, the
    // next message continues the flow first all the same.
    if (alive && st.resumeDue) {
      const target = st.target ?? human.target;
      await this.deps.lanes.push(laneOf(target), {
        type: 'continue',
        session,
        receivedAt: Date.now(),
        target,
        conversationId: st.conversationId,
      });
    }
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

  /**
   * Who has the conversation: a flow of it not expired, or humans (a handoff of it). A flow or a mark left
   * from an older conversation says nothing about this one.
   */
  async holder(target: ChatTarget, conversationId: number): Promise<ChatHolder | undefined> {
    const human = await this.deps.state.human(target.session, target.chatKey);
    if (human?.conversationId === conversationId) return { humans: human.reason, since: human.at };
    const st = await this.deps.state.get(target.session, target.chatKey);
    if (st?.conversationId !== conversationId) return undefined;
    const bot = this.flowBot(st, this.deps.bot(target.session));
    if (bot && Date.now() - st.lastActivity > bot.expiryMs) return undefined;
    return { flow: st.bot, since: st.startedAt };
  }

  /** Queues the start of `bot`'s flow in a chat nobody holds (the caller checked with `holder`). */
  async requestStart(target: ChatTarget, conversationId: number, bot: string, variables?: Record<string, string>): Promise<{ id: string }> {
    const id = `start:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    await this.deps.lanes.push(laneOf(target), {
      type: 'start',
      id,
      session: target.session,
      receivedAt: Date.now(),
      target,
      conversationId,
      bot,
      ...(variables && Object.keys(variables).length ? { variables } : {}),
    });
    return { id };
  }

  /**
   * A start asked for by an admin, run in the chat's lane like a trigger: after any message the person sent
   * meanwhile, and not at all when someone took the chat since the request was accepted.
   */
  private async startJob(job: Extract<BotJob, { type: 'start' }>): Promise<void> {
    const { target, conversationId } = job;
    const done = `bot:${job.id}`;
    if (await this.deps.idMap.isKnown(job.session, done)) return;
    const bot = this.deps.botNamed?.(job.bot);
    const log = { session: job.session, bot: job.bot };
    if (!bot) {
      this.deps.logger.warn(log, 'flow start dropped: the bot is no longer configured');
      return;
    }
    const st = await this.deps.state.get(target.session, target.chatKey);
    if (st?.outbox?.cause === job.id) {
      // A retry after the greeting was partly shown: show the rest.
      await this.driver.finishOutbox(bot, target, st);
    } else {
      const holder = await this.holder(target, conversationId);
      if (holder) {
        this.deps.logger.info(log, 'flow start dropped: the chat was taken meanwhile');
      } else {
        if (st) await this.deps.state.clear(target.session, target.chatKey);
        await this.driver.start(bot, target, conversationId, job.id, job.variables);
      }
    }
    await this.deps.idMap.markKnown(job.session, [done]);
  }

  /** The bot a chat's flow runs with (a started flow may be another bot than the session's). */
  private flowBot<B extends SessionBot | undefined>(st: BotChatState | undefined, sessionBot: B): SessionBot | B {
    if (!st || st.bot === sessionBot?.name) return sessionBot;
    return this.deps.botNamed?.(st.bot) ?? sessionBot;
  }

  private async onMessage(sessionBot: SessionBot, job: Extract<BotJob, { type: 'message' }>): Promise<void> {
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
    if (await this.humansHave(target, conversationId)) return this.dropFromBurst(target, m);

    let st = await state.get(target.session, target.chatKey);
    const bot = this.flowBot(st, sessionBot);
    // A crash (or a failed step) left a turn half shown, or a Wait not yet continued: that comes first.
    // When this very message caused that turn, the flow has its answer already: it must not get it twice.
    for (const pending of ['outbox', 'resumeDue'] as const) {
      const cause = st?.[pending]?.cause;
      if (!st || cause === undefined) continue;
      st = pending === 'outbox' ? await this.driver.finishOutbox(bot, target, st) : await this.driver.continueDue(bot, target, st);
      if (cause === m.id) return;
      // That may have handed the chat over (Typebot failing): the message is then the agents'.
      if (await this.humansHave(target, conversationId)) return this.dropFromBurst(target, m);
    }
    if (st && st.conversationId !== conversationId) {
      // A flow of an older conversation: this one never had it.
      this.deps.metrics.botFlows.labels(bot.name, 'expired').inc();
      await state.clear(target.session, target.chatKey);
      st = undefined;
    }
    if (st && Date.now() - st.lastActivity > bot.expiryMs) {
      return this.driver.flowLost(bot, target, st, `silent for more than ${Math.round(bot.expiryMs / 60_000)} minutes`, m);
    }
    if (st && isHandoffKeyword(m.text, bot.handoffKeywords)) {
      await this.dropFromBurst(target, m);
      this.deps.metrics.botFlows.labels(bot.name, 'handoff_keyword').inc();
      // The flow is kept: a resume continues it where it was.
      return this.handoffs.handOver(target, 'keyword', st.conversationId, { open: true, say: say(this.deps.language, 'handoff') });
    }
    if (!st) {
      await this.dropFromBurst(target, m);
      if (!(await triggerMatches(sessionBot.trigger, m.text, () => this.deps.conversations.labels(conversationId)))) return;
      return this.driver.start(sessionBot, target, conversationId, m.id);
    }
    // Bursts are gathered (enqueue) by the session's bot's setting, whichever bot runs the flow.
    const answer = await this.answerOf(sessionBot.debounceMs, target, st, m, job.receivedAt);
    if (!answer) return;
    await this.driver.answer(bot, target, st, answer, m);
  }

  /** The answer this message gives, or undefined when a later message of the same burst will answer for it. */
  private async answerOf(
    debounceMs: number,
    target: ChatTarget,
    st: BotChatState,
    m: RemoteMessage,
    receivedAt: number,
  ): Promise<UserAnswer | undefined> {
    if (isMediaKind(m.kind) && m.media) {
      await this.dropFromBurst(target, m);
      const file = await this.storeMedia(target, m, receivedAt);
      return file ? { text: m.text, files: [file] } : { text: m.text };
    }
    if (!st.input?.text || debounceMs <= 0) {
      await this.dropFromBurst(target, m);
      return { text: m.text ?? '' };
    }
    const burst = await this.deps.state.burst(target.session, target.chatKey);
    const mine = burst.find((e) => e.id === m.id);
    // Already answered as part of an earlier flush (a retry), or a newer message will answer for all.
    if (!mine) return undefined;
    if (burst.some((e) => e.at > mine.at)) return undefined;
    const wait = mine.at + debounceMs - Date.now();
    // The user may still be typing: the chat's lane waits, and its worker serves other chats meanwhile.
    if (wait > 0) throw new NotYetError('waiting for the rest of a burst of messages', wait);
    await this.deps.state.dropFromBurst(
      target.session,
      target.chatKey,
      burst.map((e) => e.id),
    );
    return { text: burst.map((e) => e.text).join('\n') };
  }

  private async restart(sessionBot: SessionBot, target: ChatTarget, conversationId: number): Promise<void> {
    // A fresh flow of the bot the chat had (a started flow may be another bot than the session's).
    const bot = this.flowBot(await this.deps.state.get(target.session, target.chatKey), sessionBot);
    await this.deps.state.clear(target.session, target.chatKey);
    await this.deps.state.clearHuman(target.session, target.chatKey);
    this.deps.metrics.botFlows.labels(bot.name, 'restarted').inc();
    await this.driver.start(bot, target, conversationId, `restart:${Date.now()}`);
  }

  /** A resumed flow that was to be continued (a Wait): continued now, unless humans took the chat again. */
  private async continueJob(sessionBot: SessionBot, target: ChatTarget, conversationId: number): Promise<void> {
    if (await this.humansHave(target, conversationId)) return;
    const st = await this.deps.state.get(target.session, target.chatKey);
    if (st?.conversationId !== conversationId) return;
    const bot = this.flowBot(st, sessionBot);
    // A retry of this job after part of the turn was shown finds that turn's outbox instead.
    if (st.outbox) await this.driver.finishOutbox(bot, target, st);
    else if (st.resumeDue) await this.driver.continueDue(bot, target, st);
  }

  /**
   * Whether humans have this conversation; a handoff they got with steps left undone (a failed call) is
   * finished on the way. A mark left from an older conversation is dropped: it no longer says anything.
   */
  private async humansHave(target: ChatTarget, conversationId: number): Promise<boolean> {
    const human = await this.deps.state.human(target.session, target.chatKey);
    if (!human) return false;
    if (human.conversationId !== conversationId) {
      await this.deps.state.clearHuman(target.session, target.chatKey);
      return false;
    }
    await this.handoffs.finish(human);
    return true;
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

  private async storeMedia(
    target: ChatTarget,
    m: RemoteMessage,
    receivedAt: number,
  ): Promise<{ url: string; mimetype: string; filename: string } | undefined> {
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
