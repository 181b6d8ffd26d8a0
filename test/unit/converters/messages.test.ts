import {
  convertEditEvent,
  convertMessage,
  convertReactionEvent,
  convertRevokeNoteEvent,
  type ChatwootMessageDraft,
  type ConvertContext,
} from '../../../src/chatwoot/converters';
import { MEDIA_KINDS, type MessageKind } from '../../../src/core/messages';
import { readFixtures, toContext, toJson, type ConverterFixture } from './fixtures';

const FILES = ['text.json', 'media.json', 'location.json', 'contact.json', 'placeholder.json', 'events.json'];

function run(fx: ConverterFixture, ctx: ConvertContext): ChatwootMessageDraft {
  if (fx.message) return convertMessage(fx.message, ctx);
  if (fx.reaction) return convertReactionEvent(fx.reaction, ctx);
  if (fx.edit) return convertEditEvent(fx.edit, ctx);
  if (fx.revoke) return convertRevokeNoteEvent(fx.revoke, ctx);
  throw new Error(`fixture "${fx.name}" has no input`);
}

describe.each(FILES)('converters: %s', (file) => {
  const cases = readFixtures<ConverterFixture>(file);

  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, fx) => {
    const draft = run(fx, toContext(fx.context));
    expect(toJson(draft, fx.expected)).toEqual(fx.expected);
    // Chatwoot rejects a message with neither content nor attachments.
    expect(draft.content !== '' || draft.attachments.length > 0).toBe(true);
  });

  test('is pure: same output twice, no clock, input untouched', () => {
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('converters must not read the clock');
    });
    try {
      for (const fx of cases) {
        const before = JSON.stringify(fx);
        expect(toJson(run(fx, toContext(fx.context)), fx.expected)).toEqual(toJson(run(fx, toContext(fx.context)), fx.expected));
        expect(JSON.stringify(fx)).toBe(before);
      }
    } finally {
      now.mockRestore();
    }
  });
});

test('every message kind is covered by a fixture', () => {
  const fixtures = FILES.flatMap((f) => readFixtures<ConverterFixture>(f));
  const kinds = new Set(fixtures.map((fx) => fx.message?.kind));
  const all: MessageKind[] = ['text', ...MEDIA_KINDS, 'location', 'contact', 'poll', 'call', 'unknown'];
  for (const kind of all) expect(kinds).toContain(kind);
});
