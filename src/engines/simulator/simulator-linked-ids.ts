import { randomInt } from 'node:crypto';

/**
 * Numbers the simulated WhatsApp Web knows by a linked id (`<lid>@lid`), as real accounts increasingly
 * do (ENGINES.md "Both", LID migration). Two facts of the libraries follow from it (ENGINES.md
 * "Second look"):
 * - a message sent to `<digits>@c.us` is keyed under the chat the number resolves to, so its echo and
 *   its acks come back under `<lid>@lid` with the id the send returned (wa-js `prepareRawMessage`,
 *   whatsapp-web.js `Utils.js` `findOrCreateLatestChat`);
 * - chat-addressed page calls (typing, read marks, deletes) look the chat up by its exact id and fail
 *   with `chat_not_found` for the phone form (wa-js `assertGetChat`).
 */
export class SimulatorLinkedIds {
  private readonly lidOfPhone = new Map<string, string>();

  /** From now on WhatsApp Web addresses `phoneJid` by a linked id (a new one unless given); returns it. */
  know(phoneJid: string, lid?: string): string {
    const known = lid ?? this.lidOfPhone.get(phoneJid) ?? `${randomInt(10_000_000, 99_999_999)}${randomInt(1_000_000, 9_999_999)}@lid`;
    this.lidOfPhone.set(phoneJid, known);
    return known;
  }

  /** The chat WhatsApp Web keeps a message to or from `chatId` under. */
  chatOf(chatId: string): string {
    return this.lidOfPhone.get(chatId) ?? chatId;
  }

  /** The page's own lookup (wa-js `assertGetChat`): the phone form of a chat known by lid is not a chat. */
  assertChat(chatId: string): void {
    if (this.lidOfPhone.has(chatId))
      throw new Error(`chat_not_found: ${chatId} (WhatsApp Web knows this chat as ${this.lidOfPhone.get(chatId)})`);
  }
}
