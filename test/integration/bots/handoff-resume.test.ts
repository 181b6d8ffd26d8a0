import { textInput, wait, type FlowDefinition } from '../../fakes/typebot';
import { ADMIN_TOKEN } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from './bot-harness';
import { SUPPORT_STEPS } from './support-flow';

const PHONE = '+351912000011';
const CHAT = `${PHONE.slice(1)}@c.us`;
const HANDOFF = 'Um dos nossos agentes vai continuar a conversa consigo em breve.';

const support: FlowDefinition = {
  variables: ['name'],
  steps: SUPPORT_STEPS,
};

/** A flow whose greeting asks to be continued (a Wait expecting a dedicated reply) before its question. */
const waiting: FlowDefinition = {
  steps: [
    { bubbles: ['Olá! Um momento…'], actions: [wait(0, { expectsDedicatedReply: true })] },
    { bubbles: ['Qual é o seu nome?'], input: textInput('Name') },
    { bubbles: ['Obrigado, {{Name}}.'] },
  ],
};

const resume = (h: BotHarness) =>
  fetch(`${h.url()}/admin/bots/main/${CHAT}/resume`, { method: 'POST', headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
const starts = (h: BotHarness) => h.typebot.requests.filter((r) => r.path.endsWith('/startChat')).length;
const notes = (h: BotHarness) =>
  h.chatwoot
    .messages(h.conversation(PHONE).id)
    .filter((m) => m.private)
    .map((m) => m.content ?? '');
const quiet = (ms = 500) => new Promise((r) => setTimeout(r, ms));

describe('handoff to humans and back to the flow (simulator, strict Typebot and Chatwoot fakes, real Redis)', () => {
  let h: BotHarness;
  /** Rejections a test provokes on purpose (an expired session answers 404). */
  let expected: string[] = [];
  afterEach(async () => {
    expect(h.typebot.rejections.filter((r) => !expected.includes(r.kind))).toEqual([]);
    expected = [];
    expect(h.chatwoot.rejections()).toEqual([]);
    await h.stop();
  });

  async function started(flow: FlowDefinition = support, bot: Record<string, unknown> = {}): Promise<void> {
    h = await startBotHarness({ flow }, bot);
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    await waitFor(() => h.conversation(PHONE).status === 'pending' || undefined, 5000, 25, 'pending while the bot runs');
  }

  test("an agent's reply hands a running flow to humans completely: the conversation goes open, the bot pauses; the resume label continues the flow", async () => {
    await started();
    await h.chatwoot.agentMessage(h.conversation(PHONE).id, { content: 'Olá, sou a Ana.' });
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'the conversation open for the agents');
    await h.waitMessage(h.inject({ from: PHONE, type: 'text', text: '1' }));
    await quiet();
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))).toHaveLength(0);

    await h.chatwoot.agentSetLabels(h.conversation(PHONE).id, ['bot']);
    await waitFor(() => h.conversation(PHONE).status === 'pending' || undefined, 5000, 25, 'pending again');
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Qual é o número da encomenda?');
    expect(starts(h)).toBe(1);
  });

  test('a message typed on the phone itself opens the conversation a bot was running', async () => {
    await started();
    await h.waitMessage(h.inject({ from: PHONE, chatId: CHAT, fromMe: true, type: 'text', text: 'Diga-me, é a Ana.' }));
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'the conversation open for the agents');
    await h.waitMessage(h.inject({ from: PHONE, type: 'text', text: '2' }));
    await quiet();
    expect(h.sentTexts(PHONE)).toHaveLength(2);
  });

  test('after a handoff keyword the flow is kept: `ponte bots resume` continues it where it was', async () => {
    await started();
    h.inject({ from: PHONE, type: 'text', text: 'humano' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe(HANDOFF);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'open');
    expect((await resume(h)).status).toBe(200);
    await waitFor(() => h.conversation(PHONE).status === 'pending' || undefined, 5000, 25, 'pending again');
    h.inject({ from: PHONE, type: 'text', text: '2' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Envie a fatura, por favor.');
    expect(starts(h)).toBe(1);
  });

  test('after Typebot failed (down longer than retryForMs) the flow is kept: once it is back, the resume label continues it', async () => {
    await started(support, { retryForMs: 300 });
    h.typebot.down(503, 'continueChat');
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toMatch(/problema técnico/);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'open');
    expect(notes(h).some((n) => /Typebot \(helper\) failed: .*503.*The flow is kept/.test(n))).toBe(true);

    h.typebot.up();
    await h.chatwoot.agentSetLabels(h.conversation(PHONE).id, ['bot']);
    await waitFor(() => h.conversation(PHONE).status === 'pending' || undefined, 5000, 25, 'pending again');
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Qual é o número da encomenda?');
    expect(starts(h)).toBe(1);
  });

  test('a Wait Typebot failed to continue is continued by the resume, and what follows is shown once', async () => {
    h = await startBotHarness({ waiting }, { retryForMs: 300 });
    h.typebot.down(503, 'continueChat');
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    expect(await h.waitSent(PHONE, 2)).toEqual(['Olá! Um momento…', expect.stringMatching(/problema técnico/)]);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'open');

    h.typebot.up();
    expect((await resume(h)).status).toBe(200);
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Qual é o seu nome?');
    await waitFor(() => h.conversation(PHONE).status === 'pending' || undefined, 5000, 25, 'pending again');
    h.inject({ from: PHONE, type: 'text', text: 'Rita' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Obrigado, Rita.');
    await quiet();
    expect(h.sentTexts(PHONE)).toHaveLength(4);
  });

  test('a flow Typebot lost (404) never leaves the person unanswered: a message not matching the trigger reaches agents, open, with a note', async () => {
    await started(support, { trigger: { keywords: ['ajuda', 'olá'] } });
    h.typebot.expireSession(h.typebot.sessions[0].sessionId);
    expected = ['session_expired'];
    h.inject({ from: PHONE, type: 'text', text: '2' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe(HANDOFF);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'the conversation open for the agents');
    expect(notes(h).some((n) => /flow of Typebot \(helper\) was lost \(Typebot answered: Session expired/.test(n))).toBe(true);
    // Humans have it now: the bot stays quiet, even for a message that would start a flow.
    await h.waitMessage(h.inject({ from: PHONE, type: 'text', text: 'ajuda' }));
    await quiet();
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    expect(starts(h)).toBe(1);
  });

  test('a flow past expiryMinutes is lost too: the next message reaches agents (or starts a flow when it matches the trigger)', async () => {
    await started(support, { trigger: { keywords: ['ajuda', 'olá'] }, expiryMinutes: 0.01 });
    await quiet(800);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe(HANDOFF);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'open');
    expect(notes(h).some((n) => /was lost \(silent for more than/.test(n))).toBe(true);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))).toHaveLength(0);
  });
});
