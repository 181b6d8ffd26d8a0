/**
 * `chatwoot.intake: websocket`: Chatwoot cannot reach Ponte (no webhook at all), Ponte listens on
 * Chatwoot's ActionCable RoomChannel, and the adaptive poll covers whatever the socket misses.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { request } from '../../helpers/http';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912500001';
const PEER_JID = '351912500001@c.us';
const PING_INTERVAL_MS = 300;
const WEBSOCKET = { staleAfterMs: 1500, subscribeTimeoutMs: 1500, reconnectMinMs: 50, reconnectMaxMs: 400 };
/** Room for timers firing late and the reconnect's HTTP round trips on a loaded machine. */
const LOAD_SLACK_MS = 10000;

async function openConversation(h: Harness, from = PEER): Promise<{ conversationId: number; inboundCwId: number; inboundWaId: string }> {
  const waId = h.inject({ from, type: 'text', text: 'Bom dia', pushName: 'Cliente' });
  const m = await waitFor(() => h.chatwoot.messages().find((x) => x.source_id === `WAID:${waId}`), 5000);
  return { conversationId: m.conversation_id, inboundCwId: m.id, inboundWaId: waId };
}

const textsTo = (h: Harness, chatId: string) =>
  h
    .sim()
    .sent()
    .filter((s) => s.message.chatId === chatId)
    .map((s) => (s.message as { text?: string }).text);

