import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor, sleep } from '../../helpers/wait';

const PEER = '+351912400001';
const PEER_JID = '351912400001@c.us';

describe('Chatwoot -> WhatsApp while Ponte is down', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  test('50 agent replies written while the daemon is stopped all reach WhatsApp once, in order, after it starts', async () => {
    h = await startRelayHarness();
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá' });
    const first = await waitFor(() => h.chatwoot.messages().find((m) => m.source_id === `WAID:${waId}`), 5000);
    await h.daemon.stop();

    const replies: number[] = [];
    for (let i = 1; i <= 50; i++) replies.push((await h.chatwoot.agentMessage(first.conversation_id, { content: `resposta ${i}` })).id);
    await h.chatwoot.webhooksIdle();
    // Chatwoot marked them failed: nobody answered its webhook.
    expect(h.chatwoot.messages().filter((m) => replies.includes(m.id) && m.status === 'failed')).toHaveLength(50);

    await h.restart();
    await waitFor(() => h.sim().state() === 'CONNECTED');
    const texts = () =>
      h
        .sim()
        .sent()
        .filter((s) => s.message.chatId === PEER_JID)
        .map((s) => s.message.text);
    await waitFor(() => texts().length >= 50, 15000);
    await sleep(500);
    expect(texts()).toEqual(Array.from({ length: 50 }, (_, i) => `resposta ${i + 1}`));
    // Once sent, their ticks replace the failed status.
    await waitFor(() => h.chatwoot.messages().filter((m) => replies.includes(m.id) && m.status === 'read').length === 50, 10000);
  });

  test('catch-up alone delivers new agent replies, but never ones older than a fresh Ponte install', async () => {
    h = await startRelayHarness({ webhook: false });
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá' });
    const first = await waitFor(() => h.chatwoot.messages().find((m) => m.source_id === `WAID:${waId}`), 5000);
    await h.daemon.stop();
    await h.chatwoot.agentMessage(first.conversation_id, { content: 'histórico antigo' });
    // A brand-new Ponte (empty Redis) pointed at an inbox that already has agent replies.
    await sleep(1100);
    const { default: Redis } = await import('ioredis');
    const r = new Redis(h.redis.url);
    await r.flushall();
    r.disconnect();
    await h.restart();
    await waitFor(() => h.sim().state() === 'CONNECTED');
    await sleep(1100);
    await h.chatwoot.agentMessage(first.conversation_id, { content: 'depois do arranque' });
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .some((s) => s.message.text === 'depois do arranque'),
      10000,
    );
    expect(
      h
        .sim()
        .sent()
        .some((s) => s.message.text === 'histórico antigo'),
    ).toBe(false);
    expect(await h.metric('ponte_catchup_recovered_total', { direction: 'outbound' })).toBe(1);
  });
});

describe('Chatwoot without message status updates (before 4.2)', () => {
  test('a final failure becomes a private note on the conversation', async () => {
    const h = await startRelayHarness({
      fake: { supportsStatusUpdate: false },
      config: { queue: { baseDelayMs: 10, maxDelayMs: 20, maxAttempts: 2 } },
    });
    try {
      await waitFor(() => h.sim().state() === 'CONNECTED');
      const waId = h.inject({ from: PEER, type: 'text', text: 'Olá' });
      const first = await waitFor(() => h.chatwoot.messages().find((m) => m.source_id === `WAID:${waId}`), 5000);
      h.sim().failSends = 'number blocked';
      const reply = await h.chatwoot.agentMessage(first.conversation_id, { content: 'não chega' });
      const note = await waitFor(
        () => h.chatwoot.messages(first.conversation_id).find((m) => m.private && String(m.content).includes(`#${reply.id}`)),
        10000,
      );
      expect(note.content).toContain('number blocked');
    } finally {
      await h.stop();
    }
  });
});
