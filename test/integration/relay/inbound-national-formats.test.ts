import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

/** A contact as an agent saves it in Chatwoot: by hand, with the number as the national plan writes it. */
async function agentSavesContact(h: Harness, name: string, phone: string): Promise<number> {
  const res = await fetch(`${h.chatwoot.baseUrl}/api/v1/accounts/1/contacts`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', api_access_token: h.chatwoot.apiToken },
    body: JSON.stringify({ inbox_id: 1, name, phone_number: phone }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { payload: { contact: { id: number } } }).payload.contact.id;
}

describe('national number formats (PITFALLS.md 7): one person stays one contact', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test.each([
    ['Brazil, an account older than the ninth digit', '+5511987654321', '+551187654321'],
    ['Argentina, WhatsApp writing the mobile 9', '+541123456789', '+5491123456789'],
  ])('%s: the message lands on the contact the agent saved', async (_case, saved, whatsapp) => {
    const contactId = await agentSavesContact(h, 'Cliente antigo', saved);
    const before = h.chatwoot.contacts().length;
    h.inject({ from: whatsapp, type: 'text', text: 'Olá, sou eu', pushName: 'Cliente' });
    const msg = await waitFor(
      () =>
        h.chatwoot
          .messages()
          .find(
            (m) =>
              m.content === 'Olá, sou eu' && h.chatwoot.conversations().find((c) => c.id === m.conversation_id)?.contact_id === contactId,
          ),
      5000,
    );
    expect(msg.message_type).toBe('incoming');
    expect(h.chatwoot.contacts()).toHaveLength(before);
    expect(h.chatwoot.contacts().find((c) => c.id === contactId)?.phone_number).toBe(saved);
    // Replies go to the chat WhatsApp knows (the contact_inbox carries WhatsApp's form).
    expect(h.chatwoot.contactInboxes().some((ci) => ci.contact_id === contactId && ci.source_id === `${whatsapp.slice(1)}@c.us`)).toBe(
      true,
    );
    expect(h.chatwoot.rejections()).toEqual([]);
  });

  test('a number with no twin is not matched to a look-alike', async () => {
    await agentSavesContact(h, 'Outra pessoa', '+351912000111');
    const before = h.chatwoot.contacts().length;
    h.inject({ from: '+351912000112', type: 'text', text: 'Não sou a outra', pushName: 'Nova' });
    await waitFor(() => h.chatwoot.messages().find((m) => m.content === 'Não sou a outra'), 5000);
    expect(h.chatwoot.contacts()).toHaveLength(before + 1);
  });
});
