/**
 * Shapes produced by the WhatsApp -> Chatwoot converters. A draft is everything needed for
 * `POST …/conversations/{cid}/messages` except the ids the caller owns (source_id, conversation).
 */

export interface ChatwootAttachmentDraft {
  filename: string;
  mimetype: string;
  data: Buffer;
}

export interface ChatwootMessageDraft {
  /** May be '' only when attachments are present. */
  content: string;
  messageType: 'incoming' | 'outgoing';
  private: boolean;
  attachments: ChatwootAttachmentDraft[];
  /** e.g. in_reply_to_external_id / in_reply_to */
  contentAttributes: Record<string, unknown>;
}

/** Defined in core (the relay decides it); re-exported for the converters' callers. */
export type { MediaOutcome } from '../../core/messages';
import type { MediaOutcome } from '../../core/messages';

export interface ConvertContext {
  /** outgoing = typed on the paired phone itself */
  direction: 'incoming' | 'outgoing';
  /** ownMessages: private */
  asPrivateNote?: boolean;
  /** For media kinds, already downloaded by the caller. Missing is treated as 'gone'. */
  media?: MediaOutcome;
  /** For group chats: prefix each message with the author. */
  groupSender?: { name?: string; phone?: string };
  /** 'WAID:<id>' of the quoted message, when there is one. */
  quotedSourceId?: string;
  /**
   * Chatwoot id of the quoted message. Needed when the quoted message was created in Chatwoot (an
   * agent reply): Chatwoot cannot set source_id after creation, so in_reply_to_external_id would not
   * resolve for it. Chatwoot prefers in_reply_to when both are given.
   */
  quotedChatwootId?: number;
}

/** What a per-kind converter returns; the envelope (type, private, prefix, quote) is added once. */
export interface DraftBody {
  content: string;
  attachments: ChatwootAttachmentDraft[];
}
