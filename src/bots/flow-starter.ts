import type { BotRunner, ChatInterceptor, SessionBot } from './runner';
import type { ChatTarget } from '../core/ports';
import type { EngineSession } from '../engines/types';
import type { NumberBook } from '../from-agents/number-book';
import type { ChatIdentities } from '../from-whatsapp/chat-identity';
import { PermanentError } from '../queue/errors';
import type { Logger } from '../observability/logger';

/** What the starter needs of a session's settings. */
export interface StartableSession {
  inboxId?: number;
  bot?: string;
  reopen: 'reuse' | 'new';
}

export interface FlowStarterDeps {
  session: (id: string) => StartableSession | undefined;
  botNamed: (name: string) => SessionBot | undefined;
  botNames: () => string[];
  /** The session's engine when this daemon runs it. */
  engine: (id: string) => EngineSession | undefined;
  numbers: NumberBook;
  identities: ChatIdentities;
  /** The helpdesk conversation of the chat, created (contact and all) when there is none. */
  conversationOf: (target: ChatTarget) => Promise<number>;
  runner: Pick<BotRunner, 'holder' | 'requestStart'>;
  interceptor?: Pick<ChatInterceptor, 'claims'>;
  logger: Logger;
}

export interface FlowStartRequest {
  session: string;
  /** Absent: the session's own bot. */
  bot?: string;
  /** E.164. */
  phone: string;
  variables?: Record<string, string>;
}

export interface FlowStarted {
  session: string;
  bot: string;
  phone: string;
  chatKey: string;
  chatId: string;
  conversationId: number;
}

export type FlowStartRefusalCode =
  | 'unknown_session'
  | 'unknown_bot'
  | 'no_bot'
  | 'no_inbox'
  | 'not_running_here'
  | 'not_connected'
  | 'no_whatsapp'
  | 'flow_running'
  | 'humans_have_chat'
  | 'registration_waiting';

/** A start refused, with the reason in words an admin can act on. */
export class FlowStartRefused extends Error {
  constructor(
    readonly code: FlowStartRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'FlowStartRefused';
  }
}

/**
 * Starts a bot's flow for a person who has not written: the number is looked up as for an agent's first
 * message (every form of it, remembered), the Chatwoot contact and conversation are created as for an
 * incoming message, and the flow's start is queued in the chat's bot lane, where it runs as a trigger's
 * would. Refused when the session cannot (no bot, no inbox, not connected here), the number has no
 * WhatsApp, or someone already has the chat.
 */
export class FlowStarter {
  constructor(private readonly deps: FlowStarterDeps) {}

  async start(req: FlowStartRequest): Promise<FlowStarted> {
    const { deps } = this;
    const settings = deps.session(req.session);
    if (!settings) throw new FlowStartRefused('unknown_session', `no session "${req.session}" is configured`);
    const bot = this.botOf(req, settings);
    if (!settings.inboxId) {
      throw new FlowStartRefused('no_inbox', `session ${req.session} has no Chatwoot inbox (inboxId): a flow's conversation needs one`);
    }
    const engine = deps.engine(req.session);
    if (!engine) {
      throw new FlowStartRefused(
        'not_running_here',
        `session ${req.session} does not run on this daemon (another daemon of the fleet may run it: ask that one)`,
      );
    }
    if (engine.state() !== 'CONNECTED') {
      throw new FlowStartRefused(
        'not_connected',
        `session ${req.session} is ${engine.state()}: the number can be looked up once it is CONNECTED`,
      );
    }
    let chatId: string;
    try {
      chatId = await deps.numbers.chatFor(req.session, engine, req.phone);
    } catch (err) {
      if (err instanceof PermanentError) throw new FlowStartRefused('no_whatsapp', err.message);
      throw err;
    }
    const identity = await deps.identities.resolve(req.session, chatId, engine);
    const target: ChatTarget = {
      session: req.session,
      inboxId: settings.inboxId,
      chatKey: identity.chatKey,
      waChatId: chatId,
      isGroup: false,
      name: identity.phone ?? req.phone,
      phone: identity.phone ?? req.phone,
      ...(identity.lid ? { lid: identity.lid } : {}),
      reopen: settings.reopen,
    };
    if (deps.interceptor && (await deps.interceptor.claims(target))) {
      throw new FlowStartRefused(
        'registration_waiting',
        `a registration of ${req.phone} waits for their corrections in session ${req.session}: its questions would mix with the flow's`,
      );
    }
    const conversationId = await deps.conversationOf(target);
    const holder = await deps.runner.holder(target, conversationId);
    if (holder && 'flow' in holder) {
      throw new FlowStartRefused(
        'flow_running',
        `a flow of bot "${holder.flow}" is already running in the chat of ${req.phone} (conversation ${conversationId}, since ${new Date(holder.since).toISOString()})`,
      );
    }
    if (holder) {
      throw new FlowStartRefused(
        'humans_have_chat',
        `agents have the chat of ${req.phone} (conversation ${conversationId}, handed over: ${holder.humans}); resolve the conversation or give it back with ponte bots resume ${req.session} ${target.chatKey}`,
      );
    }
    await deps.runner.requestStart(target, conversationId, bot.name, req.variables);
    deps.logger.info({ session: req.session, bot: bot.name, conversation: conversationId }, 'flow start queued for a number');
    return { session: req.session, bot: bot.name, phone: target.phone!, chatKey: target.chatKey, chatId, conversationId };
  }

  private botOf(req: FlowStartRequest, settings: StartableSession): SessionBot {
    if (!settings.bot) {
      // The person's answers reach a flow only in a session with a bot.
      throw new FlowStartRefused(
        'no_bot',
        `session ${req.session} has no bot (its bot setting): the person's answers would not reach a flow`,
      );
    }
    const name = req.bot ?? settings.bot;
    const bot = this.deps.botNamed(name);
    if (!bot) {
      const known = this.deps.botNames();
      throw new FlowStartRefused(
        'unknown_bot',
        `no bot "${name}" in typebot.bots${known.length ? ` (configured: ${known.join(', ')})` : ''}`,
      );
    }
    return bot;
  }
}
