import type Redis from 'ioredis';
import type { AwaitedInput, BotOutput } from '../core/bot-turn';
import type { ChatTarget } from '../core/ports';
import type { Keys } from './keys';
import { luaScript } from './lua';
import { evalScript } from './scripts';

const HUMAN_TTL_S = 30 * 24 * 3600;

const UPDATE_HUMAN = luaScript('bot-human-update');

/** Bubbles of one turn being shown: kept until all are out, so a crash resumes instead of repeating. */
export interface Outbox {
  /** The user message (or job) whose answer produced these bubbles. */
  cause: string;
  outputs: BotOutput[];
  /** Index of the next output to show. */
  next: number;
  /** WhatsApp id of an output already sent but not yet mirrored to Chatwoot, by index. */
  sent: Record<number, string>;
  input?: AwaitedInput;
  continueWithoutAnswer?: boolean;
  /** The flow's first turn: the conversation goes pending before it is shown. */
  starts?: boolean;
}

export interface BotChatState {
  bot: string;
  flowSessionId: string;
  resultId?: string;
  flowId?: string;
  conversationId: number;
  /** The chat, for an admin restart. */
  target?: ChatTarget;
  startedAt: number;
  lastActivity: number;
  input?: AwaitedInput;
  /** What the user answered, in order: Ponte's own record of the flow (registrations read it). */
  answers: Array<{ type: string; answer: string }>;
  outbox?: Outbox;
  /**
   * The flow asked to be continued without an answer (a Wait) and has not been yet: set until that
   * continue call succeeds, so a failure, a crash or a handoff in between continues it later instead of
   * taking the user's next message for an answer. `cause` is the message whose turn asked for it.
   */
  resumeDue?: { cause: string };
}

/** What a handoff still has to do; each step is struck off once done, so a retry finishes the rest. */
export interface HandoffTodo {
  /** Set the conversation `open`. */
  open?: boolean;
  /** A private note for the agents. */
  note?: string;
  /** A sentence for the user on WhatsApp. */
  say?: string;
  /** Its WhatsApp id once sent, while its Chatwoot mirror is not done yet. */
  said?: string;
}

export interface HumanMark {
  reason: 'agent' | 'keyword' | 'error' | 'flow_end' | 'admin' | 'lost';
  conversationId: number;
  at: number;
  target: ChatTarget;
  todo?: HandoffTodo;
}

export interface BurstEntry {
  id: string;
  at: number;
  text: string;
}

/** Per chat: the running flow, whether humans have it, and the burst of quick messages not yet answered. */
export class BotStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    /** Longest a state may matter (the bot's expiry plus a margin): Redis forgets it after that. */
    private readonly ttlS: number,
  ) {}

  async get(session: string, chatKey: string): Promise<BotChatState | undefined> {
    const raw = await this.redis.get(this.keys.botState(session, chatKey));
    return raw ? (JSON.parse(raw) as BotChatState) : undefined;
  }

  async save(session: string, chatKey: string, state: BotChatState): Promise<void> {
    await this.redis.set(this.keys.botState(session, chatKey), JSON.stringify(state), 'EX', this.ttlS);
  }

  async clear(session: string, chatKey: string): Promise<void> {
    await this.redis.del(this.keys.botState(session, chatKey));
  }

  async human(session: string, chatKey: string): Promise<HumanMark | undefined> {
    const raw = await this.redis.get(this.keys.botHuman(session, chatKey));
    return raw ? (JSON.parse(raw) as HumanMark) : undefined;
  }

  /** Humans keep the chat until the conversation changes, an admin resumes the bot, or 30 days pass. */
  async setHuman(session: string, chatKey: string, mark: HumanMark): Promise<void> {
    await this.redis.set(this.keys.botHuman(session, chatKey), JSON.stringify(mark), 'EX', HUMAN_TTL_S);
  }

  /**
   * Rewrites a mark (a handoff step struck off) only if it is still the one set at `mark.at`: a mark cleared
   * meanwhile (a resume, the conversation resolved) is not brought back.
   */
  async updateHuman(session: string, chatKey: string, mark: HumanMark): Promise<boolean> {
    return (
      (await evalScript(this.redis, UPDATE_HUMAN, 1, this.keys.botHuman(session, chatKey), mark.at, JSON.stringify(mark), HUMAN_TTL_S)) ===
      1
    );
  }

  async clearHuman(session: string, chatKey: string): Promise<boolean> {
    return (await this.redis.del(this.keys.botHuman(session, chatKey))) === 1;
  }

  async addToBurst(session: string, chatKey: string, entry: BurstEntry): Promise<void> {
    const key = this.keys.botBurst(session, chatKey);
    await this.redis.multi().hset(key, entry.id, JSON.stringify(entry)).expire(key, this.ttlS).exec();
  }

  async burst(session: string, chatKey: string): Promise<BurstEntry[]> {
    const all = await this.redis.hgetall(this.keys.botBurst(session, chatKey));
    return Object.values(all)
      .map((v) => JSON.parse(v) as BurstEntry)
      .sort((a, b) => a.at - b.at);
  }

  async dropFromBurst(session: string, chatKey: string, ids: string[]): Promise<void> {
    if (ids.length) await this.redis.hdel(this.keys.botBurst(session, chatKey), ...ids);
  }

  /**
   * Chats with a running flow or in human hands, for the admin API: once each, `human` when humans have
   * it (a flow kept for a resume included).
   */
  async list(session?: string): Promise<Array<{ session: string; chatKey: string; mode: 'bot' | 'human' }>> {
    const chats = new Map<string, { session: string; chatKey: string; mode: 'bot' | 'human' }>();
    for (const [mode, prefix] of [
      ['bot', this.keys.botState('', '')],
      ['human', this.keys.botHuman('', '')],
    ] as const) {
      const base = prefix.slice(0, -2);
      let cursor = '0';
      do {
        const [next, found] = await this.redis.scan(cursor, 'MATCH', `${base}:${session ?? '*'}:*`, 'COUNT', 500);
        cursor = next;
        for (const k of found) {
          const [s, ...rest] = k.slice(base.length + 1).split(':');
          const chatKey = rest.join(':');
          chats.set(`${s}:${chatKey}`, { session: s, chatKey, mode });
        }
      } while (cursor !== '0');
    }
    return [...chats.values()];
  }
}
