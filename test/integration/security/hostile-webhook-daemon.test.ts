import { startRelayHarness, WEBHOOK_SECRET, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import { startRecorder, type Recorder } from './support';

const PEER = '+351912900001';

/**
 * A running daemon (front thread, lanes, real Redis) against signed webhooks whose attachment URL points
 * where it must not: what the agent and the operator see.
 */
describe('a signed webhook cannot make Ponte fetch from elsewhere', () => {
  let h: Harness;
  let other: Recorder;
  let conversationId: number;
  beforeAll(async () => {
    other = await startRecorder();
    // The poll stays out of the way: the forged webhook is the only way the reply comes in.
    h = await startRelayHarness({
      config: { queue: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 5 }, catchup: { minIntervalMs: 600_000, maxIntervalMs: 600_000 } },
    });
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá' });
    conversationId = (await h.waitMessage(waId)).conversation_id;
  });
  afterAll(async () => {
    await h?.stop();
    await other?.close();
  });

  /** An agent's reply Chatwoot has (no webhook of its own), then a forged webhook for it naming `dataUrl`. */
  async function forged(dataUrl: string): Promise<number> {
    h.chatwoot.setWebhook(undefined);
    const reply = await h.chatwoot.agentMessage(conversationId, { content: 'segue o ficheiro' });
    h.chatwoot.setWebhook({ url: `${h.url()}/webhooks/chatwoot`, secret: WEBHOOK_SECRET });
    const conv = h.chatwoot.conversations().find((c) => c.id === conversationId)!;
    const raw = JSON.stringify({
      event: 'message_created',
      id: reply.id,
      message_type: 'outgoing',
      private: false,
      source_id: null,
      content: 'segue o ficheiro',
      content_attributes: {},
      created_at: new Date().toISOString(),
      inbox: { id: 1 },
      sender: { id: 1, type: 'user' },
      attachments: [{ id: 1, file_type: 'file', extension: 'pdf', data_url: dataUrl, file_size: 10 }],
      conversation: {
        id: conversationId,
        inbox_id: 1,
        contact_inbox: { source_id: conv.source_id },
        meta: { sender: { phone_number: PEER } },
      },
    });
    const res = await fetch(`${h.url()}/webhooks/chatwoot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...h.chatwoot.signWebhook(raw, WEBHOOK_SECRET) },
      body: raw,
    });
    expect(res.status).toBe(200);
    return reply.id;
  }

  test.each([
    ["Ponte's own /metrics", () => `${h.url()}/metrics`],
    ['another local port', () => `${other.url}/private`],
    ['a file on disk', () => 'file:///etc/passwd'],
  ])('%s: nothing fetched, nothing sent to WhatsApp, the message fails at once with the reason', async (_what, url) => {
    const sentBefore = h.sim().sent().length;
    const retriesBefore = await h.metric('ponte_relay_retries_total', { queue: 'outbound' });
    const id = await forged(url());
    const failed = await waitFor(
      () => h.chatwoot.messages().find((m) => m.id === id && m.status === 'failed'),
      10_000,
      25,
      'the reply marked failed',
    );
    expect(String(failed.content_attributes.external_error)).toMatch(/not an allowed host|http and https only/);
    expect(h.sim().sent().length).toBe(sentBefore);
    expect(other.requests).toEqual([]);
    expect(await h.metric('ponte_relay_retries_total', { queue: 'outbound' })).toBe(retriesBefore);
  });

  test('a forged webhook for a message Chatwoot does not have leaves delivery ticks on for the next replies, also after a restart', async () => {
    const conv = h.chatwoot.conversations().find((c) => c.id === conversationId)!;
    const raw = JSON.stringify({
      event: 'message_created',
      id: 987_654,
      message_type: 'outgoing',
      private: false,
      source_id: null,
      content: 'forjada',
      content_attributes: {},
      created_at: new Date().toISOString(),
      inbox: { id: 1 },
      attachments: [],
      conversation: {
        id: conversationId,
        inbox_id: 1,
        contact_inbox: { source_id: conv.source_id },
        meta: { sender: { phone_number: PEER } },
      },
    });
    await fetch(`${h.url()}/webhooks/chatwoot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...h.chatwoot.signWebhook(raw, WEBHOOK_SECRET) },
      body: raw,
    });
    // Its ticks come back from WhatsApp and Chatwoot answers 404 for that one message.
    await waitFor(
      () => h.chatwoot.requests().find((r) => r.method === 'PATCH' && r.path.endsWith('/messages/987654') && r.status === 404),
      10_000,
      25,
      'the status of the forged message tried',
    );
    const genuine = await h.chatwoot.agentMessage(conversationId, { content: 'uma resposta verdadeira' });
    await waitFor(
      () => h.chatwoot.messages().find((m) => m.id === genuine.id && (m.status === 'delivered' || m.status === 'read')),
      10_000,
      25,
      'ticks on the genuine reply',
    );
    await h.restart();
    const afterRestart = await h.chatwoot.agentMessage(conversationId, { content: 'outra resposta' });
    await waitFor(
      () => h.chatwoot.messages().find((m) => m.id === afterRestart.id && (m.status === 'delivered' || m.status === 'read')),
      10_000,
      25,
      'ticks after a restart',
    );
  });

  test('through the front thread, a body of the wrong shape is answered 422 and the next genuine reply still goes out', async () => {
    for (const body of [
      {
        event: 'message_created',
        id: 5,
        message_type: 'outgoing',
        content: { text: 'x' },
        conversation: { id: conversationId, inbox_id: 1 },
      },
      {
        event: 'message_created',
        id: 6,
        message_type: 'outgoing',
        content: 'x',
        attachments: [null],
        conversation: { id: conversationId, inbox_id: 1 },
      },
      { event: 'conversation_typing_on', conversation: { id: { a: [1] }, inbox_id: 1 } },
    ]) {
      const raw = JSON.stringify(body);
      const res = await fetch(`${h.url()}/webhooks/chatwoot`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...h.chatwoot.signWebhook(raw, WEBHOOK_SECRET) },
        body: raw,
      });
      expect(res.status).toBe(422);
    }
    await h.chatwoot.agentMessage(conversationId, { content: 'depois das forjadas' });
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === 'depois das forjadas'),
      10_000,
      25,
      'the genuine reply on WhatsApp',
    );
  });
});
