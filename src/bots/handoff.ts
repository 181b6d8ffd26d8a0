import type { TurnPlayer } from './turn-player';
import type { ChatTarget, HelpdeskConversations } from '../core/ports';
import type { BotStateStore, HandoffTodo, HumanMark } from '../store/bot-state';

export interface HandoffDeps {
  state: BotStateStore;
  conversations: HelpdeskConversations;
  player: Pick<TurnPlayer, 'say'>;
}

/**
 * Puts a chat in human hands. The mark goes first, with everything the handoff still has to do: the bot is
 * quiet in that conversation from that moment. Then the conversation goes `open`, the agents get their
 * note and the user the sentence, each step struck off the mark once done. A step that fails leaves the
 * rest on the mark, and whoever looks at the chat next (the retried job, the next message, the next agent
 * reply) finishes it: nothing is skipped, nothing said twice.
 */
export class Handoffs {
  constructor(private readonly deps: HandoffDeps) {}

  async handOver(target: ChatTarget, reason: HumanMark['reason'], conversationId: number, todo: HandoffTodo): Promise<void> {
    await this.finish(await this.mark(target, reason, conversationId, todo));
  }

  /** Only the mark (the caller does something before the steps): `finish` it next. */
  async mark(target: ChatTarget, reason: HumanMark['reason'], conversationId: number, todo: HandoffTodo): Promise<HumanMark> {
    const mark: HumanMark = { reason, conversationId, at: Date.now(), target, todo };
    await this.deps.state.setHuman(target.session, target.chatKey, mark);
    return mark;
  }

  /** Does what a mark still lists (nothing when it lists nothing). */
  async finish(mark: HumanMark): Promise<void> {
    const todo = mark.todo;
    if (!todo) return;
    const { state, conversations } = this.deps;
    const { session, chatKey } = mark.target;
    const strike = async (step: keyof HandoffTodo | 'said'): Promise<void> => {
      delete todo[step];
      await state.updateHuman(session, chatKey, mark);
    };
    if (todo.open) {
      await conversations.setStatus(mark.conversationId, 'open');
      await strike('open');
    }
    if (todo.note) {
      await conversations.note(mark.conversationId, todo.note);
      await strike('note');
    }
    if (todo.say) {
      await this.deps.player.say(mark.target, todo.say, {
        key: `handoff:${chatKey}:${mark.at}`,
        sentId: todo.said,
        onSent: async (waId) => {
          todo.said = waId;
          await state.updateHuman(session, chatKey, mark);
        },
      });
      delete todo.said;
      await strike('say');
    }
  }
}
