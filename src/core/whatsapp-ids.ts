/**
 * Every form of WhatsApp id Ponte meets, in one place (the idea of mautrix-whatsapp's pkg/waid): what
 * kind of chat an id names, and the phone number inside a person's id. Ids are `<user>@<server>`:
 * - `<digits>@c.us`: a person by phone number, as WhatsApp Web writes it;
 *   `<digits>[:<device>]@s.whatsapp.net` is the same person in the protocol's form;
 * - `<n>@lid`: a person by linked id, which hides the number (WhatsApp Web may know it);
 * - `<id>@g.us`: a group;
 * - `status@broadcast`: status updates; `<id>@broadcast`: a broadcast list;
 * - `<id>@newsletter`: a channel.
 * Pure functions: engines and both relays use them alike. Code that runs inside WhatsApp Web's page
 * (engines' page functions) cannot import and keeps its own copy of the check it needs.
 */

export type WhatsAppIdKind = 'phone' | 'lid' | 'group' | 'status' | 'broadcast' | 'newsletter' | 'other';

const PHONE_SERVER = 'c.us';
const STATUS_ID = 'status@broadcast';

const SERVER_KINDS: ReadonlyMap<string, WhatsAppIdKind> = new Map([
  ['c.us', 'phone'],
  ['s.whatsapp.net', 'phone'],
  ['lid', 'lid'],
  ['g.us', 'group'],
  ['broadcast', 'broadcast'],
  ['newsletter', 'newsletter'],
]);

/** The server half of an id (`c.us`, `g.us`, ...); undefined without an `@`. */
function serverOf(id: string): string | undefined {
  const at = id.lastIndexOf('@');
  return at < 0 ? undefined : id.slice(at + 1);
}

/** The user half of an id: the digits of a phone id (with its device, if any), a group's own id, ... */
export function userOf(id: string): string {
  const at = id.indexOf('@');
  return at < 0 ? id : id.slice(0, at);
}

export function whatsAppIdKind(id: string): WhatsAppIdKind {
  if (id === STATUS_ID) return 'status';
  const server = serverOf(id);
  return (server !== undefined && SERVER_KINDS.get(server)) || 'other';
}

export const isGroupId = (id: string): boolean => whatsAppIdKind(id) === 'group';
export const isLidId = (id: string): boolean => whatsAppIdKind(id) === 'lid';
/** A person named by phone number (`@c.us` or `@s.whatsapp.net`). */
export const isPhoneId = (id: string): boolean => whatsAppIdKind(id) === 'phone';
/** A person, by phone number or by linked id: a one-to-one chat. */
export const isPersonalId = (id: string): boolean => isPhoneId(id) || isLidId(id);
export const isStatusId = (id: string): boolean => whatsAppIdKind(id) === 'status';
export const isNewsletterId = (id: string): boolean => whatsAppIdKind(id) === 'newsletter';

/** Status updates and channel posts: nobody answers them in a conversation. */
export const isStatusOrChannel = (id: string): boolean => isStatusId(id) || isNewsletterId(id);

/** Status updates, broadcast lists and channels: one-to-many, not a chat of their own. */
export function isBroadcastId(id: string): boolean {
  const kind = whatsAppIdKind(id);
  return kind === 'status' || kind === 'broadcast' || kind === 'newsletter';
}

/** `351912345678@c.us` or `351912345678:12@s.whatsapp.net` -> `351912345678`; undefined for other ids. */
export function phoneDigitsOf(id: string | undefined): string | undefined {
  if (!id || !isPhoneId(id)) return undefined;
  const digits = userOf(id).split(':')[0].replace(/\D/g, '');
  return digits || undefined;
}

/** `351912345678@c.us` -> `+351912345678`; undefined for ids that are not a phone number (linked ids, groups). */
export function phoneOfId(id: string | undefined): string | undefined {
  const digits = phoneDigitsOf(id);
  return digits ? `+${digits}` : undefined;
}

/** `+351 912 345 678` or `351912345678` -> `351912345678@c.us`: a person's id from their number. */
export function phoneId(phone: string): string {
  return `${phone.replace(/\D/g, '')}@${PHONE_SERVER}`;
}

/**
 * A chat key as Ponte writes one (`<digits>@c.us`, `<id>@g.us`, `<digits>@lid`), nothing more: what a
 * helpdesk conversation may carry back as the chat to answer.
 */
export function isChatKey(id: string): boolean {
  return /^(\d+@c\.us|[\w-]+@g\.us|\d+@lid)$/.test(id);
}
