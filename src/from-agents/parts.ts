import type { AgentMessage } from '../core/agent-messages';
import type { MessageKind, OutboundMessage } from '../core/messages';
import { mediaKindFor } from './media-kind';
import { PermanentError } from '../queue/errors';

const MAX_ATTACHMENTS = 15;

/** One WhatsApp message an agent's message becomes; build() fetches its file, if it has one. */
export interface PartPlan {
  kind: MessageKind;
  build(): Promise<OutboundMessage>;
}

export interface PartDeps {
  maxMediaMB: number;
  download(url: string, maxBytes: number): Promise<{ data: Buffer; mimetype?: string }>;
}

/**
 * The parts of an agent's message: its text, or each attachment as the right WhatsApp kind (the text as
 * the first one's caption, or after it for a voice note or audio, which carry none). No file is held
 * here: each is fetched right before its part is sent, so a message with many attachments holds one
 * at a time, and a retry fetches none of those already sent. Only an attachment whose type Chatwoot did
 * not give is fetched here to learn it (and dropped).
 */
export async function planParts(m: AgentMessage, chatId: string, quotedId: string | undefined, deps: PartDeps): Promise<PartPlan[]> {
  if (m.attachments.length > MAX_ATTACHMENTS)
    throw new PermanentError(`${m.attachments.length} attachments; WhatsApp relay takes at most ${MAX_ATTACHMENTS}`);
  const text = (): OutboundMessage => ({ kind: 'text', chatId, text: m.text });
  if (!m.attachments.length) return [{ kind: 'text', build: () => Promise.resolve({ ...text(), ...(quotedId ? { quotedId } : {}) }) }];
  const maxBytes = deps.maxMediaMB * 1024 * 1024;
  for (const [i, a] of m.attachments.entries()) {
    if (a.size && a.size > maxBytes)
      throw new PermanentError(
        `attachment ${a.filename ?? i + 1} is ${(a.size / 1048576).toFixed(1)} MB, above the ${deps.maxMediaMB} MB limit`,
      );
  }
  const types: string[] = [];
  for (const a of m.attachments) types.push(a.mimetype ?? (await deps.download(a.url, maxBytes)).mimetype ?? 'application/octet-stream');
  // Voice notes and audio carry no caption on WhatsApp: the text goes as its own message after it.
  const textAfter = ['voice', 'audio'].includes(mediaKindFor(types[0])) && m.text.trim() !== '';
  const plans: PartPlan[] = m.attachments.map((a, i) => ({
    kind: mediaKindFor(types[i]),
    build: async () => {
      const file = await deps.download(a.url, maxBytes);
      return {
        kind: mediaKindFor(types[i]),
        chatId,
        media: { data: file.data, mimetype: types[i], filename: a.filename },
        ...(i === 0 && !textAfter && m.text.trim() ? { caption: m.text } : {}),
        ...(i === 0 && quotedId ? { quotedId } : {}),
      };
    },
  }));
  if (textAfter) plans.push({ kind: 'text', build: () => Promise.resolve(text()) });
  return plans;
}
