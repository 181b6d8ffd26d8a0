import nock from 'nock';
import { FlowGoneError, type AwaitedInput } from '../../../src/bots/ports';
import { TypebotClient } from '../../../src/typebot/client';
import { TypebotFlows } from '../../../src/typebot/typebot-flows';
import { readFixture } from './fixtures';

const BASE = 'https://bot.example.com';
const START = '/api/v1/typebots/support-bot/startChat';
const CONTINUE = '/api/v1/sessions/cm9sess0001abcd/continueChat';

function flows(overrides: Partial<ConstructorParameters<typeof TypebotFlows>[0]> = {}): TypebotFlows {
  return new TypebotFlows({
    client: new TypebotClient({ baseUrl: BASE, timeoutMs: 2000 }),
    publicId: 'support-bot',
    prefilledVariables: { Phone: '{phone}', Name: '{name}', Session: '{session}', Channel: 'whatsapp', Greeting: 'Olá {name}' },
    language: 'pt',
    maxWaitMs: 10_000,
    ...overrides,
  });
}

/** As core keeps it: the awaited input goes through Redis as JSON. */
const viaRedis = (input: AwaitedInput | undefined): AwaitedInput => JSON.parse(JSON.stringify(input)) as AwaitedInput;

const unexpected: string[] = [];
const onNoMatch = (req: { method?: string; path?: string }): void => void unexpected.push(`${req.method} ${req.path}`);

beforeAll(() => {
  nock.disableNetConnect();
  nock.emitter.on('no match', onNoMatch);
});
afterEach(() => {
  nock.cleanAll();
  unexpected.length = 0;
});
afterAll(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  nock.enableNetConnect();
  nock.restore(); // see test/helpers/nock-offline.ts
});

test('start -> a choice answered "2" sends item 2 with its replyId, and shows the next question', async () => {
  const bodies: unknown[] = [];
  const scope = nock(BASE)
    .post(START, (b: unknown) => (bodies.push(b), true))
    .reply(200, readFixture('start-choice.response.json'))
    .post(CONTINUE, (b: unknown) => (bodies.push(b), true))
    .reply(200, readFixture('continue-after-choice.response.json'));
  const bot = flows();

  const start = await bot.start({ session: 'loja', phone: '+351912345678', name: 'Ana' });
  expect(start).toMatchObject({ flowSessionId: 'cm9sess0001abcd', resultId: 'cm9res0001abcd', flowId: 'cm9typebot0001' });
  expect(bodies[0]).toEqual({
    prefilledVariables: { Phone: '+351912345678', Name: 'Ana', Session: 'loja', Channel: 'whatsapp', Greeting: 'Olá Ana' },
    isStreamEnabled: false,
    textBubbleContentFormat: 'richText',
  });
  expect(start.turn.outputs).toEqual([
    { kind: 'text', text: 'Olá *Ana*, bem-vinda!' },
    { kind: 'text', text: 'Sobre o que quer falar?\n\n1. Encomendas\n2. Faturação\n3. Outro assunto\n\nResponda com o número da opção.' },
  ]);
  expect(start.turn.input).toMatchObject({ type: 'choice input', text: false, files: false });

  const outcome = await bot.answer(start.flowSessionId, viaRedis(start.turn.input), { text: '2' });
  expect(bodies[1]).toEqual({
    message: { type: 'text', text: 'Faturação', metadata: { replyId: 'item-billing' } },
    textBubbleContentFormat: 'richText',
  });
  expect(outcome).toEqual({
    accepted: true,
    answer: 'Faturação',
    turn: {
      outputs: [{ kind: 'text', text: 'Qual é o número da fatura?' }],
      input: expect.objectContaining({ type: 'number input', text: true, files: false }),
    },
  });
  scope.done();
});

test('an answer that matches no option is refused without calling Typebot, and the list is shown again', async () => {
  nock(BASE).post(START).reply(200, readFixture('start-choice.response.json'));
  const bot = flows();
  const start = await bot.start({ session: 'loja' });
  const outcome = await bot.answer(start.flowSessionId, viaRedis(start.turn.input), { text: 'talvez amanhã' });
  expect(outcome).toEqual({
    accepted: false,
    hint: 'choiceInvalid',
    outputs: [
      {
        kind: 'text',
        text: 'Não reconheci essa opção. Responda com o número de uma das opções:\n1. Encomendas\n2. Faturação\n3. Outro assunto',
      },
    ],
  });
  expect(unexpected).toEqual([]);
  expect(nock.pendingMocks()).toEqual([]);
});

