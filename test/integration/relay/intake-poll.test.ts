/**
 * `chatwoot.intake: poll`: no webhook and no socket; the adaptive poll alone brings agent messages in,
 * within catchup.minIntervalMs / maxIntervalMs.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { request } from '../../helpers/http';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912600001';
const PEER_JID = '351912600001@c.us';

const textsTo = (h: Harness, chatId: string) =>
  h
    .sim()
    .sent()
    .filter((s) => s.message.chatId === chatId)
    .map((s) => (s.message as { text?: string }).text);

describe('Chatwoot -> WhatsApp by polling alone (intake: poll)', () => {
  let h: Harness;
  let conversationId: number;

  beforeAll(async () => {
    h = await startRelayHarness({
      webhook: false,
      // The fake offers a socket: poll mode must not use it.
      cable: true,
      chatwoot: { intake: 'poll', webhookSecret: undefined },
      config: { catchup: { minIntervalMs: 100, maxIntervalMs: 800 } },
    });
    await waitFor(() => h.sim().state() === 'CONNECTED');
    const waId = h.inject({ from: PEER, type: 'text', text: 'Bom dia' });
    conversationId = (await waitFor(() => h.chatwoot.messages().find((x) => x.source_id === `WAID:${waId}`), 5000)).conversation_id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('agent replies reach WhatsApp, found by the poll', async () => {
    const recovered = await h.metric('ponte_catchup_recovered_total', { direction: 'outbound' });
    const before = textsTo(h, PEER_JID).length;
    const reply = await h.chatwoot.agentMessage(conversationId, { content: 'Olá **João**, por sondagem' });
    await waitFor(() => textsTo(h, PEER_JID)[before], 5000);
    expect(textsTo(h, PEER_JID)[before]).toBe('Olá *João*, por sondagem');
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    expect(await h.metric('ponte_catchup_recovered_total', { direction: 'outbound' })).toBe(recovered + 1);
    expect(h.chatwoot.webhookDeliveries()).toEqual([]);
    expect(h.cable!.upgrades()).toEqual([]);
    expect(h.daemon.relay!.outbound.realtime).toBeUndefined();
  });

  test('a burst of replies arrives once each, in order', async () => {
    const before = textsTo(h, PEER_JID).length;
    const burst = Array.from({ length: 25 }, (_, i) => `rajada ${i + 1}`);
    for (const content of burst) await h.chatwoot.agentMessage(conversationId, { content });
    await waitFor(() => textsTo(h, PEER_JID).length >= before + burst.length, 15000);
    await sleep(1000); // at least one more poll: nothing is sent twice
    expect(textsTo(h, PEER_JID).slice(before)).toEqual(burst);
  });

  test('/readyz names the mode and the poll interval, bounded by catchup.maxIntervalMs', async () => {
    await waitFor(
      async () => (await request('GET', `${h.url()}/readyz`)).body.intake?.pollIntervalMs?.main === 800,
      10000,
      50,
      'poll at its longest interval while idle',
    );
    const ready = await request('GET', `${h.url()}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', reasons: [], intake: { mode: 'poll', pollIntervalMs: { main: 800 } } });
    expect(await h.metric('ponte_chatwoot_realtime_connected')).toBe(0);
  });

  test('without a webhook secret the webhook route refuses everything', async () => {
    const res = await fetch(`${h.url()}/webhooks/chatwoot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ event: 'message_created', id: 1 }),
    });
    expect(res.status).toBe(401);
  });
});
