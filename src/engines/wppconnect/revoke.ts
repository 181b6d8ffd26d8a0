import type { ChatId } from '../../core/messages';
import type { RevokeOutcome } from '../types';
import type { ChatAddresses } from './chat-addresses';
import type { WppClient } from './library';
import { parseMsgId } from './normalise';
import { pageCanRevoke, pageDelete } from './page-calls';

/**
 * Delete for everyone, and say what really happened. wa-js `deleteMessage(..., revoke = true)` revokes
 * only a message that is ours (or, in a group, when we are admin); for any other it deletes the message on
 * this device alone and says so (`isRevoked: false`, `isDeleted`). It does not look at WhatsApp's time
 * limit at all, so WhatsApp Web's own rule is asked first: past it the message is deleted here only, as
 * WhatsApp Web's menu and whatsapp-web.js do, and the caller learns that the customer still has it.
 */
export async function revokeMessage(
  client: WppClient,
  addresses: ChatAddresses,
  chatId: ChatId,
  messageId: string,
): Promise<RevokeOutcome> {
  const allowed = await pageCanRevoke(client, messageId);
  // The message key names the chat the message lives in, as WhatsApp Web keeps it (a `@lid` chat, say).
  const chat = parseMsgId(messageId)?.remote ?? chatId;
  const answer = await addresses.call(client, chat, (id) => pageDelete(client, id, messageId, allowed !== false));
  if (answer?.isRevoked) return 'everyone';
  if (answer?.isDeleted) return 'me';
  throw new Error(`WhatsApp Web did not delete the message (${String(answer?.sendMsgResult ?? 'no answer')})`);
}
