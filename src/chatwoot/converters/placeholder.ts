import type { RemoteMessage } from '../../core/messages';
import type { DraftBody } from './types';

export type PlaceholderKind = 'poll' | 'call' | 'unknown' | 'location' | 'contact';

const OPEN_WA = 'open WhatsApp to see it';

export function placeholderText(kind: PlaceholderKind, rawType?: string): string {
  switch (kind) {
    case 'poll':
      return `[Poll received — ${OPEN_WA}]`;
    case 'call':
      return `[WhatsApp call — ${OPEN_WA}]`;
    case 'location':
      return `[Location received without coordinates — ${OPEN_WA}]`;
    case 'contact':
      return `[Contact card received — ${OPEN_WA}]`;
    case 'unknown':
      return `[Unsupported message type "${rawType?.trim() || 'unknown'}" — ${OPEN_WA}]`;
  }
}

/**
 * Poll, call and unknown kinds: agents must see that something arrived. Only a poll's text (its
 * question) is shown; for other kinds the body may be binary or engine noise.
 */
export function convertPlaceholder(msg: RemoteMessage, kind: 'poll' | 'call' | 'unknown'): DraftBody {
  const note = placeholderText(kind, msg.rawType);
  const question = kind === 'poll' ? (msg.text ?? '').trim() : '';
  return { content: question ? `${note}\n${question}` : note, attachments: [] };
}
