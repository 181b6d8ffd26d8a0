import WAWebJS from 'whatsapp-web.js';
import type { ChatId, ContactInfo, RemoteMessage } from '../../core/messages';
import type { Logger } from '../../observability/logger';
import { serialized, toRemoteMessage, type NormaliseContext } from './normalise';
import { isGroupId, isLidId, phoneOfId } from '../../core/whatsapp-ids';
import { ponteActiveChats, ponteMessagesSince } from './page-functions';
import { pageOf } from './util';

/** Catch-up and contact look-ups: read-only questions to WhatsApp Web. */

/**
 * How many batches of older history (a screenful each) one chat may load in one sweep. Catch-up is the
 * second net behind the live events, not an export: a chat with more than that inside the window is
 * served from what was loaded.
 */
const MAX_HISTORY_LOADS = 4;

/** One page call per chat, bounded by time: no count of messages that would load old history. */
export async function recentMessages(
  client: WAWebJS.Client,
  chatId: ChatId,
  sinceTs: number,
  limit: number,
  ctx: NormaliseContext,
): Promise<RemoteMessage[]> {
  const { messages } = await pageOf(client).evaluate(ponteMessagesSince, chatId, sinceTs, MAX_HISTORY_LOADS);
  const Message = (WAWebJS as unknown as { Message: new (c: WAWebJS.Client, d: unknown) => WAWebJS.Message }).Message;
  return messages
    .map((raw) => toRemoteMessage(new Message(client, raw), ctx))
    .filter((m): m is RemoteMessage => m !== undefined && m.timestamp >= sinceTs)
    .sort((a, b) => a.timestamp - b.timestamp)
    .slice(0, limit);
}

/** One page call, no server round trip (getChats() would refresh every group's metadata). */
export async function activeChats(client: WAWebJS.Client, sinceTs: number): Promise<ChatId[]> {
  return pageOf(client).evaluate(ponteActiveChats, sinceTs);
}

/**
 * What Ponte can learn about a WhatsApp id. The id alone gives the phone of `@c.us` ids; WhatsApp Web
 * adds the LID<->phone mapping (only when the account knows it), names and the avatar. Every look-up
 * is best effort: a contact without a name or a hidden avatar is normal, not an error.
 */
export async function resolveContact(client: WAWebJS.Client | undefined, id: string, logger: Logger): Promise<ContactInfo> {
  const info: ContactInfo = { id };
  const phone = phoneOfId(id);
  if (phone) info.phone = phone;
  if (isLidId(id)) info.lid = id;
  if (!client) return info;
  const attempt = async <T>(what: string, fn: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fn();
    } catch (err) {
      logger.debug({ err, chatId: id, what }, 'contact look-up failed');
      return undefined;
    }
  };
  if (!isGroupId(id) && typeof client.getContactLidAndPhone === 'function') {
    const [pair] = (await attempt('lid and phone', () => client.getContactLidAndPhone([id]))) ?? [];
    const pn = phoneOfId(serialized(pair?.pn));
    if (pn) info.phone = pn;
    const lid = serialized(pair?.lid);
    if (lid) info.lid = lid;
  }
  if (isGroupId(id)) {
    const chat = await attempt('group', () => client.getChatById(id));
    if (chat?.name) info.name = chat.name;
  } else {
    const contact = await attempt('contact', () => client.getContactById(id));
    const name = contact?.name || contact?.pushname || (contact as { verifiedName?: string } | undefined)?.verifiedName;
    if (name) info.name = name;
  }
  const avatar = await attempt('avatar', () => client.getProfilePicUrl(id));
  if (avatar) info.avatarUrl = avatar;
  return info;
}
