/**
 * `chatwoot.intake: webhook` (the default) is unchanged by the realtime intake: Chatwoot calls the
 * webhook, Ponte never opens the socket. The full webhook behaviour is proven in outbound*.test.ts.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { request } from '../../helpers/http';
import { waitFor } from '../../helpers/wait';

const PEER = '+351912700001';
const PEER_JID = '351912700001@c.us';

describe('Chatwoot -> WhatsApp by webhook (intake: webhook, the default)', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.stop();
  });

  test('replies come by webhook; the socket Chatwoot offers is left alone; /readyz names the mode', async () => {
    h = await startRelayHarness({ cable: true, config: { catchup: { minIntervalMs: 60000, maxIntervalMs: 60000 } } });
    expect(h.daemon.config.chatwoot!.intake).toBe('webhook');
    await waitFor(() => h.sim().state() === 'CONNECTED');
    const waId = h.inject({ from: PEER, type: 'text', text: 'Bom dia' });
    const first = await waitFor(() => h.chatwoot.messages().find((x) => x.source_id === `WAID:${waId}`), 5000);
    await h.chatwoot.agentMessage(first.conversation_id, { content: 'pelo webhook' });
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .some((s) => s.message.chatId === PEER_JID && (s.message as { text?: string }).text === 'pelo webhook'),
      5000,
    );
    expect(h.chatwoot.webhookDeliveries().filter((d) => d.event === 'message_created' && d.status === 200).length).toBeGreaterThanOrEqual(
      1,
    );
    expect(await h.metric('ponte_catchup_recovered_total', { direction: 'outbound' })).toBe(0);
    expect(h.cable!.upgrades()).toEqual([]);
    const ready = await request('GET', `${h.url()}/readyz`);
    expect(ready.body).toMatchObject({ status: 'ready', intake: { mode: 'webhook' } });
    expect(ready.body.intake.realtime).toBeUndefined();
  });
});
