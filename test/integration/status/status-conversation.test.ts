/**
 * The status conversation agents see in their own inbox (a contact named Ponte): the QR code as an image
 * while the number needs pairing (a new one when it rotates, the old one deleted), the pairing code on
 * "pair +phone", CONNECTED reached and left with the reason, "status" answered, and nothing written there
 * ever sent to WhatsApp. Simulator engine, real redis-server, the strict Chatwoot fake.
 */
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { request } from '../../helpers/http';
import { sleep, waitFor } from '../../helpers/wait';
import type { MessageView } from '../../fakes/chatwoot/types';

describe('status conversation', () => {
  let h: Harness;
  let conversationId: number;
  const statusMessages = (): MessageView[] => h.chatwoot.messages(conversationId);
  const live = () => statusMessages().filter((m) => !m.content_attributes.deleted);
  const waitText = (re: RegExp, what: string) =>
    waitFor(() => live().find((m) => re.test(m.content ?? '')), 8000, 25, what).catch((err: Error) => {
      throw new Error(`${err.message}; the conversation holds: ${JSON.stringify(live().map((m) => m.content))}`);
    });

  beforeAll(async () => {
    h = await startRelayHarness({
      chatwoot: { statusConversation: true },
      session: { simulator: { requireQr: true, qrRotateMs: 600, pairAfterMs: 0, ackIntervalMs: 50 } },
    });
    const conv = await waitFor(
      () => h.chatwoot.conversations().find((c) => h.chatwoot.contacts().find((k) => k.id === c.contact_id)?.name === 'Ponte'),
      8000,
      25,
      'the status conversation',
    );
    expect(conv.inbox_id).toBe(1);
    conversationId = conv.id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('while the number needs pairing, the current QR code is there as an image, replaced when it rotates', async () => {
    const first = await waitFor(() => live().find((m) => m.attachments.length === 1), 8000, 25, 'a QR image');
    expect(first.message_type).toBe('incoming');
    expect(first.content).toMatch(
      /main needs pairing\. On the phone: WhatsApp › Linked devices › Link a device, and scan this QR code \d+/,
    );
    expect(first.attachments[0]).toMatchObject({ file_type: 'image', content_type: 'image/png' });
    expect(first.attachments[0].data.subarray(1, 4).toString()).toBe('PNG');
    // It rotates every 600 ms: a new message with the new code, and the old one deleted.
    const second = await waitFor(() => live().find((m) => m.attachments.length === 1 && m.id > first.id), 8000, 25, 'the next QR image');
    expect(second.attachments[0].data.equals(first.attachments[0].data)).toBe(false);
    await waitFor(
      () => statusMessages().find((m) => m.id === first.id)?.content_attributes.deleted === true,
      5000,
      25,
      'the old QR deleted',
    );
    expect(live().filter((m) => m.content?.includes('scan this QR code')).length).toBeLessThanOrEqual(2);
  });

  test('"pair +phone" written there shows a pairing code; nothing written there goes to WhatsApp', async () => {
    await h.chatwoot.agentMessage(conversationId, { content: 'pair +351 912 345 678' });
    const code = await waitText(/main pairing code: [A-Z0-9]{4}-[A-Z0-9]{4}/, 'the pairing code');
    expect(code.content).toContain('Link with phone number instead');
    await waitFor(() => live().every((m) => m.attachments.length === 0), 5000, 25, 'the last QR image deleted');
    await h.chatwoot.agentMessage(conversationId, { content: 'pair 912345678' });
    await waitText(/Cannot pair: "912345678" has no country code/, 'the refusal of a number without country code');
    await h.chatwoot.agentMessage(conversationId, { content: 'olá, alguém aí?' });
    await waitText(/I understand: "status"/, 'the help');
    await sleep(300);
    expect(h.sim().sent()).toEqual([]);
    // Agents' messages there are not marked failed either: they were taken, as commands.
    expect(
      statusMessages()
        .filter((m) => m.message_type === 'outgoing')
        .every((m) => m.status !== 'failed'),
    ).toBe(true);
  });

  test('reaching CONNECTED and leaving it are told with the reason, and "status" answers', async () => {
    const paired = await request('POST', `${h.url()}/admin/simulator/main/state`, { token: ADMIN_TOKEN, json: { state: 'CONNECTED' } });
    expect(paired.status).toBe(200);
    await waitText(/^✅ main is connected as \+351910000000\. Messages flow again\.$/, 'the connected notice');
    await waitFor(() => live().every((m) => !/pairing code:/.test(m.content ?? '')), 5000, 25, 'the pairing code deleted');
    await h.chatwoot.agentMessage(conversationId, { content: 'status' });
    await waitText(
      /^ℹ️ main \(simulator\) is CONNECTED as \+351910000000 since \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC; run by daemon \S+\.$/,
      'the status answer',
    );
    await request('POST', `${h.url()}/admin/simulator/main/state`, {
      token: ADMIN_TOKEN,
      json: { state: 'TRANSIENT_DISCONNECT', reason: 'phone offline' },
    });
    await waitText(
      /^⚠️ main is no longer connected: TRANSIENT_DISCONNECT \(phone offline\)\. Messages wait until it is back\.$/,
      'the disconnected notice',
    );
    expect(h.sim().sent()).toEqual([]);
    expect(h.chatwoot.rejections()).toEqual([]);
  });
  test('a notice Chatwoot refuses at first still arrives: it is tried again, and the notices keep their order', async () => {
    // Settled first: the number is back (the reconnect the previous test's disconnect scheduled included).
    await waitFor(() => /^✅ main is connected/.test(live().at(-1)?.content ?? ''), 15_000, 50, 'the number connected again');
    const fault = h.chatwoot.fault(
      { method: 'POST', path: new RegExp(`/conversations/${conversationId}/messages$`) },
      { status: 500, times: 2 },
    );
    await request('POST', `${h.url()}/admin/simulator/main/state`, {
      token: ADMIN_TOKEN,
      json: { state: 'TRANSIENT_DISCONNECT', reason: 'battery died' },
    });
    await waitText(/^⚠️ main is no longer connected: TRANSIENT_DISCONNECT \(battery died\)\./, 'the refused notice, tried again');
    expect(fault.hits).toBe(2);
    // What happened after it (the reconnect) is told after it.
    await waitFor(() => /^✅ main is connected/.test(live().at(-1)?.content ?? ''), 15_000, 50, 'the reconnect told after it');
    const texts = live().map((m) => m.content ?? '');
    expect(texts.findIndex((t) => t.includes('battery died'))).toBeLessThan(texts.length - 1);
  });
});
