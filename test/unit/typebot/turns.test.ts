import type { FlowTurn } from '../../../src/bots/ports';
import type { Language } from '../../../src/core/catalog';
import type { ContinueChatResponse } from '../../../src/typebot/chat-api-types';
import { renderTurn } from '../../../src/typebot/render-turn';
import { cases } from './fixtures';

interface TurnCase {
  name: string;
  language: Language;
  response: ContinueChatResponse;
  expected: { outputs: FlowTurn['outputs']; input?: { type: string; text: boolean; files: boolean }; continueWithoutAnswer?: boolean };
}

test.each(cases<TurnCase>('turns.json'))('%s', (_n, c) => {
  const turn = renderTurn(c.response, { language: c.language, maxWaitMs: 10_000 });
  expect(turn.outputs).toEqual(c.expected.outputs);
  if (c.expected.input) expect(turn.input).toMatchObject(c.expected.input);
  else expect(turn.input).toBeUndefined();
  expect(turn.continueWithoutAnswer ?? false).toBe(c.expected.continueWithoutAnswer ?? false);
});

test('the input state survives a round trip through JSON (it is kept in Redis)', () => {
  const [, c] = cases<TurnCase>('turns.json')[0];
  const turn = renderTurn(c.response, { language: 'pt' });
  expect(JSON.parse(JSON.stringify(turn.input))).toEqual(turn.input);
});

test('a prompt never joins a text the flow sent before a pause', () => {
  const turn = renderTurn(
    {
      messages: [{ id: 'm1', type: 'text', content: { type: 'richText', richText: [{ type: 'p', children: [{ text: 'Pick one' }] }] } }],
      clientSideActions: [{ type: 'wait', wait: { secondsToWaitFor: 2 }, lastBubbleBlockId: 'm1' }],
      input: { id: 'c', type: 'choice input', items: [{ id: 'x', content: 'A' }] },
    },
    { language: 'en' },
  );
  expect(turn.outputs).toEqual([
    { kind: 'text', text: 'Pick one' },
    { kind: 'wait', ms: 2000 },
    { kind: 'text', text: '1. A\n\nReply with the number of an option.' },
  ]);
});

test('an empty reply (no messages, no input) is the end of the flow', () => {
  expect(renderTurn({ messages: [] }, { language: 'pt' })).toEqual({ outputs: [] });
});
