import { choiceInput, emailInput, fileInput, textInput, wait, type FlowDefinition } from '../../fakes/typebot';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from './bot-harness';

const PHONE = '+351912000001';

const support: FlowDefinition = {
  variables: ['name', 'phone'],
  steps: [
    { bubbles: ['Olá *{{name}}*! Sou o assistente.'] },
    {
      id: 'topic',
      bubbles: ['Em que posso ajudar?'],
      input: choiceInput('Topic', [
        { id: 'orders', content: 'Encomendas' },
        { id: 'invoice', content: 'Faturas', next: 'doc' },
        { id: 'other', content: 'Outro assunto' },
      ]),
      next: 'name',
    },
    { id: 'doc', bubbles: ['Envie a fatura, por favor.'], input: fileInput('Invoice', { allowedFileTypes: ['pdf'] }) },
    { id: 'name', bubbles: ['Qual é o número da encomenda?'], input: textInput('Order') },
    { bubbles: ['Um momento…'], actions: [wait(1, { expectsDedicatedReply: true })] },
    { bubbles: ['Obrigado! Fica registado.'] },
  ],
};

describe('Typebot over WhatsApp (simulator, strict Typebot and Chatwoot fakes, real Redis)', () => {
  let h: BotHarness;
  /** Rejections a test provokes on purpose (an expired session answers 404). */
  let expected: string[] = [];
  afterEach(async () => {
    expect(h.typebot.rejections.filter((r) => !expected.includes(r.kind))).toEqual([]);
    expected = [];
    expect(h.chatwoot.rejections()).toEqual([]);
    await h.stop();
  });

  test('a full flow: greeting, "2" picks the second option, a PDF reaches Typebot as a Ponte URL serving the bytes, wait, end', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Boa tarde', pushName: 'Rita' });
    const first = await h.waitSent(PHONE, 2);
    expect(first[0]).toBe('Olá *Rita*! Sou o assistente.');
    expect(first[1]).toContain('Em que posso ajudar?');
    expect(first[1]).toMatch(/1\. Encomendas\n2\. Faturas\n3\. Outro assunto/);
    expect(h.conversation(PHONE).status).toBe('pending');

    h.inject({ from: PHONE, type: 'text', text: '2' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Envie a fatura, por favor.');
    const result = h.typebot.answersReceived(h.typebot.sessions[0].sessionId);
    expect(result[0]).toMatchObject({ variable: 'Topic', content: 'Faturas' });
    const topicRequest = h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))[0];
    expect(topicRequest.body).toMatchObject({ message: { type: 'text', text: 'Faturas', metadata: { replyId: 'invoice' } } });

    const pdf = Buffer.from('%PDF-1.4 fatura 123 %%EOF');
    h.inject({
      from: PHONE,
      type: 'document',
      media: { mimetype: 'application/pdf', filename: 'fatura.pdf', base64: pdf.toString('base64') },
    });
    await h.waitSent(PHONE, 4);
    const invoice = h.typebot.answersReceived(h.typebot.sessions[0].sessionId).find((a) => a.variable === 'Invoice')!;
    expect(invoice.content).toMatch(new RegExp(`^${h.url()}/media/[^/]+/fatura\\.pdf$`));
    const served = await fetch(invoice.content);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await served.arrayBuffer())).toEqual(pdf);
    // A link with a forged signature serves nothing.
    const forged = await fetch(invoice.content.replace(/\.[^./]+\/fatura/, '.AAAA/fatura'));
    expect(forged.status).toBe(403);

    h.inject({ from: PHONE, type: 'text', text: 'ENC-4471' });
    const all = await h.waitSent(PHONE, 6);
    expect(all.slice(3)).toEqual(['Qual é o número da encomenda?', 'Um momento…', 'Obrigado! Fica registado.']);
    await waitFor(() => h.conversation(PHONE).status === 'open', 5000, 25, 'the conversation open after the flow ended');
    expect(h.typebot.sessions).toEqual([]);

    // Chatwoot holds the whole conversation in order: user messages incoming, bot bubbles outgoing.
    const conv = h.conversation(PHONE);
    const messages = h.chatwoot.messages(conv.id).filter((m) => !m.private);
    const sent = h.sim().sent();
    expect(messages.filter((m) => m.message_type === 'outgoing').map((m) => m.source_id)).toEqual(sent.map((s) => `WAID:${s.id}`));
    expect(messages.filter((m) => m.message_type === 'incoming')).toHaveLength(4);
    // Bot bubbles are never sent again as agent replies.
    await new Promise((r) => setTimeout(r, 500));
    expect(h.sim().sent()).toHaveLength(sent.length);

    // After the flow, the conversation is with the agents: the bot stays quiet.
    await h.waitMessage(h.inject({ from: PHONE, type: 'text', text: 'Mais uma coisa' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sim().sent()).toHaveLength(sent.length);
  });

  test('an unmatched answer to a choice gets a hint and the options again, without reaching Typebot', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.inject({ from: PHONE, type: 'text', text: 'quero falar de bananas' });
    const texts = await h.waitSent(PHONE, 3);
    expect(texts[2]).toMatch(/Não reconheci essa opção/);
    expect(texts[2]).toMatch(/1\. Encomendas/);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))).toHaveLength(0);
    h.inject({ from: PHONE, type: 'text', text: 'faturas' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Envie a fatura, por favor.');
  });

  test('a handoff keyword hands the conversation to an agent: confirmation, conversation open, the bot stays quiet', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.inject({ from: PHONE, type: 'text', text: 'Agente!' });
    const texts = await h.waitSent(PHONE, 3);
    expect(texts[2]).toBe('Um dos nossos agentes vai continuar a conversa consigo em breve.');
    await waitFor(() => h.conversation(PHONE).status === 'open', 5000, 25, 'conversation open');
    h.inject({ from: PHONE, type: 'text', text: '1' });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    expect(await h.metric('ponte_bot_flows_total', { event: 'handoff_keyword' })).toBe(1);
  });

  test('an agent replying pauses the bot; an admin resume gives the chat back where the flow was', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    const conv = h.conversation(PHONE);
    await h.chatwoot.agentMessage(conv.id, { content: 'Olá, sou a Ana. Posso ajudar?' });
    await h.waitSent(PHONE, 3);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    await new Promise((r) => setTimeout(r, 500));
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))).toHaveLength(0);

    const chat = `${PHONE.slice(1)}@c.us`;
    const res = await fetch(`${h.url()}/admin/bots/main/${chat}/resume`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(res.status).toBe(200);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Qual é o número da encomenda?');
  });

  test('an agent adding the resume label (typebot.resumeLabel) hands the chat back to its bot', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    const conv = h.conversation(PHONE);
    await h.chatwoot.agentMessage(conv.id, { content: 'Um momento, por favor.' });
    await h.waitSent(PHONE, 3);
    await h.chatwoot.agentSetLabels(conv.id, ['vip', 'bot']);
    await waitFor(() => h.conversation(PHONE).status === 'pending', 5000, 25, 'the conversation back to pending');
    h.inject({ from: PHONE, type: 'text', text: 'encomendas' });
    expect((await h.waitSent(PHONE, 4))[3]).toBe('Qual é o número da encomenda?');
  });

  test("Typebot's own retry message for an invalid answer is relayed, and the corrected answer goes on", async () => {
    const contact: FlowDefinition = {
      steps: [
        { bubbles: ['O seu email?'], input: emailInput('email', { retryMessageContent: 'Esse email não parece válido.' }) },
        { bubbles: ['Obrigado!'] },
      ],
    };
    h = await startBotHarness({ contact });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 1);
    h.inject({ from: PHONE, type: 'text', text: 'rita arroba exemplo' });
    expect((await h.waitSent(PHONE, 2))[1]).toBe('Esse email não parece válido.');
    h.inject({ from: PHONE, type: 'text', text: 'rita@exemplo.pt' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Obrigado!');
  });

  test('an admin restart starts the flow afresh in a chat in human hands', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.inject({ from: PHONE, type: 'text', text: 'agente' });
    await h.waitSent(PHONE, 3);
    const chat = `${PHONE.slice(1)}@c.us`;
    const res = await fetch(`${h.url()}/admin/bots/main/${chat}/restart`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(res.status).toBe(202);
    const texts = await h.waitSent(PHONE, 5);
    expect(texts[3]).toMatch(/^Olá .*Sou o assistente\.$/);
    await waitFor(() => h.conversation(PHONE).status === 'pending', 5000, 25, 'pending again');
    const unknown = await fetch(`${h.url()}/admin/bots/main/999@c.us/restart`, {
      method: 'POST',
      headers: { Authorization: 'Bearer test-admin-token-0123456789' },
    });
    expect(unknown.status).toBe(404);
  });

  test('after agents resolve the conversation, the next message starts a fresh flow (the same conversation, reopened)', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.inject({ from: PHONE, type: 'text', text: 'humano' });
    await h.waitSent(PHONE, 3);
    const conv = h.conversation(PHONE);
    await h.chatwoot.agentSetStatus(conv.id, 'resolved');
    await new Promise((r) => setTimeout(r, 300));
    h.inject({ from: PHONE, type: 'text', text: 'Bom dia, outra questão' });
    const texts = await h.waitSent(PHONE, 5);
    expect(texts[3]).toMatch(/^Olá .*Sou o assistente\.$/);
    expect(h.conversation(PHONE).id).toBe(conv.id);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(2);
  });

  test('a message typed on the phone itself is a human reply: the bot stops talking in that chat', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    const typed = h.inject({
      from: PHONE,
      chatId: `${PHONE.slice(1)}@c.us`,
      fromMe: true,
      type: 'text',
      text: 'Olá, é a Ana da loja. Diga-me.',
    });
    await h.waitMessage(typed);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    await new Promise((r) => setTimeout(r, 600));
    expect(h.sentTexts(PHONE)).toHaveLength(2);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))).toHaveLength(0);
  });

  test('a step failing after the flow started (Chatwoot refusing the pending status once) neither repeats the greeting nor feeds the trigger message to the flow', async () => {
    h = await startBotHarness({ support });
    h.chatwoot.fault({ method: 'POST', path: '/toggle_status' }, { status: 500, times: 1 });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    const texts = await h.waitSent(PHONE, 2);
    expect(texts[0]).toMatch(/^Olá .*Sou o assistente\.$/);
    await waitFor(() => h.conversation(PHONE).status === 'pending', 5000, 25, 'pending after the retry');
    await new Promise((r) => setTimeout(r, 400));
    expect(h.sentTexts(PHONE)).toHaveLength(2);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(1);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'))).toHaveLength(0);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Qual é o número da encomenda?');
  });

  test('a bubble failing to reach Chatwoot mid-turn is retried alone: the answer reaches Typebot once, no bubble twice', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    const conv = h.conversation(PHONE);
    // Typebot answers slowly, so the user's "1" is in Chatwoot before the fault is set: the next message
    // created there is the bot's answer bubble, after its WhatsApp send.
    h.typebot.delayNext(400);
    await h.waitMessage(h.inject({ from: PHONE, type: 'text', text: '1' }));
    h.chatwoot.fault({ method: 'POST', path: `/conversations/${conv.id}/messages` }, { status: 500, times: 1 });
    await waitFor(
      () =>
        h.chatwoot
          .requests()
          .some((r) => r.method === 'POST' && r.path.endsWith(`/conversations/${conv.id}/messages`) && r.status === 500) || undefined,
      10_000,
      10,
      'the bubble refused once',
    );
    await waitFor(
      () => h.chatwoot.messages(conv.id).some((m) => m.content === 'Qual é o número da encomenda?') || undefined,
      10_000,
      25,
      'the bubble in Chatwoot after the retry',
    );
    await new Promise((r) => setTimeout(r, 600));
    expect(h.sentTexts(PHONE)).toEqual([expect.any(String), expect.any(String), 'Qual é o número da encomenda?']);
    const answers = h.typebot.requests.filter((r) => r.path.endsWith('/continueChat'));
    expect(answers).toHaveLength(1);
    expect(h.chatwoot.messages(conv.id).filter((m) => m.content === 'Qual é o número da encomenda?')).toHaveLength(1);
  });

  test('with trigger {label}, a flow starts only in conversations carrying the label', async () => {
    h = await startBotHarness({ support }, { trigger: { label: 'bot' } });
    await h.waitMessage(h.inject({ from: PHONE, type: 'text', text: 'Olá' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sentTexts(PHONE)).toEqual([]);
    await h.chatwoot.agentSetLabels(h.conversation(PHONE).id, ['bot']);
    h.inject({ from: PHONE, type: 'text', text: 'Olá de novo' });
    expect((await h.waitSent(PHONE, 2))[0]).toMatch(/^Olá .*Sou o assistente\.$/);
  });

  test('a flow silent for longer than expiryMinutes is dropped; the next message starts a fresh one', async () => {
    h = await startBotHarness({ support }, { expiryMinutes: 0.01 });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    await new Promise((r) => setTimeout(r, 800));
    h.inject({ from: PHONE, type: 'text', text: '1' });
    const texts = await h.waitSent(PHONE, 4);
    expect(texts[2]).toMatch(/^Olá .*Sou o assistente\.$/);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(2);
    expect(await h.metric('ponte_bot_flows_total', { event: 'expired' })).toBe(1);
  });

  test('Typebot failing (for longer than retryForMs) hands the conversation to agents with a private note naming the error', async () => {
    h = await startBotHarness({ support }, { retryForMs: 300 });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.typebot.down(500, 'continueChat');
    h.inject({ from: PHONE, type: 'text', text: '1' });
    const texts = await h.waitSent(PHONE, 3);
    expect(texts[2]).toMatch(/problema técnico/);
    await waitFor(() => h.conversation(PHONE).status === 'open', 5000, 25, 'conversation open');
    const note = h.chatwoot.messages(h.conversation(PHONE).id).find((m) => m.private);
    expect(note?.content).toMatch(/Typebot \(helper\) failed: .*500/);
  });

  test('a Typebot session that expired on its side starts afresh when the message matches the trigger', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.typebot.expireSession(h.typebot.sessions[0].sessionId);
    expected = ['session_expired'];
    h.inject({ from: PHONE, type: 'text', text: '1' });
    const texts = await h.waitSent(PHONE, 4);
    expect(texts[2]).toMatch(/^Olá .*Sou o assistente\.$/);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(2);
  });

  test('a restart in the middle of a flow continues where it was', async () => {
    h = await startBotHarness({ support });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    await h.restart();
    await waitFor(() => h.sim().state() === 'CONNECTED', 10_000, 25, 'reconnected');
    h.inject({ from: PHONE, type: 'text', text: '2' });
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .some((s) => s.message.text === 'Envie a fatura, por favor.'),
      10_000,
      25,
      'the flow continued after the restart',
    );
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(1);
  });

  test('quick messages to a text input reach Typebot as one answer', async () => {
    h = await startBotHarness({ support }, { debounceMs: 400 });
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    await h.waitSent(PHONE, 3);
    h.inject({ from: PHONE, type: 'text', text: 'A encomenda é a' });
    h.inject({ from: PHONE, type: 'text', text: 'ENC-99' });
    expect((await h.waitSent(PHONE, 5)).slice(3)).toEqual(['Um momento…', 'Obrigado! Fica registado.']);
    const answers = h.typebot.requests.filter((r) => r.path.endsWith('/continueChat') && (r.body as { message?: unknown }).message);
    expect(answers.map((r) => (r.body as { message: { text: string } }).message.text)).toEqual(['Encomendas', 'A encomenda é a\nENC-99']);
  });

  test('a chat waiting for the rest of a burst does not hold up other chats (one bot worker)', async () => {
    h = await startBotHarness(
      { support },
      { debounceMs: 2000 },
      { config: { queue: { concurrency: 1, baseDelayMs: 20, maxDelayMs: 200 } } },
    );
    const OTHER = '+351912000002';
    h.inject({ from: PHONE, type: 'text', text: 'Olá' });
    await h.waitSent(PHONE, 2);
    h.inject({ from: PHONE, type: 'text', text: '1' });
    await h.waitSent(PHONE, 3);
    h.inject({ from: PHONE, type: 'text', text: 'A encomenda é a' });
    await waitFor(() => h.typebot.requests.filter((r) => r.path.endsWith('/continueChat')).length === 1 || undefined, 5000);
    await new Promise((r) => setTimeout(r, 300));
    // The first chat's bot job is now waiting out its 2 s debounce; the only worker must still serve others.
    h.inject({ from: OTHER, type: 'text', text: 'Olá' });
    await h.waitSent(OTHER, 2);
    expect(h.sentTexts(PHONE)).toHaveLength(3);
    h.inject({ from: PHONE, type: 'text', text: 'ENC-7' });
    expect((await h.waitSent(PHONE, 5)).slice(3)).toEqual(['Um momento…', 'Obrigado! Fica registado.']);
    const answers = h.typebot.requests.filter((r) => r.path.endsWith('/continueChat') && (r.body as { message?: unknown }).message);
    expect(answers.map((r) => (r.body as { message: { text: string } }).message.text)).toEqual(['Encomendas', 'A encomenda é a\nENC-7']);
  });
});
