/**
 * `chatwoot.intake: websocket` against what Chatwoot really does when things go quietly wrong: a password
 * change gives the user a new pubsub_token and a subscription with the old one hears nothing (no
 * reject_subscription), and a subscription can keep its pings while its stream carries nothing.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { request } from '../../helpers/http';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912500009';
const PEER_JID = '351912500009@c.us';

const textsTo = (h: Harness) =>
  h
    .sim()
    .sent()
    .filter((s) => s.message.chatId === PEER_JID)
    .map((s) => (s.message as { text?: string }).text);
const tokensSubscribed = (h: Harness) =>
  h
    .cable!.commands()
    .filter((c) => c.command === 'subscribe')
    .map((c) => (JSON.parse(c.identifier) as { pubsub_token: string }).pubsub_token);

describe('a realtime socket that stays honest', () => {
  let h: Harness;
  let conversationId: number;
  const realtime = () => h.daemon.relay!.outbound.realtime!;
  const readyz = async () =>
    (await request('GET', `${h.url()}/readyz`)).body as {
      intake: { realtime: { state: string; lastError?: string } };
      warnings?: string[];
    };

  beforeAll(async () => {
    h = await startRelayHarness({
      webhook: false,
      cable: { pingIntervalMs: 300 },
      chatwoot: {
        intake: 'websocket',
        webhookSecret: undefined,
        websocket: { staleAfterMs: 1500, subscribeTimeoutMs: 1500, reconnectMinMs: 50, reconnectMaxMs: 400 },
      },
      config: { catchup: { minIntervalMs: 100, maxIntervalMs: 1500 } },
    });
    await waitFor(() => h.sim().state() === 'CONNECTED');
    await waitFor(() => realtime().live(), 5000, 25, 'realtime subscribed');
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá', pushName: 'Cliente' });
    conversationId = (await h.waitMessage(waId)).conversation_id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('after a password change the socket reconnects with the new pubsub_token, without a restart', async () => {
    const fresh = h.chatwoot.rotatePubsubToken();
    h.cable!.dropAll();
    await waitFor(() => realtime().live() && tokensSubscribed(h).at(-1) === fresh, 8000, 25, 'subscribed with the new token');
    const before = textsTo(h).length;
    const events = await h.metric('ponte_chatwoot_realtime_events_total');
    await h.chatwoot.agentMessage(conversationId, { content: 'depois da nova senha' });
    await waitFor(() => textsTo(h).length > before, 5000);
    expect(await h.metric('ponte_chatwoot_realtime_events_total')).toBeGreaterThan(events);
  });

  test('a subscription that goes deaf when the token changes under it is found by the poll, shown in /readyz and replaced', async () => {
    await sleep(2100); // Chatwoot's created_at has whole seconds: write clearly after the subscription
    const fresh = h.chatwoot.rotatePubsubToken();
    // The old subscription keeps its pings but its stream carries nothing: this reply comes by the poll.
    const before = textsTo(h).length;
    await h.chatwoot.agentMessage(conversationId, { content: 'perdida no socket surdo' });
    await waitFor(() => textsTo(h).length > before, 8000, 25, 'the reply, by the poll');
    await waitFor(() => tokensSubscribed(h).at(-1) === fresh, 8000, 25, 'the deaf subscription replaced by one with the new token');
    await waitFor(() => realtime().live(), 5000, 25, 'hearing again');
    const events = await h.metric('ponte_chatwoot_realtime_events_total');
    await h.chatwoot.agentMessage(conversationId, { content: 'de novo pelo socket' });
    await waitFor(() => textsTo(h).length > before + 1, 5000);
    expect(await h.metric('ponte_chatwoot_realtime_events_total')).toBeGreaterThan(events);
    expect(textsTo(h).slice(before)).toEqual(['perdida no socket surdo', 'de novo pelo socket']);
  });

  test('/readyz never shows a healthy socket that hears nothing, and shows it healthy again once it hears', async () => {
    await sleep(2100);
    const reconnects = await h.metric('ponte_chatwoot_realtime_reconnects_total');
    h.cable!.deafen(true);
    try {
      const before = textsTo(h).length;
      await h.chatwoot.agentMessage(conversationId, { content: 'ninguém ouviu' });
      await waitFor(() => textsTo(h).length > before, 8000, 25, 'the reply, by the poll');
      await waitFor(async () => (await readyz()).intake.realtime.state === 'deaf', 8000, 50, '/readyz saying deaf');
      const ready = await readyz();
      expect(ready.intake.realtime.lastError).toContain('the socket never delivered it');
      expect(ready.warnings?.[0]).toContain('agent messages come by polling');
      expect(realtime().live()).toBe(false);
      expect(await h.metric('ponte_chatwoot_realtime_reconnects_total')).toBeGreaterThan(reconnects);
      // Replaced, but still deaf (no presence.update, no events): it stays reported as such.
      await sleep(800);
      expect((await readyz()).intake.realtime.state).toBe('deaf');
    } finally {
      h.cable!.deafen(false);
    }
    const before = textsTo(h).length;
    await h.chatwoot.agentMessage(conversationId, { content: 'ouvida outra vez' });
    await waitFor(() => textsTo(h).length > before, 8000);
    await waitFor(async () => (await readyz()).intake.realtime.state === 'subscribed', 5000, 50, '/readyz saying subscribed');
    expect((await readyz()).warnings).toBeUndefined();
  });
});
