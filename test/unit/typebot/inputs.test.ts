import type { AwaitedInput, BotOutput, UserAnswer } from '../../../src/bots/ports';
import type { CatalogKey, Language } from '../../../src/core/catalog';
import { FlowFailedError } from '../../../src/bots/ports';
import type { ChatInput, TypebotMessage } from '../../../src/typebot/chat-api-types';
import { mapAnswer } from '../../../src/typebot/inputs/map-answer';
import { renderInput } from '../../../src/typebot/inputs/render-input';
import { cases } from './fixtures';

interface InputCase {
  name: string;
  language: Language;
  input: ChatInput;
  expected: { prompt?: string; before: BotOutput[]; awaited: Partial<AwaitedInput> };
}

interface AnswerCase {
  name: string;
  language: Language;
  input: ChatInput;
  answer: UserAnswer;
  expected: { message?: TypebotMessage; answer?: string; refused?: CatalogKey; outputs?: BotOutput[] };
}

describe('rendering an input', () => {
  test.each(cases<InputCase>('inputs.json'))('%s', (_n, c) => {
    const rendered = renderInput(c.input, c.language);
    expect(rendered.prompt).toBe(c.expected.prompt);
    expect(rendered.before).toEqual(c.expected.before);
    expect(rendered.awaited).toMatchObject(c.expected.awaited);
  });
});

describe("mapping the user's answer", () => {
  test.each(cases<AnswerCase>('answers.json'))('%s', (_n, c) => {
    // The state goes through Redis as JSON between the question and the answer.
    const state: unknown = JSON.parse(JSON.stringify(renderInput(c.input, c.language).awaited.state));
    const mapped = mapAnswer(state, c.answer, c.language);
    if (c.expected.refused) {
      expect(mapped).toEqual({ send: false, hint: c.expected.refused, outputs: c.expected.outputs });
    } else {
      expect(mapped).toEqual({ send: true, message: c.expected.message, answer: c.expected.answer });
    }
  });

  test('a payment cannot be made over chat: the flow fails (and goes to an agent)', () => {
    const state = renderInput({ id: 'pay', type: 'payment input', options: { amount: '10', currency: 'EUR' } }, 'pt').awaited.state;
    expect(() => mapAnswer(state, { text: 'ok' }, 'pt')).toThrow(FlowFailedError);
  });

  test('a state Ponte cannot read lets the text through for Typebot to judge', () => {
    expect(mapAnswer({ some: 'old shape' }, { text: 'olá' }, 'pt')).toEqual({
      send: true,
      message: { type: 'text', text: 'olá' },
      answer: 'olá',
    });
    expect(mapAnswer(undefined, { text: 'olá' }, 'pt')).toEqual({ send: true, message: { type: 'text', text: 'olá' }, answer: 'olá' });
  });
});
