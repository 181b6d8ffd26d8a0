import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import nock from 'nock';
import { nockOffline } from '../../helpers/nock-offline';
import type { TypebotMessage } from '../../../src/typebot/chat-api-types';
import { TypebotClient } from '../../../src/typebot/client';
import { readFixture } from './fixtures';
import { contractPath, readContract } from '../../fakes/contracts';

/*
 * The fixtures and the request bodies are checked against Typebot's own OpenAPI (viewer 3.18.0, verbatim),
 * so a renderer test cannot pass on a shape the real server would never send, and the client cannot
 * send one it would refuse.
 */
const OPENAPI = contractPath('typebot-chat-api.openapi.json');
const START = '/v1/typebots/{publicId}/startChat';
const CONTINUE = '/v1/sessions/{sessionId}/continueChat';

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(readContract(OPENAPI)!, 'viewer');
const ptr = (...segments: string[]): string =>
  `viewer#/${segments
    .map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1'))
    .map(encodeURIComponent)
    .join('/')}`;
const request = (op: string) => ajv.compile({ $ref: ptr('paths', op, 'post', 'requestBody', 'content', 'application/json', 'schema') });
const response = (op: string) =>
  ajv.compile({ $ref: ptr('paths', op, 'post', 'responses', '200', 'content', 'application/json', 'schema') });

function problems(validate: ReturnType<typeof ajv.compile>, body: unknown): string[] {
  return validate(body) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('fixtures are responses Typebot can send', () => {
  const startOk = response(START);
  const continueOk = response(CONTINUE);

  test('startChat fixture', () => {
    expect(problems(startOk, readFixture('start-choice.response.json'))).toEqual([]);
  });

  test.each(['continue-after-choice.response.json', 'continue-end.response.json'])('%s', (file) => {
    expect(problems(continueOk, readFixture(file))).toEqual([]);
  });

  test.each(readFixture<Array<{ name: string; response: object }>>('turns.json').map((c) => [c.name, c.response]))(
    'turn: %s',
    (_n, res) => {
      expect(problems(continueOk, res)).toEqual([]);
    },
  );

  test.each(readFixture<Array<{ name: string; message: object }>>('bubbles.json').map((c) => [c.name, c.message]))(
    'bubble: %s',
    (_n, message) => {
      expect(problems(continueOk, { messages: [message] })).toEqual([]);
    },
  );

  test.each(readFixture<Array<{ name: string; action: object }>>('client-actions.json').map((c) => [c.name, c.action]))(
    'action: %s',
    (_n, action) => {
      expect(problems(continueOk, { messages: [], clientSideActions: [action] })).toEqual([]);
    },
  );

  test.each(
    [
      ...readFixture<Array<{ name: string; input: object }>>('inputs.json'),
      ...readFixture<Array<{ name: string; input: object }>>('answers.json'),
    ].map((c) => [c.name, c.input]),
  )('input: %s', (_n, input) => {
    expect(problems(continueOk, { messages: [], input })).toEqual([]);
  });
});

describe('request bodies are ones Typebot accepts', () => {
  const BASE = 'https://bot.example.com';
  const bodies: unknown[] = [];
  nockOffline();
  beforeEach(() => {
    bodies.length = 0;
    nock(BASE)
      .persist()
      .post(/\/api\/v1\/.*/, (b: unknown) => (bodies.push(b), true))
      .reply(200, readFixture('start-choice.response.json'));
  });

  test('startChat with prefilled variables and a first message', async () => {
    await new TypebotClient({ baseUrl: BASE, timeoutMs: 1000 }).startChat('b', {
      prefilledVariables: { Name: 'Ana' },
      message: { type: 'text', text: 'oi' },
    });
    expect(problems(request(START), bodies[0])).toEqual([]);
  });

  const messages: Array<[string, TypebotMessage | undefined]> = [
    ['no message', undefined],
    ['a choice with replyId', { type: 'text', text: 'Faturação', metadata: { replyId: 'item-2' } }],
    ['text with attachments', { type: 'text', text: '', attachedFileUrls: ['https://ponte.example.com/media/a.jpg'] }],
    ['an audio clip', { type: 'audio', url: 'https://ponte.example.com/media/v.ogg' }],
  ];
  test.each(messages)('continueChat with %s', async (_n, message) => {
    await new TypebotClient({ baseUrl: BASE, timeoutMs: 1000 }).continueChat('s', message ? { message } : {});
    expect(problems(request(CONTINUE), bodies[0])).toEqual([]);
  });
});
