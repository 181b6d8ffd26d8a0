import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

describe('WhatsApp -> Chatwoot relay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('a text from a new number creates one contact, contact_inbox and conversation, and the message', async () => {
    h.inject({ from: '+351912000001', type: 'text', text: 'Olá *mundo*', pushName: 'Ana' });
    const msgs = await waitFor(() => (h.chatwoot.messages().length === 1 ? h.chatwoot.messages() : undefined), 5000);
    expect(msgs[0]).toMatchObject({ content: 'Olá *mundo*', message_type: 'incoming', private: false });
    expect(msgs[0].source_id).toMatch(/^WAID:/);
    expect(h.chatwoot.contacts()).toHaveLength(1);
    expect(h.chatwoot.contacts()[0]).toMatchObject({ name: 'Ana', phone_number: '+351912000001', identifier: '351912000001@c.us' });
    expect(h.chatwoot.contactInboxes()).toHaveLength(1);
    expect(h.chatwoot.conversations()).toHaveLength(1);
    expect(h.chatwoot.rejections()).toEqual([]);
  });
});
