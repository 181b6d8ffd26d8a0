import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

/** A contact and conversation created in Chatwoot's UI by an agent: its contact_inbox is Chatwoot's own, not a WhatsApp id. */
async function agentStartsConversation(h: Harness, phone: string): Promise<number> {
  const api = async (path: string, body: unknown) => {
    const res = await fetch(`${h.chatwoot.baseUrl}/api/v1/accounts/1${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', api_access_token: h.chatwoot.apiToken },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as Record<string, any>;
  };
  const created = await api('/contacts', { inbox_id: 1, name: `Nova ${phone}`, phone_number: phone });
  const contact = created.payload.contact;
  const sourceId = created.payload.contact_inbox?.source_id ?? contact.contact_inboxes?.[0]?.source_id;
  expect(sourceId).not.toMatch(/@c\.us$/);
  const conv = await api('/conversations', { source_id: sourceId, inbox_id: 1, contact_id: contact.id });
  return conv.id as number;
}

describe('an agent writing first to a number (no WhatsApp chat yet)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test("reaches the WhatsApp account under the form WhatsApp knows (a Brazilian account without the ninth digit), looked up once; the answer lands in the agent's conversation", async () => {
    h.sim().numbers.set('5511987654321', null);
    h.sim().numbers.set('551187654321', '551187654321@c.us');
    const conv = await agentStartsConversation(h, '+5511987654321');
    await h.chatwoot.agentMessage(conv, { content: 'Olá, aqui é a loja' });
    const first = await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === 'Olá, aqui é a loja'),
      5000,
    );
    expect(first.message.chatId).toBe('551187654321@c.us');
    expect(h.sim().lookups).toEqual(['5511987654321', '551187654321']);
    await h.chatwoot.agentMessage(conv, { content: 'Ainda aí?' });
    const second = await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === 'Ainda aí?'),
      5000,
    );
    expect(second.message.chatId).toBe('551187654321@c.us');
    // Remembered: no second lookup.
    expect(h.sim().lookups).toHaveLength(2);
    // The person answers: in the conversation the agent started, not in a second one.
    const contactId = h.chatwoot.conversations().find((c) => c.id === conv)!.contact_id;
    const reply = await h.waitMessage(h.inject({ from: '+551187654321', type: 'text', text: 'Sim, diga' }));
    expect(reply.conversation_id).toBe(conv);
    expect(h.chatwoot.conversations().filter((c) => c.contact_id === contactId)).toHaveLength(1);
    // And the agent's next reply goes to the same WhatsApp chat.
    await h.chatwoot.agentMessage(conv, { content: 'Perfeito' });
    expect(
      (
        await waitFor(
          () =>
            h
              .sim()
              .sent()
              .find((s) => s.message.text === 'Perfeito'),
          5000,
        )
      ).message.chatId,
    ).toBe('551187654321@c.us');
  });

  test('a number with no WhatsApp account: nothing is sent, and the agent sees the message failed with the reason', async () => {
    h.sim().numbers.set('351912999999', null);
    const conv = await agentStartsConversation(h, '+351912999999');
    const before = h.sim().sent().length;
    const reply = await h.chatwoot.agentMessage(conv, { content: 'Bom dia' });
    const failed = await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id && m.status === 'failed'), 10000);
    expect(String(failed.content_attributes.external_error)).toContain('+351912999999 has no WhatsApp account');
    expect(h.sim().sent().length).toBe(before);
  });
});

describe('read marks in a conversation an agent started (readFromAgents)', () => {
  test('go to the WhatsApp chat found when the agent first wrote', async () => {
    const h = await startRelayHarness({ session: { readFromAgents: true } });
    try {
      h.sim().numbers.set('5511987650000', null);
      h.sim().numbers.set('551187650000', '551187650000@c.us');
      const conv = await agentStartsConversation(h, '+5511987650000');
      await h.chatwoot.agentMessage(conv, { content: 'Olá' });
      await waitFor(
        () =>
          h
            .sim()
            .sent()
            .find((s) => s.message.text === 'Olá'),
        5000,
      );
      const reply = await h.waitMessage(h.inject({ from: '+551187650000', type: 'text', text: 'Olá!' }));
      expect(reply.conversation_id).toBe(conv);
      h.chatwoot.agentRead(conv);
      await waitFor(() => h.sim().reads().length === 1 || undefined, 5000, 25, 'the chat marked read');
      expect(h.sim().reads()[0].chatId).toBe('551187650000@c.us');
    } finally {
      await h.stop();
    }
  });
});
