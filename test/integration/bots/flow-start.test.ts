import { textInput, type FlowDefinition } from '../../fakes/typebot';
import { ADMIN_TOKEN } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from './bot-harness';
import { SUPPORT_STEPS } from './support-flow';

const PHONE = '+351912000021';
const OTHER = '+351912000022';

/** The session's own bot: a trigger-started support flow. */
const support: FlowDefinition = { variables: ['name'], steps: SUPPORT_STEPS };

/** Another bot, started from outside for someone who never wrote: an invitation with its code. */
const invite: FlowDefinition = {
  variables: ['invite', 'phone'],
  steps: [
    { bubbles: ['Olá! Foi convidado a registar-se (convite {{invite}}).'] },
    { bubbles: ['Qual é o seu nome?'], input: textInput('Name') },
    { bubbles: ['Obrigado, {{Name}}. Até breve!'] },
  ],
};

interface Answer {
  status: number;
  body: any;
}

describe('an admin starts a flow for a number that never wrote (simulator, strict Typebot and Chatwoot fakes, real Redis)', () => {
  let h: BotHarness;
  afterEach(async () => {
    expect(h.typebot.rejections).toEqual([]);
    expect(h.chatwoot.rejections()).toEqual([]);
    await h.stop();
  });

  async function harness(): Promise<void> {
    h = await startBotHarness({ support, invite }, {}, { config: { sessionStore: { defaultCountry: 'PT' } } }, (typebot) => ({
      typebot: {
        bots: {
          helper: { baseUrl: typebot.url, publicId: 'support', debounceMs: 0, expiryMinutes: 240 },
          invite: { baseUrl: typebot.url, publicId: 'invite', debounceMs: 0, expiryMinutes: 240, prefilledVariables: { phone: '{phone}' } },
        },
      },
    }));
  }

  async function start(body: unknown, session = 'main'): Promise<Answer> {
    const res = await fetch(`${h.url()}/admin/sessions/${session}/flows`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: await res.json() };
  }

  test("the person's phone gets the flow's first bubbles, Chatwoot the contact, the conversation (pending) and the bubbles, and the answer continues that flow", async () => {
    await harness();
    const answer = await start({ bot: 'invite', phone: '+351 912 000 021', variables: { invite: 'ABC-123' } });
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({
      starting: true,
      session: 'main',
      bot: 'invite',
      phone: PHONE,
      chatKey: '351912000021@c.us',
      chatId: '351912000021@c.us',
    });
    // Looked up as for an agent's first message.
    expect(h.sim().lookups).toContain('351912000021');

    expect(await h.waitSent(PHONE, 2)).toEqual(['Olá! Foi convidado a registar-se (convite ABC-123).', 'Qual é o seu nome?']);
    const contact = h.chatwoot.contacts().find((c) => c.phone_number === PHONE)!;
    expect(contact).toBeDefined();
    const conv = h.conversation(PHONE);
    expect(conv.id).toBe(answer.body.conversationId);
    await waitFor(() => h.conversation(PHONE).status === 'pending' || undefined, 5000, 25, 'pending while the bot runs');
    const mirrored = () =>
      h.chatwoot
        .messages(conv.id)
        .filter((m) => !m.private && m.message_type !== 'activity')
        .map((m) => [m.message_type, m.content]);
    await waitFor(() => mirrored().length >= 2 || undefined, 5000, 25, 'the bubbles mirrored');
    expect(mirrored()).toEqual([
      ['outgoing', 'Olá! Foi convidado a registar-se (convite ABC-123).'],
      ['outgoing', 'Qual é o seu nome?'],
    ]);
    // The flow got the admin's variable and the configured one.
    const startChat = h.typebot.requests.find((r) => r.path.endsWith('/startChat'))!;
    expect(startChat.path).toContain('/invite/');
    expect(startChat.body).toMatchObject({ prefilledVariables: { invite: 'ABC-123', phone: PHONE } });

    // The person answers: the invitation's flow goes on (not the session's own support flow).
    h.inject({ from: PHONE, type: 'text', text: 'Rita', pushName: 'Rita' });
    expect((await h.waitSent(PHONE, 3))[2]).toBe('Obrigado, Rita. Até breve!');
    await waitFor(() => mirrored().length >= 4 || undefined, 5000, 25, 'the answer and the last bubble in Chatwoot');
    expect(mirrored().slice(2)).toEqual([
      ['incoming', 'Rita'],
      ['outgoing', 'Obrigado, Rita. Até breve!'],
    ]);
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(1);
    await waitFor(() => h.conversation(PHONE).status === 'open' || undefined, 5000, 25, 'open for the agents once the flow ended');
    expect(h.chatwoot.conversations().filter((c) => c.contact_id === contact.id)).toHaveLength(1);
  });

  test("refusals, each with its reason: unknown session or bot, a bad phone, a number without WhatsApp, a flow or humans already in the chat; without a bot named, the session's own; a national number with the default country", async () => {
    await harness();
    const ok = await start({ phone: PHONE, bot: 'invite' });
    expect(ok.status).toBe(202);
    await h.waitSent(PHONE, 2);

    const unknownSession = await start({ phone: PHONE }, 'nope');
    expect(unknownSession.status).toBe(404);
    expect(unknownSession.body.error).toMatchObject({ code: 'unknown_session', message: expect.stringContaining('"nope"') });

    const unknownBot = await start({ phone: OTHER, bot: 'sales' });
    expect(unknownBot.status).toBe(404);
    expect(unknownBot.body.error.code).toBe('unknown_bot');
    expect(unknownBot.body.error.message).toContain('"sales"');
    expect(unknownBot.body.error.message).toContain('helper, invite');

    const badPhone = await start({ phone: '+351 12' });
    expect(badPhone.status).toBe(400);
    expect(badPhone.body.error).toMatchObject({ code: 'invalid_request', message: expect.stringContaining('not a valid phone number') });
    const noPhone = await start({ bot: 'invite' });
    expect(noPhone.status).toBe(400);
    expect(noPhone.body.error.message).toContain('phone');

    h.sim().numbers.set('351912999999', null);
    const noWhatsApp = await start({ phone: '+351912999999' });
    expect(noWhatsApp.status).toBe(422);
    expect(noWhatsApp.body.error).toMatchObject({ code: 'no_whatsapp', message: expect.stringContaining('+351912999999 has no WhatsApp') });

    const running = await start({ phone: PHONE });
    expect(running.status).toBe(409);
    expect(running.body.error).toMatchObject({ code: 'flow_running', message: expect.stringContaining('bot "invite"') });

    // Without a bot named: the session's own; a national number is read in sessionStore.defaultCountry.
    const national = await start({ phone: '912 000 022' });
    expect(national.status).toBe(202);
    expect(national.body).toMatchObject({ bot: 'helper', phone: OTHER });
    expect((await h.waitSent(OTHER, 2))[0]).toBe(SUPPORT_STEPS[0].bubbles![0]);

    // An agent writes: humans have the chat, and a start is refused until it is resolved or resumed.
    await h.chatwoot.agentMessage(h.conversation(OTHER).id, { content: 'Olá, sou a Ana.' });
    await waitFor(() => h.conversation(OTHER).status === 'open' || undefined, 5000, 25, 'the conversation open for the agents');
    await h.waitSent(OTHER, 3);
    const humans = await waitFor(
      async () => {
        const a = await start({ phone: OTHER, bot: 'invite' });
        return a.status === 409 && a.body.error.code === 'humans_have_chat' ? a : undefined;
      },
      5000,
      50,
      'the start refused while agents have the chat',
    );
    expect(humans.body.error.message).toContain('agents have the chat of +351912000022');
    expect(humans.body.error.message).toContain('ponte bots resume main 351912000022@c.us');
    expect(h.typebot.requests.filter((r) => r.path.endsWith('/startChat'))).toHaveLength(2);
  });
});
