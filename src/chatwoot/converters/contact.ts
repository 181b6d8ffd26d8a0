import type { RemoteMessage } from '../../core/messages';
import { sanitizeFilename } from './filename';
import { placeholderText } from './placeholder';
import type { ChatwootAttachmentDraft, DraftBody } from './types';
import { parseVCards, type VCard, type VCardPhone } from './vcard';

/** Chatwoot accepts at most 15 attachments per message. */
const MAX_ATTACHMENTS = 15;

function phoneLine(phone: VCardPhone): string {
  const tags = phone.label ? [phone.label] : phone.types.map((t) => (t === 'cell' ? 'mobile' : t));
  if (phone.waid) tags.push('WhatsApp');
  return tags.length ? `${phone.number} (${tags.join(', ')})` : phone.number;
}

function cardSummary(card: VCard): string {
  const lines = [`Contact: ${card.name || 'Unnamed contact'}`];
  if (card.phones.length === 0) lines.push('(no phone number)');
  for (const phone of card.phones) lines.push(phoneLine(phone));
  return lines.join('\n');
}

function uniqueName(base: string, used: Set<string>): string {
  let name = `${base}.vcf`;
  for (let i = 2; used.has(name.toLowerCase()); i++) name = `${base} (${i}).vcf`;
  used.add(name.toLowerCase());
  return name;
}

function vcfAttachments(raws: string[], parsed: VCard[][]): ChatwootAttachmentDraft[] {
  const toFile = (raw: string, filename: string): ChatwootAttachmentDraft => ({
    filename,
    mimetype: 'text/vcard',
    data: Buffer.from(raw.endsWith('\n') ? raw : `${raw}${raw.includes('\r\n') ? '\r\n' : '\n'}`, 'utf8'),
  });
  if (raws.length > MAX_ATTACHMENTS) {
    return [toFile(raws.map((r) => r.trimEnd()).join('\r\n'), 'contacts.vcf')];
  }
  const used = new Set<string>();
  return raws.map((raw, i) => {
    const first = parsed[i][0];
    const base = sanitizeFilename(first?.name || first?.phones[0]?.number || '') || 'contact';
    return toFile(raw, uniqueName(base, used));
  });
}

/** Each card's name and numbers as text, plus the cards themselves as .vcf files for one-click save. */
export function convertContact(msg: RemoteMessage): DraftBody {
  const raws = (msg.vcards ?? []).filter((v) => v.trim() !== '');
  if (raws.length === 0) return { content: placeholderText('contact'), attachments: [] };
  const parsed = raws.map(parseVCards);
  const cards = parsed.flat();
  const content = cards.length ? cards.map(cardSummary).join('\n\n') : placeholderText('contact');
  return { content, attachments: vcfAttachments(raws, parsed) };
}