test('variables whose template needs an unknown value are left out; the first message goes to the flow', async () => {
  let body: unknown;
  nock(BASE)
    .post(START, (b: unknown) => ((body = b), true))
    .reply(200, readFixture('start-choice.response.json'));
  await flows().start({ session: 'loja', phone: '+351912345678', message: 'pizza' });
  expect(body).toEqual({
    prefilledVariables: { Phone: '+351912345678', Session: 'loja', Channel: 'whatsapp' },
    message: { type: 'text', text: 'pizza' },
    isStreamEnabled: false,
    textBubbleContentFormat: 'richText',
  });
});

test('resume continues without a message and renders what follows', async () => {
  let body: unknown;
  nock(BASE)
    .post(CONTINUE, (b: unknown) => ((body = b), true))
    .reply(200, readFixture('continue-end.response.json'));
  const turn = await flows().resume('cm9sess0001abcd');
  expect(body).toEqual({ textBubbleContentFormat: 'richText' });
  expect(turn).toEqual({ outputs: [{ kind: 'text', text: 'Obrigado! Um agente vai responder em breve.' }] });
});

test('an expired session surfaces as FlowGoneError', async () => {
  nock(BASE)
    .post(CONTINUE)
    .reply(404, { defined: false, code: 'NOT_FOUND', status: 404, message: 'Session expired. You need to start a new session.' });
  const input: AwaitedInput = {
    type: 'text input',
    text: true,
    files: false,
    state: { v: 1, kind: 'text', attachments: false, audio: false },
  };
  await expect(flows().answer('cm9sess0001abcd', input, { text: 'oi' })).rejects.toBeInstanceOf(FlowGoneError);
});

test('the answer recorded is the one Typebot normalised (lastMessageNewFormat)', async () => {
  nock(BASE).post(CONTINUE).reply(200, { messages: [], lastMessageNewFormat: '2026-12-25' });
  const input: AwaitedInput = { type: 'date input', text: true, files: false, state: { v: 1, kind: 'plain' } };
  const outcome = await flows().answer('cm9sess0001abcd', input, { text: 'dia 25 de dezembro' });
  expect(outcome).toMatchObject({ accepted: true, answer: '2026-12-25' });
});

test('a wait that pauses the flow is capped by maxWaitMs and asks core to continue', async () => {
  nock(BASE)
    .post(START)
    .reply(200, {
      ...readFixture<Record<string, unknown>>('start-choice.response.json'),
      messages: [{ id: 'm1', type: 'text', content: { type: 'richText', richText: [{ type: 'p', children: [{ text: 'Um momento' }] }] } }],
      input: undefined,
      clientSideActions: [{ type: 'wait', wait: { secondsToWaitFor: 8 }, lastBubbleBlockId: 'm1', expectsDedicatedReply: true }],
    });
  const start = await flows({ maxWaitMs: 3000 }).start({ session: 'loja' });
  expect(start.turn).toEqual({
    outputs: [
      { kind: 'text', text: 'Um momento' },
      { kind: 'wait', ms: 3000 },
    ],
    continueWithoutAnswer: true,
  });
});

test("the flow's error logs are reported by description only", async () => {
  const warn = jest.fn();
  nock(BASE)
    .post(CONTINUE)
    .reply(200, {
      messages: [],
      logs: [
        { status: 'error', description: 'Webhook returned an error', details: '{"cpf":"123.456.789-00"}' },
        { status: 'success', description: 'ok' },
      ],
    });
  await flows({ logger: { warn } }).resume('cm9sess0001abcd');
  expect(warn).toHaveBeenCalledTimes(1);
  expect(JSON.stringify(warn.mock.calls)).toContain('Webhook returned an error');
  expect(JSON.stringify(warn.mock.calls)).not.toContain('123.456');
});
