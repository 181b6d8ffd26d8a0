import type { FileMessageOptions } from '@wppconnect/wa-js/dist/chat';
import type { OutboundMessage, SendResult } from '../../core/messages';
import type { WppClient } from './library';
import { msgIdOf, parseMsgId } from './normalise';
import { pageSendContacts, pageSendText } from './page-calls';
import { isQuoteRefusal } from './wa-errors';
import { phoneId } from '../../core/whatsapp-ids';

/**
 * OutboundMessage -> WhatsApp Web. Each send answers with the new message's id, since Ponte maps it to
 * the helpdesk message and matches the fromMe echo against it.
 *
 * wa-js's `defaultSendMessageOptions` fill in whatever a send does not say, so every send says:
 * - `markIsRead: false`: the default marks the customer's chat read (blue ticks) before each send; read
 *   marks are the markRead capability's business (`readFromAgents`), never a side effect.
 * - `waitForAck: false`: the default holds the send until WhatsApp's server acks it, with no time limit
 *   (wa-js issue 1187). The send returns once WhatsApp Web has queued the message; its acks arrive as
 *   events, a failure as a FAILED ack.
 * - `detectMentioned: false`: an agent's "@123" or "@all" must not mention anyone in a group.
 * wppconnect methods that do not pass these on are not used: `sendText` forces `waitForAck: true`,
 * `sendImageFromBase64` and `sendPttFromBase64` build their own options, `sendContactVcard` passes none.
 */
const SEND_OPTIONS = { markIsRead: false, waitForAck: false, detectMentioned: false } as const;

export async function sendOutbound(client: WppClient, message: OutboundMessage): Promise<SendResult> {
  const quotedId = message.kind === 'reaction' ? undefined : message.quotedId;
  // Not a WhatsApp message key (a note of Ponte's own, say): WhatsApp Web could never quote it.
  if (quotedId && !parseMsgId(quotedId)) return { ...(await sendOnce(client, unquoted(message))), quoteDropped: true };
  try {
    return await sendOnce(client, message);
  } catch (err) {
    if (!quotedId || !isQuoteRefusal(err, quotedId)) throw err;
    // wa-js checks the quote while it prepares the message (prepareRawMessage), before anything is
    // queued or sent: sending again without it cannot deliver the reply twice.
    return { ...(await sendOnce(client, unquoted(message))), quoteDropped: true };
  }
}

function unquoted(message: OutboundMessage): OutboundMessage {
  if (message.kind === 'reaction') return message;
  const { quotedId: _dropped, ...rest } = message;
  return rest;
}

async function sendOnce(client: WppClient, message: OutboundMessage): Promise<SendResult> {
  const startedAt = Math.floor(Date.now() / 1000);
  const sent = await dispatch(client, message);
  if (message.kind === 'reaction') {
    // A reaction has no message id of its own in wppconnect's answer; this one is unique per target/emoji/time.
    return { remoteId: `reaction_${message.messageId}_${Buffer.from(message.emoji).toString('hex')}_${Date.now()}`, timestamp: startedAt };
  }
  const remoteId = msgIdOf((sent as { id?: unknown } | undefined)?.id);
  // Every call above answers with the id; without one the outcome is unknown, and the caller must treat
  // it as such (look for the message before sending it again).
  if (!remoteId) throw new Error(`WhatsApp Web took the ${message.kind} but returned no message id`);
  return { remoteId, timestamp: startedAt };
}

function dispatch(client: WppClient, message: OutboundMessage): Promise<unknown> {
  const quote = message.kind !== 'reaction' && message.quotedId ? { quotedMsg: message.quotedId } : {};
  switch (message.kind) {
    case 'text':
      return pageSendText(client, message.chatId, message.text, { ...SEND_OPTIONS, ...quote });
    case 'image':
    case 'voice':
    case 'video':
    case 'audio':
    case 'document': {
      const { data, mimetype, filename } = message.media;
      // sendFile hands its options to wa-js as they are. The explicit type keeps a video sent as a
      // document a document (auto-detect would play it inline), and a voice note a voice note.
      // wppconnect declares sendFile and sendLocation as `any`; they resolve with wa-js's answer.
      return client.sendFile(message.chatId, dataUri(data, mimetype), {
        ...(message.kind === 'voice' ? { type: 'audio', isPtt: true } : { type: message.kind }),
        ...(message.kind === 'audio' ? { isPtt: false } : {}),
        filename: filename ?? defaultName(message.kind, mimetype),
        ...(message.caption ? { caption: message.caption } : {}),
        ...quote,
        mimetype: bareMime(mimetype),
        ...SEND_OPTIONS,
      } as FileMessageOptions) as Promise<unknown>;
    }
    case 'sticker':
      // wppconnect converts the image to WebP and passes these options on to wa-js.
      return client.sendImageAsSticker(message.chatId, dataUri(message.media.data, message.media.mimetype), { ...SEND_OPTIONS, ...quote });
    case 'location': {
      const { lat, lng, name, address } = message.location;
      return client.sendLocation(message.chatId, {
        lat,
        lng,
        ...(name ? { name } : {}),
        ...(address ? { address } : {}),
        ...quote,
        ...SEND_OPTIONS,
      }) as Promise<unknown>;
    }
    case 'contact': {
      const cards = parseVcards(message.vcard);
      if (!cards.length) throw new Error('the vCard has no phone number: WhatsApp contact cards are built from a WhatsApp number');
      // WhatsApp Web builds the card from the number and name; other vCard fields do not travel.
      return pageSendContacts(client, message.chatId, cards, { ...SEND_OPTIONS, ...quote });
    }
    case 'reaction':
      // wa-js sends reactions without the send defaults: nothing is marked read.
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
  const ext =
    bareMime(mimetype)
      .split('/')[1]
      ?.replace(/[^a-z0-9]/gi, '') || 'bin';
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
    out.push({ id: phoneId(digits), name: name || `+${digits}` });
  }
  return out;
}

function unescapeVcard(value: string): string {
  return value.replace(/\\([,;\\])/g, '$1').replace(/\\n/gi, ' ');
}
