import { OPENAPI_PATH, TypebotFake, TypebotOpenApi, choiceInput, rawAction, textInput, video, wait } from '../../fakes/typebot';
import { CONTINUE_CHAT, START_CHAT } from '../../fakes/typebot/openapi-validator';
import { chatClient } from './helpers';

/** The OpenAPI exactly as Typebot publishes it: what the fake sends must pass it without our patches. */
const verbatim = new TypebotOpenApi(OPENAPI_PATH, false);

describe('TypebotFake is strict about the chat API contract', () => {
  let fake: TypebotFake;
  let api: ReturnType<typeof chatClient>;

  beforeAll(async () => {
    fake = await TypebotFake.start({
      flows: {
        ok: { steps: [{ bubbles: ['Hi'], actions: [wait(1)], input: choiceInput('C', ['A', 'B']) }, { input: textInput('T') }] },
      },
    });
    api = chatClient(fake);
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.reset());

  test('a body the OpenAPI refuses gets 400 with the oRPC error JSON, and is recorded as a rejection', async () => {
    const r = await api.start('ok', { message: { type: 'text' }, textBubbleContentFormat: 'html' });
    expect(r.status).toBe(400);
    expect(r.data).toMatchObject({ defined: false, code: 'BAD_REQUEST', status: 400, message: 'Input validation failed' });
    expect(r.data.data.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: ['textBubbleContentFormat'] })]));
    expect(fake.rejections).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/api/v1/typebots/ok/startChat',
        status: 400,
        kind: 'schema',
        body: { message: { type: 'text' }, textBubbleContentFormat: 'html' },
      }),
    ]);
    expect(fake.sessions).toEqual([]);
  });

  test('continueChat refuses a message of the wrong shape, and a body that is not JSON', async () => {
    const { data } = await api.start('ok');
    expect((await api.reply(data.sessionId, { message: { type: 'text', text: 'A', metadata: { replyId: 7 } } })).status).toBe(400);
    const notJson = await api.http.post(`/v1/sessions/${data.sessionId}/continueChat`, 'A', { headers: { 'Content-Type': 'text/plain' } });
    expect(notJson.status).toBe(400);
    expect(fake.rejections.map((x) => x.kind)).toEqual(['schema', 'malformed']);
    expect(fake.sessions[0]).toMatchObject({ awaiting: 'input', stepId: 'step-0' });
  });

  test('SPEC_PATCHES: a bare string message is accepted (the OpenAPI export lost the preprocess)', async () => {
    expect(verbatim.validateRequest(START_CHAT, { message: 'A' })).not.toEqual([]);
    expect(TypebotOpenApi.shared().validateRequest(CONTINUE_CHAT, { message: 'A' })).toEqual([]);
    const { data } = await api.start('ok');
    const r = await api.reply(data.sessionId, { message: 'A' });
    expect(r.status).toBe(200);
    expect(r.data.input.type).toBe('text input');
    expect(fake.rejections).toEqual([]);
  });

  test('every response the fake sends passes the verbatim OpenAPI too', async () => {
    const start = await api.start('ok', { prefilledVariables: { C: 'A' } });
    expect(verbatim.validateResponse(START_CHAT, 200, start.data)).toEqual([]);
    const retry = await api.reply(start.data.sessionId, { message: '1' });
    expect(verbatim.validateResponse(CONTINUE_CHAT, 200, retry.data)).toEqual([]);
    const end = await api.reply(start.data.sessionId, { message: 'B' });
    expect(verbatim.validateResponse(CONTINUE_CHAT, 200, end.data)).toEqual([]);
    const gone = await api.reply('nope', {});
    expect(verbatim.validateResponse(CONTINUE_CHAT, 404, gone.data)).toEqual([]);
  });

  test('a flow whose bubble breaks the OpenAPI makes the fake answer 500 "fake bug" and change nothing', async () => {
    fake.addFlow('lying-video', {
      steps: [{ bubbles: [video('https://v.example.com/1', { type: 'dailymotion' as never })], input: textInput('X') }],
    });
    const r = await api.start('lying-video');
    expect(r.status).toBe(500);
    expect(r.data.message).toMatch(
      /^Typebot fake bug: response 200 of POST \/v1\/typebots\/\{publicId\}\/startChat violates the OpenAPI: \/messages\/0\/content\/type must be equal to one of the allowed values$/,
    );
    expect(fake.rejections).toEqual([expect.objectContaining({ status: 500, kind: 'fake_bug' })]);
    expect(fake.sessions).toEqual([]);
  });

  test('SPEC_TIGHTENINGS: richText must be Slate nodes, which the verbatim OpenAPI (z.any()) would let through', async () => {
    const lie = { id: 'b1', type: 'text', content: { type: 'richText', richText: 'Hello' } };
    expect(
      verbatim.validateResponse(START_CHAT, 200, {
        sessionId: 's',
        typebot: { id: 't', version: '6', theme: {}, settings: {} },
        messages: [lie],
      }),
    ).toEqual([]);
    fake.addFlow('lying-text', { steps: [{ bubbles: [{ type: 'text', richText: 'Hello' as never }] }] });
    const r = await api.start('lying-text');
    expect(r.status).toBe(500);
    expect(r.data.message).toContain('/messages/0/content/richText must be array');
  });

  test('a client-side action missing its payload is caught as well', async () => {
    fake.addFlow('lying-action', { steps: [{ actions: [rawAction({ type: 'wait', expectsDedicatedReply: true })] }] });
    const r = await api.start('lying-action');
    expect(r.status).toBe(500);
    expect(r.data.message).toContain("/clientSideActions/0 must have required property 'wait'");
  });

  test('addFlow refuses a flow pointing to a step that does not exist', () => {
    expect(() => fake.addFlow('broken', { steps: [{ id: 'a', next: 'nowhere' }] })).toThrow("step 'a' points to unknown step 'nowhere'");
  });
});
