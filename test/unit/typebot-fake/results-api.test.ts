import axios from 'axios';
import { TypebotFake, choiceInput, textInput } from '../../fakes/typebot';
import { chatClient } from './helpers';

describe('TypebotFake builder results API', () => {
  let fake: TypebotFake;
  let api: ReturnType<typeof chatClient>;
  const results = (typebotId: string, resultId: string, token?: string) =>
    axios.get(`${fake.url}/api/v1/typebots/${typebotId}/results/${resultId}`, {
      headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });

  beforeAll(async () => {
    fake = await TypebotFake.start({
      resultsToken: 'secret-token',
      flows: {
        lead: {
          typebotId: 'tb-lead',
          variables: ['Phone'],
          rememberUser: true,
          steps: [{ input: textInput('Name') }, { input: choiceInput('Plan', ['Basic', 'Pro']) }, { bubbles: ['Bye'] }],
        },
      },
    });
    api = chatClient(fake);
  });
  afterAll(() => fake.stop());

  test('needs the Bearer token: missing or wrong -> 401', async () => {
    const { data } = await api.start('lead');
    const missing = await results('tb-lead', data.resultId);
    expect(missing.status).toBe(401);
    expect(missing.data).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect((await results('tb-lead', data.resultId, 'wrong')).status).toBe(401);
    expect(fake.rejections.map((r) => [r.status, r.kind])).toEqual([
      [401, 'auth'],
      [401, 'auth'],
    ]);
  });

  test('a completed result keeps its variables and answers', async () => {
    const { data } = await api.start('lead', { prefilledVariables: { Phone: '+351911111111' } });
    await api.reply(data.sessionId, { message: 'Rui' });
    await api.reply(data.sessionId, { message: 'Pro' });
    expect(fake.sessions.find((s) => s.sessionId === data.sessionId)).toBeUndefined();

    const r = await results('tb-lead', data.resultId, 'secret-token');
    expect(r.status).toBe(200);
    expect(r.data.result).toMatchObject({
      id: data.resultId,
      typebotId: 'tb-lead',
      isCompleted: true,
      hasStarted: true,
      isArchived: false,
      lastChatSessionId: data.sessionId,
      answers: [
        { blockId: 'step-0-input', content: 'Rui' },
        { blockId: 'step-1-input', content: 'Pro' },
      ],
    });
    expect(new Date(r.data.result.createdAt).toISOString()).toBe(r.data.result.createdAt);
    const vars = Object.fromEntries(r.data.result.variables.map((v: { name: string; value: string }) => [v.name, v.value]));
    expect(vars).toEqual({ Phone: '+351911111111', Name: 'Rui', Plan: 'Pro' });
    expect(r.data.result.variables.every((v: { id: string }) => typeof v.id === 'string' && v.id !== '')).toBe(true);
  });

  test('unknown result, or a result of another typebot -> 404', async () => {
    const { data } = await api.start('lead');
    expect((await results('tb-lead', 'cnotaresult', 'secret-token')).status).toBe(404);
    expect((await results('tb-other', data.resultId, 'secret-token')).status).toBe(404);
  });

  test('rememberUser: startChat with a known resultId continues that result', async () => {
    const first = await api.start('lead');
    await api.reply(first.data.sessionId, { message: 'Eva' });
    const again = await api.start('lead', { resultId: first.data.resultId });
    expect(again.data.resultId).toBe(first.data.resultId);
    expect(again.data.sessionId).not.toBe(first.data.sessionId);
    expect(fake.result(first.data.resultId)?.variables.Name).toBe('Eva');
  });
});
