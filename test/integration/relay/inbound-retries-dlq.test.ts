import { request } from '../../helpers/http';
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const CREATE = { method: 'POST', path: /\/conversations\/\d+\/messages$/ };

describe('WhatsApp -> Chatwoot: retries and dead letters', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
    // The conversation exists first, so the faults below hit the message create itself.
    await h.waitMessage(h.inject({ id: 'RT-0', from: '+351912600001', type: 'text', text: 'warm-up' }));
  });
  afterEach(() => h.chatwoot.clearFaults());
  afterAll(async () => {
    await h?.stop();
  });

  test('Chatwoot 500s are retried and the message is delivered exactly once', async () => {
    const fault = h.chatwoot.fault(CREATE, { status: 500, times: 3 });
    const id = h.inject({ id: 'RT-500', from: '+351912600001', type: 'text', text: 'through the 500s' });
    await h.waitMessage(id);
    expect(fault.hits).toBe(3);
    expect(h.messagesFor(id)).toHaveLength(1);
    expect(await h.metric('ponte_relay_retries_total', { queue: 'inbound' })).toBeGreaterThanOrEqual(3);
  });

  test('429 with Retry-After: waits as told (no hammering) and delivers once', async () => {
    // Retry-After: 1 s. The fault stays on for half of that: a client that ignored it (retrying after
    // 10-20 ms here) would hit it several times.
    const fault = h.chatwoot.fault(CREATE, { retryAfterSeconds: 1 });
    const id = h.inject({ id: 'RT-429', from: '+351912600001', type: 'text', text: 'rate limited' });
    await waitFor(() => fault.hits === 1, 10_000);
    await sleep(500);
    fault.clear();
    await h.waitMessage(id);
    expect(fault.hits).toBe(1);
    expect(h.messagesFor(id)).toHaveLength(1);
  });

  test('a Chatwoot that never answers (timeout) is retried; delivered exactly once', async () => {
    const fault = h.chatwoot.fault(CREATE, { hang: true, times: 1 });
    const id = h.inject({ id: 'RT-HANG', from: '+351912600001', type: 'text', text: 'after a timeout' });
    await h.waitMessage(id, 8000);
    expect(fault.hits).toBe(1);
    expect(h.messagesFor(id)).toHaveLength(1);
  });

  test('a create that timed out on our side but did happen in Chatwoot is not posted twice', async () => {
    // The fake answers after 2.5 s (and creates the message then); Ponte gives up at 2 s.
    const fault = h.chatwoot.fault(CREATE, { latencyMs: 2500, times: 1 });
    const id = h.inject({ id: 'RT-SLOW', from: '+351912600001', type: 'text', text: 'slow but done' });
    await h.waitMessage(id, 8000);
    // The next message in the chat proves the slow one's lane moved on; settled: the slow create is done.
    await h.waitMessage(h.inject({ id: 'RT-SLOW-NEXT', from: '+351912600001', type: 'text', text: 'next' }), 8000);
    await waitFor(() => fault.settled === 1, 8000);
    expect(fault.hits).toBe(1);
    expect(h.messagesFor(id)).toHaveLength(1);
    expect(
      h.chatwoot
        .messages()
        .map((m) => m.content)
        .slice(-2),
    ).toEqual(['slow but done', 'next']);
  });

  test('a 4xx goes to the dead-letter list at once with its reason; later messages still flow; replay over HTTP delivers it', async () => {
    const retriesBefore = await h.metric('ponte_relay_retries_total', { queue: 'inbound' });
    const fault = h.chatwoot.fault(CREATE, {
      status: 422,
      body: { message: 'Validation failed: Content is invalid', attributes: ['content'] },
      times: 1,
    });
    const bad = h.inject({ id: 'RT-422', from: '+351912600002', type: 'text', text: 'refused once' });
    const next = h.inject({ id: 'RT-422-NEXT', from: '+351912600002', type: 'text', text: 'after the refused one' });
    await h.waitMessage(next);
    expect(fault.hits).toBe(1);
    expect(h.messagesFor(bad)).toEqual([]);
    expect(await h.metric('ponte_relay_retries_total', { queue: 'inbound' })).toBe(retriesBefore);

    expect((await request('GET', `${h.url()}/admin/dlq`)).status).toBe(401);
    expect((await request('GET', `${h.url()}/admin/dlq`, { token: 'wrong-token' })).status).toBe(401);
    const list = await request('GET', `${h.url()}/admin/dlq`, { token: ADMIN_TOKEN });
    expect(list.status).toBe(200);
    expect(list.body.entries).toHaveLength(1);
    const entry = list.body.entries[0];
    expect(entry).toMatchObject({ queue: 'inbound', attempts: 1, summary: 'main: message (text)' });
    expect(entry.reason).toContain('HTTP 422');
    expect(entry.reason).toContain('Validation failed: Content is invalid');
    // The list is for operators: no message content in it.
    expect(JSON.stringify(list.body)).not.toContain('refused once');
    expect(await h.metric('ponte_dlq_size', { queue: 'inbound' })).toBe(1);
    expect(await h.metric('ponte_messages_relayed_total', { direction: 'inbound', outcome: 'dead_letter' })).toBe(1);

    const one = await request('GET', `${h.url()}/admin/dlq/inbound/${entry.id}`, { token: ADMIN_TOKEN });
    expect(one.status).toBe(200);
    expect(one.body.data.event.message.id).toBe(bad);

    const badReplay = await request('POST', `${h.url()}/admin/dlq/replay`, { token: ADMIN_TOKEN, json: { id: 'no-such-id' } });
    expect(badReplay.status).toBe(404);
    const replay = await request('POST', `${h.url()}/admin/dlq/replay`, { token: ADMIN_TOKEN, json: { id: entry.id } });
    expect(replay.status).toBe(200);
    expect(replay.body).toEqual({ replayed: [entry.id] });
    const m = await h.waitMessage(bad);
    expect(m.content).toBe('refused once');
    expect(h.messagesFor(bad)).toHaveLength(1);
    expect((await request('GET', `${h.url()}/admin/dlq`, { token: ADMIN_TOKEN })).body.entries).toEqual([]);
    expect(await h.metric('ponte_dlq_size', { queue: 'inbound' })).toBe(0);
  });

  test('replay --all puts every dead letter back; each is delivered once', async () => {
    const fault = h.chatwoot.fault(CREATE, { status: 400, body: { error: 'bad request' }, times: 3 });
    const ids = [1, 2, 3].map((i) => h.inject({ id: `RT-ALL-${i}`, from: `+35191260010${i}`, type: 'text', text: `dead ${i}` }));
    const entries = await waitFor(async () => {
      const r = await request('GET', `${h.url()}/admin/dlq`, { token: ADMIN_TOKEN });
      return r.body.entries.length === 3 ? r.body.entries : undefined;
    }, 10_000);
    expect(fault.hits).toBe(3);
    expect(entries.every((e: { reason: string }) => e.reason.includes('HTTP 400'))).toBe(true);
    const replay = await request('POST', `${h.url()}/admin/dlq/replay`, { token: ADMIN_TOKEN, json: { all: true } });
    expect(replay.body.replayed).toHaveLength(3);
    for (const id of ids) expect((await h.waitMessage(id)).content).toMatch(/^dead \d$/);
    for (const id of ids) expect(h.messagesFor(id)).toHaveLength(1);
  });
});
