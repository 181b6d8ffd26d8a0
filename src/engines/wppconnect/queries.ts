import type { ChatId, ContactInfo, RemoteMessage } from '../../core/messages';
import type { WppClient } from './library';
import type { LinkedIds } from './linked-ids';
import { toRemoteMessage, widOf, type NormaliseContext, type RawJson } from './normalise';
import { isBroadcastId, isGroupId, isLidId, phoneOfId } from '../../core/whatsapp-ids';

/** Read-only questions to WhatsApp Web: catch-up listings and who a contact is. */

/** The newest `limit` messages of a chat at or after `sinceTs`, oldest first. */
export async function recentMessages(
  client: WppClient,
  chatId: ChatId,
  sinceTs: number,
  limit: number,
  ctx: NormaliseContext,
): Promise<RemoteMessage[]> {
  const raws = (await client.getMessages(chatId, { count: limit, direction: 'before' })) as unknown as RawJson[];
  const out: RemoteMessage[] = [];
  for (const raw of Array.isArray(raws) ? raws : []) {
    const m = toRemoteMessage(raw, ctx);
    if (m && m.timestamp >= sinceTs) out.push(m);
  }
  // Array.prototype.sort is stable: messages of the same second keep WhatsApp's order.
  return out.sort((a, b) => a.timestamp - b.timestamp).slice(-limit);
}

/** Chats whose last activity (`t`, unix seconds) is at or after `sinceTs`; broadcasts left out. */
export async function activeChats(client: WppClient, sinceTs: number): Promise<ChatId[]> {
  const chats = (await client.listChats({})) as unknown as RawJson[];
  const out: ChatId[] = [];
  for (const chat of Array.isArray(chats) ? chats : []) {
    const id = widOf(chat.id);
    const t = Number(chat.t);
    if (id && !isBroadcastId(id) && Number.isFinite(t) && t >= sinceTs) out.push(id);
  }
  return out;
}

/**
 * Phone and linked id (LID) of a contact, its name and avatar. WhatsApp now often names people by LID
 * only; getPnLidEntry knows the phone when the account has seen it. Every lookup is best effort: what
 * WhatsApp Web cannot tell is simply left out. When the link is missing, the whole answer is kept for
 * a while (LinkedIds): the core asks again for every message of a chat it cannot name by phone.
 */
export async function resolveContact(client: WppClient | undefined, id: string, linked: LinkedIds): Promise<ContactInfo> {
  const info: ContactInfo = { id };
  const phone = phoneOfId(id);
  if (phone) info.phone = phone;
  if (isLidId(id)) info.lid = id;
  if (!client) return info;
  if (isGroupId(id)) {
    const chat = (await client.getChatById(id).catch(() => undefined)) as unknown as RawJson | undefined;
    const name = str(chat?.name) ?? str((chat?.contact as RawJson | undefined)?.formattedName);
    if (name) info.name = name;
    return info;
  }
  const missed = linked.recentMiss(id);
  if (missed) return { ...(missed.info ?? info) };
  const entry = await linked.entry(client, id);
  const lid = entry?.lid;
  const pn = phoneOfId(entry?.phone);
  if (lid && !info.lid) info.lid = lid;
  if (pn && !info.phone) info.phone = pn;
  const entryContact = entry?.contact ?? {};
  let name = str(entryContact.name) ?? str(entryContact.pushname) ?? str(entryContact.verifiedName);
  if (!name) {
    const contact = (await client.getContact(id).catch(() => undefined)) as unknown as RawJson | undefined;
    name = str(contact?.name) ?? str(contact?.pushname) ?? str(contact?.verifiedName);
  }
  if (name) info.name = name;
  const pic = (await client.getProfilePicFromServer(id).catch(() => undefined)) as unknown as RawJson | undefined;
  const avatar = str(pic?.imgFull) ?? str(pic?.eurl) ?? str(pic?.img);
  if (avatar && /^https:\/\//.test(avatar)) info.avatarUrl = avatar;
  if (linked.recentMiss(id)) linked.remember(id, info);
  return info;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);
