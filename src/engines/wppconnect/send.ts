import type { FileMessageOptions } from '@wppconnect/wa-js/dist/chat';
import type { OutboundMessage, SendResult } from '../../core/messages';
import type { WppClient } from './library';
import { msgIdOf, secondsOf, type RawJson } from './normalise';

/**
 * OutboundMessage -> the wppconnect sender methods. Each returns (or is asked for) the new message's
 * id, since Ponte maps it to the helpdesk message and matches the fromMe echo against it.
 *
 * Options decided here rather than left to wa-js defaults: `detectMentioned: false` (an agent's
 * "@123" or "@all" must not mention anyone in a group) and `markIsRead: true` (answering a chat reads
 * it, as on the phone).
 */
const TEXT_OPTIONS = { detectMentioned: false, markIsRead: true } as const;

export async function sendOutbound(client: WppClient, message: OutboundMessage): Promise<SendResult> {
  const startedAt = Math.floor(Date.now() / 1000);
  const sent = await dispatch(client, message);
  if (message.kind === 'reaction') {
    // A reaction has no message id of its own in wppconnect's answer; this one is unique per target/emoji/time.
    return { remoteId: `reaction_${message.messageId}_${Buffer.from(message.emoji).toString('hex')}_${Date.now()}`, timestamp: startedAt };
  }
  const o = (sent ?? {}) as { id?: unknown; t?: unknown; timestamp?: unknown; erro?: unknown; text?: unknown };
  if (o.erro) throw new Error(`WhatsApp Web refused the ${message.kind}: ${String(o.text ?? 'unknown error')}`);
  const remoteId = msgIdOf(o.id);
  if (remoteId) return { remoteId, timestamp: secondsOf(o.t ?? o.timestamp) };
  // Some answers do not survive puppeteer's serialisation (contact cards). The message went out: find
  // it, because failing here would make the caller retry and send it twice.
  const found = await lastSentSince(client, message.chatId, RAW_TYPES[message.kind], startedAt - 2);
  if (found) return found;
  throw new Error(`WhatsApp Web sent the ${message.kind} but returned no message id`);
}

const RAW_TYPES: Record<Exclude<OutboundMessage['kind'], 'reaction'>, string[]> = {
  text: ['chat'],
  image: ['image'],
  video: ['video'],
  audio: ['audio', 'ptt'],
  voice: ['ptt', 'audio'],
  document: ['document'],
  sticker: ['sticker'],
  location: ['location'],
  contact: ['vcard', 'multi_vcard'],
};

/** Our newest message of that type in the chat, sent since the send began. */
async function lastSentSince(client: WppClient, chatId: string, types: string[], sinceTs: number): Promise<SendResult | undefined> {
  const recent = (await client.getMessages(chatId, { count: 10, direction: 'before' }).catch(() => [])) as unknown as RawJson[];
  for (const raw of [...recent].reverse()) {
    const id = msgIdOf(raw.id);
    const t = secondsOf(raw.t ?? raw.timestamp);
    if (id?.startsWith('true_') && types.includes(String(raw.type)) && t >= sinceTs) return { remoteId: id, timestamp: t };
  }
  return undefined;
}

function dispatch(client: WppClient, message: OutboundMessage): Promise<unknown> {
  switch (message.kind) {
    case 'text': {
      return client.sendText(message.chatId, message.text, { ...TEXT_OPTIONS, ...(message.quotedId ? { quotedMsg: message.quotedId } : {}) });
    }
    case 'image': {
      const { data, mimetype, filename } = message.media;
      return client.sendImageFromBase64(message.chatId, dataUri(data, mimetype), filename ?? 'image', message.caption, message.quotedId);
    }
    case 'voice': {
      const { data, mimetype, filename } = message.media;
      return client.sendPttFromBase64(message.chatId, dataUri(data, mimetype), filename ?? 'voice.ogg', undefined, message.quotedId);
    }
    case 'video':
    case 'audio':
    case 'document': {
      const { data, mimetype, filename } = message.media;
      // The explicit type keeps a video sent as a document a document (auto-detect would play it inline).
      return client.sendFile(message.chatId, dataUri(data, mimetype), {
        type: message.kind,
        ...(message.kind === 'audio' ? { isPtt: false } : {}),
        filename: filename ?? defaultName(message.kind, mimetype),
        ...(message.caption ? { caption: message.caption } : {}),
        ...(message.quotedId ? { quotedMsg: message.quotedId } : {}),
        mimetype: bareMime(mimetype),
        ...TEXT_OPTIONS,
      } as FileMessageOptions);
    }
    case 'sticker': {
      return client.sendImageAsSticker(message.chatId, dataUri(message.media.data, message.media.mimetype), message.quotedId ? { quotedMsg: message.quotedId } : undefined);
    }
    case 'location': {
      const { lat, lng, name, address } = message.location;
      return client.sendLocation(message.chatId, {
        lat,
        lng,
        ...(name ? { name } : {}),
        ...(address ? { address } : {}),
        ...(message.quotedId ? { quotedMsg: message.quotedId } : {}),
      });
    }
    case 'contact': {
      const cards = parseVcards(message.vcard);
      if (!cards.length) throw new Error('the vCard has no phone number: WhatsApp contact cards are built from a WhatsApp number');
      // WhatsApp Web builds the card from the number and name; other vCard fields do not travel.
      return cards.length === 1 ? client.sendContactVcard(message.chatId, cards[0].id, cards[0].name) : client.sendContactVcardList(message.chatId, cards);
    }
    case 'reaction':
      return client.sendReactionToMessage(message.messageId, message.emoji || false);
  }
}

function bareMime(mimetype: string): string {
  return mimetype.split(';')[0].trim() || 'application/octet-stream';
}

/** wppconnect sniffs the type from a data URI; parameters like `; codecs=opus` confuse its parser. */
export function dataUri(data: Buffer, mimetype: string): string {
  return `data:${bareMime(mimetype)};base64,${data.toString('base64')}`;
}

function defaultName(kind: string, mimetype: string): string {
  const ext = bareMime(mimetype).split('/')[1]?.replace(/[^a-z0-9]/gi, '') || 'bin';
  return `${kind}.${ext}`;
}

export interface VcardContact {
  /** `<digits>@c.us` */
  id: string;
  name: string;
}

/** The WhatsApp number and display name of each card in a vCard text (waid= first, else the first TEL). */
export function parseVcards(text: string): VcardContact[] {
  const out: VcardContact[] = [];
  for (const block of text.split(/BEGIN:VCARD/i).slice(1)) {
    const lines = block.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
    const field = (name: string) => lines.filter((l) => new RegExp(`^(item\\d+\\.)?${name}[;:]`, 'i').test(l));
    const tels = field('TEL');
    const waid = tels.map((l) => /waid=(\d+)/i.exec(l)?.[1]).find(Boolean);
    const telDigits = tels.map((l) => l.slice(l.indexOf(':') + 1).replace(/\D/g, '')).find((d) => d.length >= 6);
    const digits = waid ?? telDigits;
    if (!digits) continue;
    const fn = field('FN')[0];
    const name = fn ? unescapeVcard(fn.slice(fn.indexOf(':') + 1)).trim() : '';
    out.push({ id: `${digits}@c.us`, name: name || `+${digits}` });
  }
  return out;
}

function unescapeVcard(value: string): string {
  return value.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ');
}
