/**
 * Raw WhatsApp Web message models as whatsapp-web.js 1.34.7 receives them from the page
 * (`window.WWebJS.getMessageModel`): ids as MsgKey objects, wids as strings or `{server, user, _serialized}`.
 * Tests build the library's real Message from these.
 */
import WAWebJS from 'whatsapp-web.js';

export type Raw = Record<string, unknown> & { id: RawKey; t: number; type: string };

export interface RawKey {
  fromMe: boolean;
  remote: string;
  id: string;
  participant?: string;
  _serialized: string;
}

let counter = 0;

/** A stanza id like WhatsApp Web's own (3EB0 + hex). */
export function stanzaId(): string {
  counter += 1;
  return `3EB0${Date.now().toString(16).toUpperCase()}${counter.toString(16).toUpperCase().padStart(6, '0')}`;
}

export const jid = (digits: string, server = 'c.us'): string => (digits.includes('@') ? digits : `${digits.replace(/\D/g, '')}@${server}`);

export function wid(serialized: string): { server: string; user: string; _serialized: string } {
  const [user, server] = serialized.split('@');
  return { server, user, _serialized: serialized };
}

export function msgKey(fromMe: boolean, remote: string, id = stanzaId(), participant?: string): RawKey {
  return {
    fromMe,
    remote,
    id,
    ...(participant ? { participant } : {}),
    _serialized: `${fromMe}_${remote}_${id}${participant ? `_${participant}` : ''}`,
  };
}

export interface RawInput {
  fromMe?: boolean;
  /** The chat (1:1 peer or group). */
  chat: string;
  /** Our own id (the other end of a 1:1 chat). */
  me: string;
  /** Group author. */
  author?: string;
  type?: string;
  body?: string;
  t?: number;
  id?: string;
  extra?: Record<string, unknown>;
}

const NOTIFICATION_TYPES = new Set(['e2e_notification', 'notification', 'notification_template', 'gp2', 'protocol', 'group_notification']);

export function rawMessage(input: RawInput): Raw {
  const fromMe = input.fromMe ?? false;
  const isGroup = input.chat.endsWith('@g.us');
  const participant = isGroup ? (input.author ?? (fromMe ? input.me : undefined)) : undefined;
  const id = msgKey(fromMe, input.chat, input.id, participant);
  return {
    id,
    type: input.type ?? 'chat',
    body: input.body ?? '',
    t: input.t ?? Math.floor(Date.now() / 1000),
    from: fromMe ? input.me : input.chat,
    to: fromMe ? input.chat : input.me,
    ...(isGroup ? { author: participant } : {}),
    ack: fromMe ? 0 : 1,
    isNewMsg: true,
    // WhatsApp Web's own flag; Chat.fetchMessages leaves these out.
    ...(NOTIFICATION_TYPES.has(input.type ?? 'chat') ? { isNotification: true } : {}),
    ...(input.extra ?? {}),
  };
}

/** A media message as WhatsApp Web describes it: body is a base64 thumbnail, the text is in caption. */
export function rawMedia(input: RawInput & { mimetype: string; filename?: string; caption?: string; size?: number }): Raw {
  return rawMessage({
    ...input,
    body: '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0a',
    extra: {
      mimetype: input.mimetype,
      ...(input.filename ? { filename: input.filename } : {}),
      ...(input.caption ? { caption: input.caption } : {}),
      size: input.size ?? 1234,
      directPath: `/v/t62.7118-24/${stanzaId()}.enc`,
      mediaKey: 'bWVkaWFrZXk=',
      // Message.downloadMedia (Message.js) only fetches media whose stage is RESOLVED.
      mediaData: { mediaStage: 'RESOLVED' },
      ...(input.extra ?? {}),
    },
  });
}

/** The library's runtime Message class (its typings only declare an interface). */
export function message(client: WAWebJS.Client, raw: Raw): WAWebJS.Message {
  const Message = (WAWebJS as unknown as { Message: new (c: WAWebJS.Client, d: object) => WAWebJS.Message }).Message;
  return new Message(client, raw);
}

export function reaction(client: WAWebJS.Client, data: object): WAWebJS.Reaction {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the library exports no Reaction class: its own file, untyped
  const Reaction = require('whatsapp-web.js/src/structures/Reaction') as new (c: WAWebJS.Client, d: object) => WAWebJS.Reaction;
  return new Reaction(client, data);
}

export function call(client: WAWebJS.Client, data: object): WAWebJS.Call {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the library exports no Call class: its own file, untyped
  const Call = require('whatsapp-web.js/src/structures/Call') as new (c: WAWebJS.Client, d: object) => WAWebJS.Call;
  return new Call(client, data);
}

export function chatRaw(id: string, t: number, name?: string): Record<string, unknown> {
  return { id: wid(id), formattedTitle: name ?? id.split('@')[0], isGroup: id.endsWith('@g.us'), t, unreadCount: 0 };
}
