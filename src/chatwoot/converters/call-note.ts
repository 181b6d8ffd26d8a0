import type { CallOutcome } from '../../core/ports';
import type { CallEvent } from '../../core/messages';
import type { DraftBody } from './types';

/**
 * A WhatsApp call cannot be answered in Chatwoot: agents get a note saying someone called and what
 * Ponte did about it. The caller wraps it as a system note (private, outgoing).
 */
export function convertCallNote(call: CallEvent, outcome: CallOutcome): DraftBody {
  const kind = call.isVideo ? 'video call' : 'voice call';
  const group = call.isGroup ? ' (group call)' : '';
  let what: string;
  if (outcome.rejected && outcome.replied) what = 'rejected automatically; the caller got the automatic reply';
  else if (outcome.rejected) what = outcome.error ? `rejected automatically, but ${outcome.error}` : 'rejected automatically';
  else if (outcome.error) what = `could not be rejected automatically: ${outcome.error}`;
  else what = 'calls cannot be answered here; call back from the phone if needed';
  return { content: `Incoming WhatsApp ${kind}${group}: ${what}`, attachments: [] };
}
