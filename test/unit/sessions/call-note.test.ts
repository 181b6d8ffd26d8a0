/** The note agents get in Chatwoot for an incoming call: what happened, in one line, always private. */
import { convertCallNoteEvent } from '../../../src/chatwoot/converters';
import type { CallEvent } from '../../../src/core/messages';

const call: CallEvent = { id: 'C1', from: '351912345678@c.us', isVideo: false, isGroup: false, timestamp: 1_700_000_000 };
const note = (c: Partial<CallEvent>, outcome: Parameters<typeof convertCallNoteEvent>[1]) =>
  convertCallNoteEvent({ ...call, ...c }, outcome, { direction: 'incoming' });

test.each([
  [{}, { rejected: true, replied: true }, 'Incoming WhatsApp voice call: rejected automatically; the caller got the automatic reply'],
  [{ isVideo: true }, { rejected: true, replied: false }, 'Incoming WhatsApp video call: rejected automatically'],
  [{ isGroup: true }, { rejected: true, replied: false }, 'Incoming WhatsApp voice call (group call): rejected automatically'],
  [
    {},
    { rejected: true, replied: false, error: 'the reply could not be sent: offline' },
    'Incoming WhatsApp voice call: rejected automatically, but the reply could not be sent: offline',
  ],
  [
    {},
    { rejected: false, replied: false, error: 'the wwebjs engine cannot reject calls' },
    'Incoming WhatsApp voice call: could not be rejected automatically: the wwebjs engine cannot reject calls',
  ],
  [
    {},
    { rejected: false, replied: false },
    'Incoming WhatsApp voice call: calls cannot be answered here; call back from the phone if needed',
  ],
] as const)('%j %j', (c, outcome, text) => {
  expect(note(c, outcome)).toEqual({ content: text, messageType: 'outgoing', private: true, attachments: [], contentAttributes: {} });
});
