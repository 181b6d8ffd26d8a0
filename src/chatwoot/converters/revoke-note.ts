import type { RevokeEvent } from '../../core/messages';
import type { DraftBody } from './types';

export const REVOKE_NOTE = 'A message was deleted on WhatsApp';

/**
 * For a deleted message Ponte never mapped (a mapped one is deleted in Chatwoot instead). The caller
 * wraps it as a system note: private and outgoing, so it reopens nothing and is never relayed back.
 */
export function convertRevokeNote(_event: RevokeEvent): DraftBody {
  return { content: REVOKE_NOTE, attachments: [] };
}
