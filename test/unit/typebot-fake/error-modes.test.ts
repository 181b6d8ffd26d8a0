import { TypebotFake, textInput } from '../../fakes/typebot';
import type { FlowDefinition } from '../../fakes/typebot';
import { chatClient } from './helpers';

const twoQuestions: FlowDefinition = {
  steps: [
    { bubbles: ['Name?'], input: textInput('Name') },
    { bubbles: ['City?'], input: textInput('City') },
  ],
};

describe('TypebotFake error modes', () => {
  let fake: TypebotFake;
  let api: ReturnType<typeof chatClient>;

  beforeAll(async () => {
    fake = await TypebotFake.start({ flows: { bot: twoQuestions } });
    api = chatClient(fake);
  });
  afterAll(() => fake.stop());
  afterEach(() => fake.reset());

  test('unknown publicId: 404 "Typebot not found"', async () => {
    const r = await api.start('ghost');
    expect(r.status).toBe(404);
    expect(r.data).toEqual({ defined: false, code: 'NOT_FOUND', status: 404, message: 'Typebot not found' });
    expect(fake.rejections).toEqual([expect.objectContaining({ status: 404, kind: 'not_found' })]);
  });

  test('closed bot: startChat 400, live sessions carry on; reopened bot starts again', async () => {
    const live = await api.start('bot');
    fake.closeBot('bot');
    const r = await api.start('bot');
    expect(r.status).toBe(400);
    expect(r.data).toMatchObject({ code: 'BAD_REQUEST', message: 'Typebot is closed' });
    expect((await api.reply(live.data.sessionId, { message: 'Ana' })).status).toBe(200);
    fake.openBot('bot');
    expect((await api.start('bot')).status).toBe(200);
    expect(fake.rejections.map((x) => x.kind)).toEqual(['bot_closed']);
  });

  test('expired session: 404 "Session expired…"; unknown session: 404 "Session not found."', async () => {
    const { data } = await api.start('bot');
    fake.expireSession(data.sessionId);
    expect(fake.sessions[0].expired).toBe(true);
    const expired = await api.reply(data.sessionId, { message: 'Ana' });
    expect(expired.status).toBe(404);
    expect(expired.data).toMatchObject({ code: 'NOT_FOUND', message: 'Session expired. You need to start a new session.' });
    const unknown = await api.reply('c000000000000000000000000', { message: 'Ana' });
    expect(unknown.status).toBe(404);
    expect(unknown.data.message).toBe('Session not found.');
    expect(fake.rejections.map((x) => x.kind)).toEqual(['session_expired', 'session_not_found']);
  });

  test('a completed session is deleted: continueChat then answers 404 "Session not found."', async () => {
    const { data } = await api.start('bot');
    await api.reply(data.sessionId, { message: 'Ana' });
    const last = await api.reply(data.sessionId, { message: 'Lisbon' });
    expect(last.data).toEqual({ messages: [] });
    expect(fake.sessions).toEqual([]);
    const after = await api.reply(data.sessionId, { message: 'hello again' });
    expect(after.status).toBe(404);
    expect(after.data.message).toBe('Session not found.');
    expect(fake.result(data.resultId)).toMatchObject({ isCompleted: true, variables: { Name: 'Ana', City: 'Lisbon' } });
  });

  test('failNext: injected statuses change nothing and are not rejections; a route filter waits for its route', async () => {
    const { data } = await api.start('bot');
    fake.failNext(2, 503);
    const a = await api.reply(data.sessionId, { message: 'Ana' });
    expect(a.status).toBe(503);
    expect(a.data).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
    expect((await api.reply(data.sessionId, { message: 'Ana' })).status).toBe(503);
    expect(fake.sessions[0].stepId).toBe('step-0');
    expect((await api.reply(data.sessionId, { message: 'Ana' })).status).toBe(200);

    fake.failNext(1, 500, 'startChat');
    expect((await api.reply(data.sessionId, { message: 'Porto' })).status).toBe(200);
    expect((await api.start('bot')).status).toBe(500);
    expect(fake.requests.filter((r) => r.fault).map((r) => r.status)).toEqual([503, 503, 500]);
    expect(fake.rejections).toEqual([]);
  });

  test('delayNext slows the next request down', async () => {
    fake.delayNext(300);
    const t0 = Date.now();
    expect((await api.start('bot')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    const t1 = Date.now();
    await api.start('bot');
    expect(Date.now() - t1).toBeLessThan(250);
  });
});
