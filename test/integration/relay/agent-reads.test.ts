import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

describe('an agent opening the conversation in Chatwoot marks the WhatsApp chat read (readFromAgents)', () => {
  let h: Harness;
  afterEach(async () => {
    expect(h.chatwoot.rejections()).toEqual([]);
    await h.stop();
  });

  test('once per read, found by the poll', async () => {
    h = await startRelayHarness({ session: { readFromAgents: true } });
    const msg = await h.waitMessage(h.inject({ from: '+351914000001', type: 'text', text: 'Está aí alguém?' }));
    await new Promise((r) => setTimeout(r, 1200));
    expect(h.sim().reads()).toEqual([]);
    h.chatwoot.agentRead(msg.conversation_id);
    await waitFor(() => h.sim().reads().length === 1 || undefined, 5000, 25, 'the chat marked read');
    expect(h.sim().reads()[0].chatId).toBe('351914000001@c.us');
    // The same read is not marked again on later polls.
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.sim().reads()).toHaveLength(1);
  });

  test('off by default: reads stay in Chatwoot', async () => {
    h = await startRelayHarness();
    const msg = await h.waitMessage(h.inject({ from: '+351914000001', type: 'text', text: 'Olá' }));
    h.chatwoot.agentRead(msg.conversation_id);
    await new Promise((r) => setTimeout(r, 2500));
    expect(h.sim().reads()).toEqual([]);
  });
});
