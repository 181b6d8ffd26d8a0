import { maskPhone } from './mask-phone';
import type { ChatwootMessageDraft, ConvertContext, DraftBody } from './types';

/** Shown when a converter would otherwise produce nothing: Chatwoot rejects an empty message. */
export const EMPTY_FALLBACK = '[Empty message received]';

/** Chatwoot renders content as markdown; a sender called "*Ana*" must not turn the prefix italic. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_~[\]#<>|]/g, (c) => `\\${c}`);
}

export function groupPrefix(sender: ConvertContext['groupSender']): string {
  if (!sender) return '';
  const name = (sender.name ?? '').replace(/\s+/g, ' ').trim();
  const masked = sender.phone ? maskPhone(sender.phone) : '';
  if (name && masked) return `**${escapeMarkdown(name)}** (${masked}):`;
  if (name) return `**${escapeMarkdown(name)}**:`;
  if (masked) return `${masked}:`;
  return '';
}

export interface EnvelopeOptions {
  /** Notes Ponte writes for agents (not relayed content) are always private and outgoing. */
  systemNote?: boolean;
}

/** Adds what is the same for every kind: direction, privacy, the group prefix and the quote. */
export function wrapDraft(body: DraftBody, ctx: ConvertContext, opts: EnvelopeOptions = {}): ChatwootMessageDraft {
  let content = body.content;
  if (content.trim() === '' && body.attachments.length === 0) content = EMPTY_FALLBACK;
  const prefix = groupPrefix(ctx.groupSender);
  if (prefix) content = content === '' ? prefix : `${prefix}\n${content}`;

  const contentAttributes: Record<string, unknown> = {};
  if (ctx.quotedSourceId) contentAttributes.in_reply_to_external_id = ctx.quotedSourceId;
  if (ctx.quotedChatwootId !== undefined) contentAttributes.in_reply_to = ctx.quotedChatwootId;

  return {
    content,
    messageType: opts.systemNote ? 'outgoing' : ctx.direction,
    private: opts.systemNote ? true : ctx.asPrivateNote === true,
    attachments: body.attachments,
    contentAttributes,
  };
}
