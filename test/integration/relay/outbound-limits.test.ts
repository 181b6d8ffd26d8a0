import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

const PEER = '+351912500001';
const PEER_JID = '351912500001@c.us';

describe('Chatwoot -> WhatsApp limits and pacing', () => {
  let h: Harness;
  let conversationId: number;
  beforeAll(async () => {
    h = await startRelayHarness({
      session: { maxMediaMB: 0.004, pacing: { minGapMs: 0, jitterMs: 0, typing: true, typingMsPerChar: 2, maxTypingMs: 60 } },
      config: { queue: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 } },
    });
    await waitFor(() => h.sim().state() === 'CONNECTED');
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá' });
    conversationId = (await waitFor(() => h.chatwoot.messages().find((m) => m.source_id === `WAID:${waId}`), 5000)).conversation_id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('"typing..." is shown on WhatsApp before a text is sent', async () => {
    await h.chatwoot.agentMessage(conversationId, { content: 'uma resposta com algum texto' });
    const sent = await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === 'uma resposta com algum texto'),
      5000,
    );
    const typing = h
      .sim()
      .typing()
      .filter((t) => t.chatId === PEER_JID && t.on);
    expect(typing.length).toBeGreaterThan(0);
    expect(typing[0].at).toBeLessThanOrEqual(sent.at);
  });

  test('an attachment above the size limit is not sent and the message is marked failed with the reason', async () => {
    const before = h.sim().sent().length;
    const big = await h.chatwoot.agentMessage(conversationId, {
      content: 'grande',
      attachments: [{ filename: 'big.pdf', content_type: 'application/pdf', data: Buffer.alloc(10_000, 1) }],
    });
    const failed = await waitFor(() => h.chatwoot.messages().find((m) => m.id === big.id && m.status === 'failed'), 10000);
    expect(String(failed.content_attributes.external_error)).toMatch(/MB/);
    expect(h.sim().sent().length).toBe(before);
  });

  test('an attachment Chatwoot can no longer serve marks the message failed', async () => {
    const fault = h.chatwoot.fault({ method: 'GET', path: '/rails/active_storage' }, { status: 404 });
    try {
      const gone = await h.chatwoot.agentMessage(conversationId, {
        content: 'ficheiro',
        attachments: [{ filename: 'a.png', content_type: 'image/png', data: Buffer.from('png') }],
      });
      const failed = await waitFor(() => h.chatwoot.messages().find((m) => m.id === gone.id && m.status === 'failed'), 10000);
      expect(String(failed.content_attributes.external_error)).toContain('404');
    } finally {
      fault.clear();
    }
  });
});
