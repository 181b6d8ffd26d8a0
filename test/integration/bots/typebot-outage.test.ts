import type { FlowDefinition } from '../../fakes/typebot';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from './bot-harness';
import { SUPPORT_STEPS } from './support-flow';

const PHONE = '+351912000021';

const support: FlowDefinition = {
  steps: SUPPORT_STEPS,
};

const calls = (h: BotHarness, endpoint: 'startChat' | 'continueChat') => h.typebot.requests.filter((r) => r.path.endsWith(`/${endpoint}`));
const quiet = (ms = 500) => new Promise((r) => setTimeout(r, ms));

describe('a brief Typebot outage does not end the flows it touches (simulator, strict fakes, real Redis)', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.typebot.rejections).toEqual([]);
    expect(h.chatwoot.rejections()).toEqual([]);
    await h.stop();
  });

  async function started(bot: Record<string, unknown> = {}): Promise<void> {
    h = await startBotHarness({ support }, bot);
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
  }

  /** The bot is still running the conversation: pending, no note, nothing said about a problem. */
  function stillWithTheBot(): void {
    const conv = h.conversation(PHONE);
    expect(conv.status).toBe('pending');
    expect(h.chatwoot.messages(conv.id).filter((m) => m.private)).toEqual([]);
    expect(h.sentTexts(PHONE).some((t) => /problema técnico|agentes/.test(t))).toBe(false);
  }

  test('5xx answers are retried: the answer reaches Typebot once and the next question is shown once', async () => {
    await started();
    h.typebot.failNext(2, 503, 'continueChat');
    h.typebot.failNext(1, 502, 'continueChat');
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Qual é o número da encomenda?');
    await quiet();
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    expect(calls(h, 'continueChat').map((r) => r.status)).toEqual([503, 503, 502, 200]);
    expect(h.typebot.answersReceived(h.typebot.sessions[0].sessionId).map((a) => a.content)).toEqual(['Encomendas']);
    stillWithTheBot();
  });

  test("429 with Retry-After: the retry waits at least as long as Typebot's proxy asked", async () => {
    await started();
    h.typebot.failNext(1, 429, 'continueChat', { retryAfter: '1' });
    h.inject({ from: PHONE, type: 'text', text: '2' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Envie a fatura, por favor.');
    const [refused, accepted] = calls(h, 'continueChat');
    expect(refused.status).toBe(429);
    expect(accepted.at - refused.at).toBeGreaterThanOrEqual(1000);
    stillWithTheBot();
  });

  test('a startChat that times out is sent again: the greeting is shown once and the flow goes on', async () => {
    h = await startBotHarness({ support }, { timeoutMs: 400, retryForMs: 10_000 });
    // Typebot holds the first start past Ponte's timeout, and creates that session all the same.
    h.typebot.delayNext(1500);
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    expect(await h.waitSent(PHONE, 2)).toEqual(['Olá! Sou o assistente.', expect.stringContaining('Em que posso ajudar?')]);
    await quiet(1500);
    expect(h.sentTexts(PHONE)).toHaveLength(2);
    expect(calls(h, 'startChat')).toHaveLength(2);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Qual é o número da encomenda?');
    stillWithTheBot();
  });

  test('a slow continueChat is waited for, never sent twice: Typebot takes the answer once and the person sees each bubble once', async () => {
    await started({ timeoutMs: 300, retryForMs: 5000 });
    h.typebot.delayNext(1200);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Qual é o número da encomenda?');
    await quiet(800);
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    expect(calls(h, 'continueChat')).toHaveLength(1);
    expect(h.typebot.answersReceived(h.typebot.sessions[0].sessionId).map((a) => a.content)).toEqual(['Encomendas']);
    stillWithTheBot();
  });

  test('an outage longer than retryForMs hands the conversation to agents, with a note saying how long it was tried', async () => {
    await started({ retryForMs: 1500 });
    h.typebot.down(503);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toMatch(/problema técnico/);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'open');
    const note = h.chatwoot.messages(h.conversation(PHONE).id).find((m) => m.private);
    expect(note?.content).toMatch(/Typebot \(helper\) failed: Typebot continueChat failed with 503.*\(tried \d+ times over [\d.]+ s\)/);
    expect(calls(h, 'continueChat').length).toBeGreaterThan(1);
  });
});
