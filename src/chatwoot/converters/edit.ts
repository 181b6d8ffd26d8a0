import type { EditEvent } from '../../core/messages';
import type { DraftBody } from './types';

/** Chatwoot cannot edit a message through the API, so an edit is a new message quoting the original. */
export function convertEdit(event: EditEvent): DraftBody {
  const text = event.text.trim() === '' ? '(no text)' : event.text;
  return { content: `Edited: ${text}`, attachments: [] };
}
