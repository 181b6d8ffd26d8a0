import type { ChatId } from '../../core/messages';
import type { WppClient } from './library';
import type { LinkedIds } from './linked-ids';
import { isChatNotFound } from './wa-errors';

const MAX_KNOWN = 5000;

/**
 * The id WhatsApp Web keeps a chat under. Typing, read marks and deletes look the chat up by exactly the
 * id they are given (wa-js `assertGetChat`), while Ponte names a person by phone whenever it can: the
 * chat of a contact WhatsApp Web knows by linked id is `<lid>@lid`, and its phone form is "chat not
 * found". Such a call is made again with the other form, which is then remembered.
 */
export class ChatAddresses {
  private readonly known = new Map<ChatId, ChatId>();

  constructor(private readonly linked: LinkedIds) {}

  async call<T>(client: WppClient, chatId: ChatId, fn: (id: ChatId) => Promise<T>): Promise<T> {
    const id = this.known.get(chatId) ?? chatId;
    try {
      return await fn(id);
    } catch (err) {
      if (!isChatNotFound(err)) throw err;
      const other = await this.linked.other(client, id);
      if (!other || other === id) throw err;
      const result = await fn(other);
      this.learn(chatId, other);
      return result;
    }
  }

  private learn(asked: ChatId, actual: ChatId): void {
    this.known.delete(asked);
    this.known.set(asked, actual);
    if (this.known.size > MAX_KNOWN) this.known.delete(this.known.keys().next().value!);
  }
}
