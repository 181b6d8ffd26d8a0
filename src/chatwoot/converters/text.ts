import type { RemoteMessage } from '../../core/messages';
import type { DraftBody } from './types';

/** WhatsApp formatting (*bold*, _italic_, ~strike~, ```mono```) is passed through untouched. */
export function convertText(msg: RemoteMessage): DraftBody {
  return { content: msg.text ?? '', attachments: [] };
}
