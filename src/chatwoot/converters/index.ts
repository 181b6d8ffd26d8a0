import { isMediaKind } from '../../core/messages';
import type { CallEvent, EditEvent, ReactionEvent, RemoteMessage, RevokeEvent } from '../../core/messages';
import type { CallOutcome } from '../../core/ports';
import { convertCallNote } from './call-note';
import { convertContact } from './contact';
import { convertEdit } from './edit';
import { wrapDraft } from './envelope';
import { convertLocation } from './location';
import { convertMedia } from './media';
import { convertPlaceholder } from './placeholder';
import { convertReaction } from './reaction';
import { convertRevokeNote } from './revoke-note';
import { convertText } from './text';
import type { ChatwootMessageDraft, ConvertContext, DraftBody } from './types';

export type { ChatwootAttachmentDraft, ChatwootMessageDraft, ConvertContext, MediaOutcome } from './types';
export { maskPhone } from './mask-phone';
export { groupPrefix } from './envelope';
export { parseVCards } from './vcard';
export type { VCard, VCardPhone } from './vcard';

function body(msg: RemoteMessage, ctx: ConvertContext): DraftBody {
  const kind = msg.kind;
  if (isMediaKind(kind)) return convertMedia(msg, kind, ctx.media);
  switch (kind) {
    case 'text':
      return convertText(msg);
    case 'location':
      return convertLocation(msg);
    case 'contact':
      return convertContact(msg);
    case 'poll':
    case 'call':
    case 'unknown':
      return convertPlaceholder(msg, kind);
    default: {
      const unreachable: never = kind;
      return convertPlaceholder({ ...msg, rawType: msg.rawType ?? String(unreachable) }, 'unknown');
    }
  }
}

/** One WhatsApp message -> one Chatwoot message draft. Pure: same input, same output. */
export function convertMessage(msg: RemoteMessage, ctx: ConvertContext): ChatwootMessageDraft {
  return wrapDraft(body(msg, ctx), ctx);
}

/** Pass quotedSourceId (and quotedChatwootId when known) for the reacted message. */
export function convertReactionEvent(event: ReactionEvent, ctx: ConvertContext): ChatwootMessageDraft {
  return wrapDraft(convertReaction(event), ctx);
}

/** Pass quotedSourceId (and quotedChatwootId when known) for the edited message. */
export function convertEditEvent(event: EditEvent, ctx: ConvertContext): ChatwootMessageDraft {
  return wrapDraft(convertEdit(event), ctx);
}

/** An incoming call and what Ponte did about it: always a private outgoing note. */
export function convertCallNoteEvent(call: CallEvent, outcome: CallOutcome, ctx: ConvertContext): ChatwootMessageDraft {
  return wrapDraft(convertCallNote(call, outcome), ctx, { systemNote: true });
}

/** Always a private outgoing note, whatever ctx.direction / asPrivateNote say. */
export function convertRevokeNoteEvent(event: RevokeEvent, ctx: ConvertContext): ChatwootMessageDraft {
  return wrapDraft(convertRevokeNote(event), ctx, { systemNote: true });
}
