import { request } from '../../helpers/http';
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

const CREATE = { method: 'POST', path: /\/conversations\/\d+\/messages$/ };
const PEER = '+351912700001';
const PEER_JID = '351912700001@c.us';
/** A text no journey may hold. */
const SECRET = 'my card number is 4111';

interface Step {
  step: string;
  journey: string;
  [field: string]: unknown;
}
interface Journey {
  id: string;
  direction: string;
  session?: string;
  chat?: string;
  status: string;
  ids: { whatsapp: string[]; chatwoot: string[] };
  steps: Step[];
}

describe("messages' journeys (GET /admin/messages), both directions", () => {
  let h: Harness;
  let conversationId: number;

  const admin = <T = unknown>(path: string) => request<T>('GET', `${h.url()}/admin${path}`, { token: ADMIN_TOKEN });
  const journey = async (id: string) => (await admin<Journey>(`/messages/${encodeURIComponent(id)}`)).body;

  beforeAll(async () => {
    // Retries 200-400 ms apart: time enough to mend a failing send after its second failure.
    h = await startRelayHarness({ config: { queue: { baseDelayMs: 400, maxDelayMs: 400 } } });
    const first = await h.waitMessage(h.inject({ id: 'J-OPEN', from: PEER, type: 'text', text: 'Bom dia', pushName: 'Cliente' }));
    conversationId = first.conversation_id;
  });
  afterEach(() => h.chatwoot.clearFaults());
  afterAll(async () => {
    await h?.stop();
  });

  test('a message from WhatsApp that failed twice and was then posted: both failures with their reasons, by either id', async () => {
    const fault = h.chatwoot.fault(CREATE, { status: 500, times: 2 });
    const waId = h.inject({ id: 'J-IN-1', from: PEER, type: 'text', text: SECRET });
    const posted = await h.waitMessage(waId);
    expect(fault.hits).toBe(2);

    const res = await admin<Journey>(`/messages/${waId}`);
    expect(res.status).toBe(200);
    const j = res.body;
    expect(j).toMatchObject({
      id: waId,
      direction: 'from-whatsapp',
      session: 'main',
      chat: '•••0001@c.us',
      status: 'posted',
      ids: { whatsapp: [waId], chatwoot: [String(posted.id)] },
    });
    expect(j.steps.map((s) => s.step)).toEqual(['received', 'attempt-failed', 'attempt-failed', 'posted']);
    expect(j.steps[0]).toMatchObject({ via: 'engine', kind: 'text', lane: 'inbound' });
    const failures = j.steps.filter((s) => s.step === 'attempt-failed');
    expect(failures.map((s) => s.attempt)).toEqual([1, 2]);
    for (const f of failures) expect(f.reason).toMatch(/HTTP 500/);
    expect(j.steps[3]).toMatchObject({ chatwoot: posted.id, conversation: conversationId });

    // The Chatwoot id finds the same journey.
    expect((await journey(String(posted.id))).steps).toEqual(j.steps);
    // No message text, no full phone number.
    const text = JSON.stringify(j);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('912700001');
  });

  test("an agent's reply whose send failed twice, then went: received by the webhook, both failures, sent, ticks", async () => {
    const sim = h.sim();
    sim.failSends = 'the WhatsApp Web page crashed';
    const reply = await h.chatwoot.agentMessage(conversationId, { content: SECRET });
    const failedTwice = await waitFor(
      async () => {
        const r = await admin<Journey>(`/messages/${reply.id}`);
        return r.status === 200 && r.body.steps.filter((s) => s.step === 'attempt-failed').length >= 2 ? r.body : undefined;
      },
      10_000,
      20,
      'two failed sends in the journey',
    );
    sim.failSends = undefined;
    expect(failedTwice.steps.filter((s) => s.step === 'attempt-failed')).toHaveLength(2);
    const read = await waitFor(
      async () => {
        const j = await journey(String(reply.id));
        return j.status === 'read' ? j : undefined;
      },
      10_000,
      50,
      'the read tick in the journey',
    );
    expect(read).toMatchObject({ id: String(reply.id), direction: 'from-agents', session: 'main', chat: '•••0001@c.us' });
    const steps = read.steps.map((s) => s.step);
    expect(steps.slice(0, 4)).toEqual(['received', 'attempt-failed', 'attempt-failed', 'sent']);
    expect(read.steps[0]).toMatchObject({ via: 'webhook', lane: 'outbound' });
    for (const f of read.steps.filter((s) => s.step === 'attempt-failed')) {
      expect(f.reason).toBe('WhatsApp send failed: the WhatsApp Web page crashed');
    }
    expect(read.steps.filter((s) => s.step === 'tick').map((s) => s.status)).toEqual(['sent', 'delivered', 'read']);
    const waId = read.ids.whatsapp[0];
    expect(read.ids).toEqual({ whatsapp: [waId], chatwoot: [String(reply.id)] });
    expect(read.steps[3]).toMatchObject({ part: 0, whatsapp: waId });

    // The WhatsApp id of the part finds the same journey.
    expect((await journey(waId)).steps).toEqual(read.steps);
    expect(JSON.stringify(read)).not.toContain(SECRET);
    expect(JSON.stringify(read.steps)).not.toContain('912700001');
  });

  test('a dead-lettered message shows the dead letter with its reason, then the replay and the post', async () => {
    h.chatwoot.fault(CREATE, {
      status: 422,
      body: { message: 'Validation failed: Content is invalid', attributes: ['content'] },
      times: 1,
    });
    const waId = h.inject({ id: 'J-DLQ', from: PEER, type: 'text', text: 'refused once' });
    const dead = await waitFor(
      async () => {
        const j = await journey(waId);
        return j?.status === 'dead-letter' ? j : undefined;
      },
      10_000,
      20,
      'the dead letter in the journey',
    );
    const letter = dead.steps.find((s) => s.step === 'dead-letter')!;
    expect(letter).toMatchObject({
      queue: 'inbound',
      attempts: 1,
      reason: 'Chatwoot messages.create: HTTP 422: Validation failed: Content is invalid',
    });

    const replay = await request('POST', `${h.url()}/admin/dlq/replay`, { token: ADMIN_TOKEN, json: { id: letter.deadLetterId } });
    expect(replay.status).toBe(200);
    await h.waitMessage(waId);
    const after = await waitFor(
      async () => {
        const j = await journey(waId);
        return j.status === 'posted' ? j : undefined;
      },
      5000,
      20,
      'posted after the replay',
    );
    expect(after.steps.map((s) => s.step)).toEqual(['received', 'dead-letter', 'replayed', 'posted']);
    expect(after.steps[2]).toMatchObject({ queue: 'inbound', deadLetterId: letter.deadLetterId });
  });

  test("GET /admin/messages?chat= lists the chat's recent journeys, both directions, the most recent first", async () => {
    const res = await admin<{ since: string; journeys: Array<{ id: string; direction: string; status: string; kind?: string }> }>(
      `/messages?chat=${encodeURIComponent('+351 912 700 001')}&since=1h`,
    );
    expect(res.status).toBe(200);
    const ids = res.body.journeys.map((j) => j.id);
    expect(ids).toEqual(expect.arrayContaining(['J-OPEN', 'J-IN-1', 'J-DLQ']));
    expect(res.body.journeys.some((j) => j.direction === 'from-agents' && j.status === 'read')).toBe(true);
    expect(res.body.journeys[0].id).toBe('J-DLQ');
    expect(Date.now() - Date.parse(res.body.since)).toBeGreaterThanOrEqual(3600_000);

    const none = await admin<{ journeys: unknown[] }>(
      `/messages?chat=${encodeURIComponent(PEER_JID)}&since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(none.body.journeys).toEqual([]);
  });

  test('a customer WhatsApp knows by a linked id is found by their phone number too', async () => {
    const waId = h.inject({
      id: 'J-LID',
      from: '99887766554499@lid',
      phone: '+351912700099',
      pushName: 'Lia',
      type: 'text',
      text: 'hello',
    });
    await h.waitMessage(waId);
    const j = await waitFor(
      async () => {
        const r = await journey(waId);
        return r.status === 'posted' ? r : undefined;
      },
      5000,
      20,
      'posted',
    );
    expect(j.chat).toBe('•••4499@lid');
    expect(j.steps.find((s) => s.step === 'posted')).toMatchObject({ phone: '•••0099' });
    for (const chat of ['+351912700099', '99887766554499@lid']) {
      const found = await admin<{ journeys: Array<{ id: string }> }>(`/messages?chat=${encodeURIComponent(chat)}`);
      expect(found.body.journeys.map((x) => x.id)).toEqual(['J-LID']);
    }
  });

  test('an unknown id is a 404 saying why; a bad chat or since is a 400; no token, 401', async () => {
    const unknown = await admin<{ error: { code: string; message: string } }>('/messages/NEVER-SEEN');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/no journey for message NEVER-SEEN: not seen by Ponte, or .*journeys\.retentionHours/);
    const noChat = await admin<{ error: { message: string } }>('/messages');
    expect(noChat.status).toBe(400);
    expect(noChat.body.error.message).toMatch(/give chat=/);
    const badSince = await admin<{ error: { message: string } }>(`/messages?chat=${PEER_JID}&since=yesterday`);
    expect(badSince.status).toBe(400);
    expect(badSince.body.error.message).toMatch(/since must be a duration like 30m, 1h, 2d or an ISO time/);
    expect((await request('GET', `${h.url()}/admin/messages/J-IN-1`)).status).toBe(401);
  });
});