describe('Chatwoot -> WhatsApp over the realtime websocket (intake: websocket)', () => {
  let h: Harness;
  let conv: Awaited<ReturnType<typeof openConversation>>;
  const realtime = () => h.daemon.relay!.outbound.realtime!;

  beforeAll(async () => {
    h = await startRelayHarness({
      webhook: false,
      cable: { pingIntervalMs: PING_INTERVAL_MS },
      chatwoot: { intake: 'websocket', webhookSecret: undefined, websocket: WEBSOCKET },
      config: { catchup: { minIntervalMs: 100, maxIntervalMs: 2000 } },
    });
    await waitFor(() => h.sim().state() === 'CONNECTED');
    await waitFor(() => realtime().live(), 5000, 25, 'realtime subscribed');
    conv = await openConversation(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  test("subscribes to RoomChannel with the profile's pubsub_token, and agent replies reach WhatsApp with no webhook", async () => {
    const subscribe = h.cable!.commands().find((c) => c.command === 'subscribe')!;
    expect(JSON.parse(subscribe.identifier)).toEqual({
      channel: 'RoomChannel',
      pubsub_token: 'pubsub-ponte-integration',
      account_id: 1,
      user_id: 1,
    });
    expect(h.cable!.upgrades()[0]).toMatchObject({ protocols: ['actioncable-v1-json'], origin: h.chatwoot.baseUrl, outcome: 'accepted' });

    const before = textsTo(h, PEER_JID).length;
    const reply = await h.chatwoot.agentMessage(conv.conversationId, { content: 'Olá **João**, pelo socket' });
    await waitFor(() => textsTo(h, PEER_JID)[before], 5000);
    expect(textsTo(h, PEER_JID)[before]).toBe('Olá *João*, pelo socket');
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    expect(h.chatwoot.webhookDeliveries()).toEqual([]);
    expect(await h.metric('ponte_chatwoot_realtime_events_total')).toBeGreaterThanOrEqual(1);
    expect(await h.metric('ponte_chatwoot_realtime_connected')).toBe(1);

    const ready = await request('GET', `${h.url()}/readyz`);
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', reasons: [], intake: { mode: 'websocket', realtime: { state: 'subscribed' } } });
    expect(ready.body.warnings).toBeUndefined();
  });

  test('quotes and deletions come through the socket too', async () => {
    const before = h.sim().sent().length;
    const reply = await h.chatwoot.agentMessage(conv.conversationId, { content: 'Respondendo', inReplyTo: conv.inboundCwId });
    const sent = await waitFor(() => h.sim().sent()[before], 5000);
    expect(sent.message).toMatchObject({ kind: 'text', text: 'Respondendo', quotedId: conv.inboundWaId });
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    await h.chatwoot.deleteMessage(conv.conversationId, reply.id);
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.id === sent.id)?.revoked,
      5000,
    );
  });

  test("private notes, incoming messages and Ponte's own inserts are broadcast too, and never sent", async () => {
    const before = h.sim().sent().length;
    await h.chatwoot.agentMessage(conv.conversationId, { content: 'nota interna', private: true });
    h.inject({ from: PEER, type: 'text', text: 'mais uma pergunta' });
    // Typed on the phone itself: Ponte mirrors it as an outgoing message with a source_id.
    h.inject({ from: PEER, fromMe: true, type: 'text', text: 'escrito no telemóvel' });
    await waitFor(() => h.chatwoot.messages().some((m) => m.content === 'mais uma pergunta'), 5000);
    await waitFor(() => h.chatwoot.messages().some((m) => m.content === 'escrito no telemóvel'), 5000);
    await realtime().idle();
    await sleep(300);
    expect(h.sim().sent().slice(before)).toEqual([]);
    expect(await h.metric('ponte_events_ignored_total', { reason: 'private_note' })).toBeGreaterThanOrEqual(1);
    expect(await h.metric('ponte_events_ignored_total', { reason: 'not_outgoing' })).toBeGreaterThanOrEqual(1);
    expect(await h.metric('ponte_events_ignored_total', { reason: 'own_insert' })).toBeGreaterThanOrEqual(1);
  });

  test('socket killed while agents keep writing: every reply arrives once, in order, through the poll and then the socket again', async () => {
    const before = textsTo(h, PEER_JID).length;
    const recoveredBefore = await h.metric('ponte_catchup_recovered_total', { direction: 'outbound' });
    const socketBefore = await h.metric('ponte_chatwoot_realtime_events_total');
    const subscribesBefore = h.cable!.commands().filter((c) => c.command === 'subscribe').length;

    h.cable!.refuse(true);
    h.cable!.dropAll();
    await waitFor(() => !realtime().live(), 5000, 10, 'socket down');
    const down = await request('GET', `${h.url()}/readyz`);
    expect(down.status).toBe(200); // the poll covers: not a reason to be unready
    expect(down.body.intake.realtime.state).not.toBe('subscribed');
    expect(down.body.warnings[0]).toContain('agent messages come by polling');
    expect(await h.metric('ponte_chatwoot_realtime_connected')).toBe(0);

    const during = Array.from({ length: 12 }, (_, i) => `durante a queda ${i + 1}`);
    for (const content of during) {
      await h.chatwoot.agentMessage(conv.conversationId, { content });
      await sleep(40);
    }
    await waitFor(() => textsTo(h, PEER_JID).length >= before + during.length, 20000, 25, 'replies written while the socket is down');
    // Nobody could have delivered these but the poll.
    expect((await h.metric('ponte_catchup_recovered_total', { direction: 'outbound' })) - recoveredBefore).toBe(during.length);
    expect(await h.metric('ponte_chatwoot_realtime_events_total')).toBe(socketBefore);
    expect(h.cable!.upgrades().filter((u) => u.outcome === 'refused').length).toBeGreaterThanOrEqual(1);

    h.cable!.refuse(false);
    await waitFor(() => realtime().live(), 10000, 10, 'socket back');
    expect(h.cable!.commands().filter((c) => c.command === 'subscribe').length).toBeGreaterThan(subscribesBefore);
    expect(await h.metric('ponte_chatwoot_realtime_reconnects_total')).toBeGreaterThanOrEqual(1);

    const after = Array.from({ length: 6 }, (_, i) => `depois da queda ${i + 1}`);
    for (const content of after) await h.chatwoot.agentMessage(conv.conversationId, { content });
    await waitFor(() => textsTo(h, PEER_JID).length >= before + during.length + after.length, 10000);
    await realtime().idle();
    await sleep(500); // room for a duplicate to show up
    expect(textsTo(h, PEER_JID).slice(before)).toEqual([...during, ...after]);
    expect((await h.metric('ponte_chatwoot_realtime_events_total')) - socketBefore).toBeGreaterThanOrEqual(after.length);
  });

  test('a drop in the middle of a stream of replies (reconnecting at once) loses, doubles and reorders none', async () => {
    const before = textsTo(h, PEER_JID).length;
    const stream = Array.from({ length: 30 }, (_, i) => `fluxo ${i + 1}`);
    for (const [i, content] of stream.entries()) {
      if (i === 8 || i === 19) h.cable!.dropAll(i === 8 ? 'terminate' : 'restart');
      await h.chatwoot.agentMessage(conv.conversationId, { content });
      await sleep(20);
    }
    await waitFor(() => textsTo(h, PEER_JID).length >= before + stream.length, 20000);
    await waitFor(() => realtime().live(), 5000);
    await realtime().idle();
    await sleep(500);
    expect(textsTo(h, PEER_JID).slice(before)).toEqual(stream);
  });

  test('a silent connection (no pings, nothing) is detected and replaced', async () => {
    const reconnects = await h.metric('ponte_chatwoot_realtime_reconnects_total');
    h.cable!.stall(true);
    try {
      // A broadcast into the silent socket is lost: the safety-net poll finds the reply.
      const before = textsTo(h, PEER_JID).length;
      await h.chatwoot.agentMessage(conv.conversationId, { content: 'perdida no socket mudo' });
      await waitFor(() => textsTo(h, PEER_JID).length > before, 10000);
      // The poll may find the reply well before the socket has been silent for staleAfterMs; lifting the
      // stall then would leave a socket that was never stale (its pings resume) and rightly stays.
      await waitFor(
        async () => (await h.metric('ponte_chatwoot_realtime_reconnects_total')) > reconnects,
        WEBSOCKET.staleAfterMs + LOAD_SLACK_MS,
        50,
        'silent socket dropped',
      );
    } finally {
      h.cable!.stall(false);
    }
    // Worst case: a connection opened during the stall never got its welcome and waits out
    // subscribeTimeoutMs, then the longest backoff before the next one subscribes.
    await waitFor(
      () => realtime().live(),
      WEBSOCKET.subscribeTimeoutMs + WEBSOCKET.reconnectMaxMs + LOAD_SLACK_MS,
      50,
      'stale socket replaced',
    );
  });
});
