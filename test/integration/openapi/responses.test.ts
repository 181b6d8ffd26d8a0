import { signatureHeaders } from '../../fakes/chatwoot';
import { signatureHeaders as registrationSignatureHeaders } from '../../../src/registration/signature';
import { ADMIN_TOKEN, WEBHOOK_SECRET } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import type { BotHarness } from '../bots/bot-harness';
import { CheckedClient, type Answer } from './checked-client';
import { HOOK_TOKEN, REGISTRATION_SECRET, startFullDaemon } from './full-daemon';
import { loadDocument, operations } from './openapi-doc';

const doc = loadDocument();
/** Signed as the backend signs its calls to Ponte. */
const signRegistration = (raw: string) => registrationSignatureHeaders(REGISTRATION_SECRET, raw);
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

/**
 * Real answers of a running daemon (simulator, strict Chatwoot and Typebot stand-ins, real Redis), each
 * checked against the OpenAPI document (src/http/openapi/, served at /openapi.json) by CheckedClient, successes and refusals alike. The tests share one
 * daemon and run in order; the last one checks every documented operation was exercised.
 */
describe('the running daemon answers as its OpenAPI document says', () => {
  let h: BotHarness;
  let api: CheckedClient;
  beforeAll(async () => {
    h = await startFullDaemon();
    api = new CheckedClient(doc, () => h.url(), ADMIN_TOKEN);
  });
  afterAll(async () => {
    await h?.stop();
  });

  /** Chatwoot's application API, as an agent's browser would call it. */
  async function chatwoot(method: string, path: string, body?: unknown): Promise<any> {
    const res = await fetch(`${h.chatwoot.baseUrl}/api/v1/accounts/1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', api_access_token: h.chatwoot.apiToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json();
  }

  /** A webhook signed as Chatwoot signs it. */
  const webhook = (body: unknown, headers: Record<string, string> = {}): Promise<Answer> => {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    return api.call('POST', '/webhooks/chatwoot', { body: raw, headers: { ...signatureHeaders(WEBHOOK_SECRET, raw), ...headers } });
  };

  /** An agent's reply, as Chatwoot's message_created webhook carries it. */
  function agentReply(message: { id: number; content: string }, conversation: { id: number; source_id: string; phone: string }) {
    const [, example] = api.examples('post', '/webhooks/chatwoot').find(([name]) => name === 'agentReply')!;
    const body = structuredClone(example) as Record<string, any>;
    Object.assign(body, { id: message.id, content: message.content });
    Object.assign(body.conversation, {
      id: conversation.id,
      contact_inbox: { source_id: conversation.source_id },
      meta: { sender: { phone_number: conversation.phone } },
    });
    return body;
  }

  test('health, readiness (ready, then not ready while a session connects), metrics, and the admin page with its redirects', async () => {
    expect((await api.call('GET', '/healthz')).json.status).toBe('ok');
    await waitFor(async () => (await api.call('GET', '/readyz')).status === 200, 5000, 50, 'ready');
    await api.call('POST', '/admin/simulator/main/state', { body: { state: 'CONNECTING' } });
    const notReady = await api.call('GET', '/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.json.reasons).toContain('session main is still CONNECTING');
    await api.call('POST', '/admin/simulator/main/state', { body: { state: 'CONNECTED' } });
    expect((await api.call('GET', '/metrics')).text).toContain('ponte_');

    expect((await api.call('GET', '/')).headers.get('location')).toBe('/admin/ui');
    expect((await api.call('GET', '/admin/ui/')).status).toBe(301);
    expect((await api.call('GET', '/admin/ui')).text).toContain('<html');
    expect((await api.call('GET', '/admin/ui/app.js')).status).toBe(200);
    expect((await api.call('GET', '/admin/ui/app.css')).status).toBe(200);

    // The document itself, without a token, and its page.
    expect((await api.call('GET', '/openapi.json')).json).toEqual(doc);
    const page = await api.call('GET', '/admin/ui/api');
    expect(page.text).toContain('<code>POST /hooks/registrations/{id}/decision</code>');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  test('sessions: without the token or with a wrong one 401; listing, one session, an unknown one; login by QR and by code (the documented examples), the QR as SVG, a bad phone with its problem, logout', async () => {
    expect((await api.call('GET', '/admin/sessions', { auth: 'none' })).status).toBe(401);
    expect((await api.call('GET', '/admin/sessions', { auth: 'wrong' })).json.error.code).toBe('unauthorized');
    expect((await api.call('GET', '/admin/sessions')).json.sessions.map((s: { id: string }) => s.id)).toEqual(['main', 'pairing']);
    expect((await api.call('GET', '/admin/sessions/main')).json.state).toBe('CONNECTED');
    expect((await api.call('GET', '/admin/sessions/nope')).json.error.code).toBe('unknown_session');
    expect((await api.call('GET', '/admin/sessions/main/qr.svg')).json.error.code).toBe('no_qr');

    for (const [name, body] of api.examples('post', '/admin/sessions/{id}/login')) {
      expect([name, (await api.call('POST', '/admin/sessions/pairing/login', { body })).status]).toEqual([name, 200]);
    }
    await api.call('POST', '/admin/sessions/pairing/login', { body: {} });
    await waitFor(async () => (await api.call('GET', '/admin/sessions/pairing')).json.pairing?.qr, 5000, 50, 'a QR code');
    const qr = await api.call('GET', '/admin/sessions/pairing/qr.svg');
    expect(qr.text).toContain('<svg');

    const badPhone = await api.call('POST', '/admin/sessions/pairing/login', { body: { phone: '912345678' } });
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.error.details.problems[0]).toMatch(/^phone: .*country code/);
    expect((await api.call('DELETE', '/admin/sessions/pairing')).json.state).toBe('LOGGED_OUT');
    expect((await api.call('DELETE', '/admin/sessions/nope')).status).toBe(404);
  });

  test('sessions at run time: added (the documented example, and one with an inbox made in Chatwoot), changed, refused, removed', async () => {
    const inbox = await chatwoot('POST', '/inboxes', {
      name: 'Extra',
      channel: { type: 'api', webhook_url: 'http://127.0.0.1:9/webhooks/chatwoot' },
    });
    const added = await api.call('POST', '/admin/sessions', { body: { session: { id: 'extra', engine: 'simulator', inboxId: inbox.id } } });
    expect([added.status, added.json.settings.inboxId]).toEqual([201, inbox.id]);
    for (const [name, body] of api.examples('post', '/admin/sessions')) {
      // No http.publicUrl here: Chatwoot could not be told where Ponte is, so no inbox is made.
      const answer = await api.call('POST', '/admin/sessions', { body });
      expect([name, answer.status, answer.json.error.code]).toEqual([name, 502, 'inbox_not_created']);
    }
    expect(
      (await api.call('POST', '/admin/sessions', { body: { session: { id: 'main', engine: 'simulator', inboxId: 1 } } })).json.error.code,
    ).toBe('session_exists');
    expect((await api.call('POST', '/admin/sessions', { body: { session: { id: 'x', engine: 'nope' } } })).status).toBe(400);
    for (const [name, body] of api.examples('patch', '/admin/sessions/{id}')) {
      expect([name, (await api.call('PATCH', '/admin/sessions/extra', { body })).status]).toEqual([name, 200]);
    }
    expect((await api.call('PATCH', '/admin/sessions/main', { body: { groups: 'ignore' } })).json.error.code).toBe('config_session');
    expect((await api.call('PATCH', '/admin/sessions/extra', { body: { maxMediaMB: 'lots' } })).status).toBe(400);
    expect((await api.call('POST', '/admin/sessions/extra/remove')).json.removed).toBe('extra');
    expect((await api.call('POST', '/admin/sessions/extra/remove')).status).toBe(404);
  });

  test('simulator control: the documented examples, a body missing what its type needs, an unknown session, what was sent', async () => {
    for (const [name, body] of api.examples('post', '/admin/simulator/{session}/inbound')) {
      expect([name, (await api.call('POST', '/admin/simulator/main/inbound', { body })).json.delivered]).toEqual([name, true]);
    }
    const missing = await api.call('POST', '/admin/simulator/main/inbound', { body: { from: '+351912345678', type: 'text' } });
    expect(missing.json.error.details.problems).toEqual(['text: a text message needs "text"']);
    expect(
      (await api.call('POST', '/admin/simulator/nope/inbound', { body: { from: '+351912345678', type: 'text', text: 'x' } })).status,
    ).toBe(404);
    // The bot greets the customer of the examples: what Ponte sent shows up.
    await waitFor(async () => (await api.call('GET', '/admin/simulator/main/sent')).json.sent.length > 0, 5000, 50, 'a sent message');

    for (const [name, body] of api.examples('post', '/admin/simulator/{session}/state')) {
      expect([name, (await api.call('POST', '/admin/simulator/main/state', { body })).json.state]).toEqual([
        name,
        (body as { state: string }).state,
      ]);
    }
    expect((await api.call('POST', '/admin/simulator/main/state', { body: { state: 'ASLEEP' } })).status).toBe(400);

    for (const [name, body] of api.examples('post', '/admin/simulator/{session}/control')) {
      expect([name, (await api.call('POST', '/admin/simulator/main/control', { body })).status]).toEqual([name, 200]);
    }
    expect((await api.call('POST', '/admin/simulator/main/control', { body: { withholdAcks: false } })).status).toBe(200);
    expect((await api.call('POST', '/admin/simulator/main/control', { body: { failNextSend: 3 } })).status).toBe(400);
  });

  test("Chatwoot's webhook: unsigned 401, unreadable 400, wrong shape 422, a private note ignored, an agent's reply queued once and sent on WhatsApp once", async () => {
    expect((await api.call('POST', '/webhooks/chatwoot', { body: { event: 'message_created' } })).json.error.code).toBe('unauthorized');
    expect((await webhook('{"event": "message_created"')).json.error.code).toBe('malformed_json');
    expect((await webhook({ event: 'message_created', message_type: 'outgoing', id: 'one', conversation: { id: 1 } })).status).toBe(422);
    const [, privateNote] = api.examples('post', '/webhooks/chatwoot').find(([name]) => name === 'privateNote')!;
    expect((await webhook(privateNote)).json).toEqual({ status: 'ignored', reason: 'private_note' });

    // The customer of the simulator examples has a conversation by now; an agent answers in it.
    const conv = await waitFor(
      () => h.chatwoot.conversations().find((c) => c.source_id === '351912345678@c.us'),
      5000,
      25,
      'the conversation',
    );
    const content = 'Olá! A sua encomenda já saiu.';
    const message = await chatwoot('POST', `/conversations/${conv.id}/messages`, { content, message_type: 'outgoing', private: false });
    const body = agentReply({ id: message.id, content }, { id: conv.id, source_id: conv.source_id, phone: '+351912345678' });
    expect((await webhook(body, { 'X-Chatwoot-Delivery': 'delivery-1' })).json).toEqual({ status: 'queued' });
    expect((await webhook(body, { 'X-Chatwoot-Delivery': 'delivery-1' })).json).toEqual({ status: 'duplicate' });
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === content),
      5000,
      25,
      'the reply on WhatsApp',
    );
    expect(
      h
        .sim()
        .sent()
        .filter((s) => s.message.text === content),
    ).toHaveLength(1);
  });

  test("message journeys: a chat's recent ones, one by its id, an unknown id, a bad chat and a bad since", async () => {
    const listed = await waitFor(
      async () => {
        const journeys = (await api.call('GET', '/admin/messages?chat=%2B351912345678&since=1h')).json.journeys as Array<{ id: string }>;
        return journeys.length > 0 && journeys;
      },
      5000,
      50,
      "the chat's journeys",
    );
    expect((await api.call('GET', `/admin/messages/${encodeURIComponent(listed[0].id)}`)).json.id).toBe(listed[0].id);
    expect((await api.call('GET', '/admin/messages/nope')).status).toBe(404);
    expect((await api.call('GET', '/admin/messages?chat=nobody')).json.error.code).toBe('bad_request');
    expect((await api.call('GET', '/admin/messages?chat=%2B351912345678&since=yesterday')).status).toBe(400);
  });

  test('media links: the file a user sent to a flow (with and without its name), a forged link 403', async () => {
    const phone = '+351913000555';
    h.inject({ from: phone, type: 'text', text: 'Olá' });
    await h.waitSent(phone, 1);
    h.inject({ from: phone, type: 'image', media: { mimetype: 'image/png', filename: 'recibo.png', base64: PNG.toString('base64') } });
    await h.waitSent(phone, 2);
    const answers = h.typebot.sessions.flatMap((s) => h.typebot.answersReceived(s.sessionId));
    const link = new URL(answers.find((a) => a.variable === 'Recibo')!.content);
    const file = await api.call('GET', link.pathname);
    expect([file.status, file.headers.get('content-type')]).toEqual([200, 'image/png']);
    const token = link.pathname.split('/')[2];
    expect((await api.call('GET', `/media/${token}`)).status).toBe(200);
    const forged = await api.call('GET', `/media/${token.slice(0, -4)}AAAA/recibo.png`);
    expect(forged.json.error).toBe('forbidden');
  });

  test('bots: the chats and who has them, a restart, a resume of the chat an agent took, and both refusals', async () => {
    const chats = (await api.call('GET', '/admin/bots?session=main')).json.chats as Array<{ chatKey: string; mode: string }>;
    expect(chats).toEqual(
      expect.arrayContaining([
        { session: 'main', chatKey: '351913000555@c.us', mode: 'bot' },
        { session: 'main', chatKey: '351912345678@c.us', mode: 'human' },
      ]),
    );
    expect((await api.call('POST', '/admin/bots/main/351913000555@c.us/restart')).json).toEqual({ restarting: true });
    expect((await api.call('POST', '/admin/bots/main/351912345678@c.us/resume')).json).toEqual({ resumed: true });
    expect((await api.call('POST', '/admin/bots/main/351912345678@c.us/resume')).json.error.code).toBe('not_paused');
    expect((await api.call('POST', '/admin/bots/main/351919999990@c.us/restart')).json.error.code).toBe('unknown_chat');
  });

  test("flow starts: the documented examples (the session's bot starts; a bot this daemon lacks is 404), the chat then taken, a bad phone, an unknown session", async () => {
    const examples = Object.fromEntries(api.examples('post', '/admin/sessions/{id}/flows'));
    const started = await api.call('POST', '/admin/sessions/main/flows', { body: examples.sessionBot });
    expect([started.status, started.json.bot, started.json.chatKey]).toEqual([202, 'helper', '351912345679@c.us']);
    expect((await api.call('POST', '/admin/sessions/main/flows', { body: examples.invite })).json.error.code).toBe('unknown_bot');
    await h.waitSent('+351912345679', 1);
    expect((await api.call('POST', '/admin/sessions/main/flows', { body: examples.sessionBot })).status).toBe(409);
    expect((await api.call('POST', '/admin/sessions/main/flows', { body: { phone: '912' } })).json.error.code).toBe('invalid_request');
    expect((await api.call('POST', '/admin/sessions/nope/flows', { body: examples.sessionBot })).json.error.code).toBe('unknown_session');
  });

  test('dead letters: a reply to a number without WhatsApp becomes one; list, one, replay it, the documented replays, and the refusals', async () => {
    h.sim().numbers.set('351919999999', null);
    const created = await chatwoot('POST', '/contacts', { inbox_id: 1, name: 'Sem WhatsApp', phone_number: '+351919999999' });
    const sourceId = created.payload.contact_inbox.source_id as string;
    const conv = await chatwoot('POST', '/conversations', { source_id: sourceId, inbox_id: 1, contact_id: created.payload.contact.id });
    const message = await chatwoot('POST', `/conversations/${conv.id}/messages`, {
      content: 'Bom dia',
      message_type: 'outgoing',
      private: false,
    });
    expect(
      (await webhook(agentReply({ id: message.id, content: 'Bom dia' }, { id: conv.id, source_id: sourceId, phone: '+351919999999' }))).json
        .status,
    ).toBe('queued');

    const entries = await waitFor(
      async () => {
        const listed = (await api.call('GET', '/admin/dlq?queue=outbound')).json.entries as Array<{ id: string; reason: string }>;
        return listed.length > 0 && listed;
      },
      10_000,
      50,
      'a dead letter',
    );
    expect(entries[0].reason).toContain('+351919999999 has no WhatsApp account');
    const one = await api.call('GET', `/admin/dlq/outbound/${encodeURIComponent(entries[0].id)}`);
    expect(one.json.id).toBe(entries[0].id);
    expect((await api.call('POST', '/admin/dlq/replay', { body: { id: entries[0].id } })).json).toEqual({ replayed: [entries[0].id] });
    for (const [name, body] of api.examples('post', '/admin/dlq/replay')) {
      expect([name, (await api.call('POST', '/admin/dlq/replay', { body })).status]).toEqual([name, 200]);
    }
    expect((await api.call('GET', '/admin/dlq')).status).toBe(200);
    expect((await api.call('GET', '/admin/dlq?queue=bogus')).json.error.code).toBe('unknown_queue');
    expect((await api.call('GET', '/admin/dlq/outbound/nope')).status).toBe(404);
    expect((await api.call('POST', '/admin/dlq/replay', { body: {} })).json.error.details.problems).toHaveLength(1);
    expect((await api.call('POST', '/admin/dlq/replay', { body: { id: 'nope' } })).status).toBe(404);
  });

  test('registrations: the hook refuses a missing token and an unreadable body, takes the documented examples; listing, one, the refusals of retry', async () => {
    expect((await api.call('POST', '/hooks/typebot/registration', { body: { nif: '1' } })).status).toBe(401);
    expect((await api.call('POST', `/hooks/typebot/registration?token=${HOOK_TOKEN}`, { body: '{"nif": ' })).json.error.code).toBe(
      'malformed_json',
    );
    const ids: string[] = [];
    for (const [name, body] of api.examples('post', '/hooks/typebot/registration')) {
      const taken = await api.call('POST', `/hooks/typebot/registration?token=${HOOK_TOKEN}`, { body });
      expect([name, taken.status]).toEqual([name, 202]);
      ids.push(taken.json.registrationId);
    }
    const listed = (await api.call('GET', '/admin/registrations')).json.registrations.map((r: { id: string }) => r.id);
    expect(listed).toEqual(expect.arrayContaining(ids));
    expect((await api.call('GET', '/admin/registrations?status=fixing&limit=10')).status).toBe(200);
    expect((await api.call('GET', '/admin/registrations?status=bogus')).json.error.code).toBe('bad_status');
    const record = (await api.call('GET', `/admin/registrations/${ids[0]}`)).json;
    expect(record.id).toBe(ids[0]);
    expect((await api.call('GET', '/admin/registrations/nope')).status).toBe(404);
    expect((await api.call('POST', '/admin/registrations/nope/retry')).status).toBe(404);
    // Its files are missing: the driver is asked for them, and it cannot be sent as it is.
    expect(record).toMatchObject({ status: 'fixing', fixing: ['cnh_frente', 'cnh_verso', 'comprovante_morada'] });
    expect((await api.call('POST', `/admin/registrations/${ids[0]}/retry`)).json.error.code).toBe('invalid');
  });

  test('registration decisions: the documented examples on delivered registrations (202), the same again (200), another (409), signed or by token, and each refusal', async () => {
    const store = h.daemon.relay!.bots!.registration!.store;
    /** A registration taken by the hook and marked as the backend's: the endpoint here is never called. */
    const delivered = async (n: number): Promise<string> => {
      const body = {
        resultId: `decision-example-${n}`,
        nome_completo: 'Ana Lopes',
        nif: '501442600',
        telefone: `+35191300090${n}`,
        email: 'ana@example.pt',
        morada: 'Rua 2',
        codigo_postal: '4000-002',
        cidade: 'Porto',
      };
      const id = (await api.call('POST', `/hooks/typebot/registration?token=${HOOK_TOKEN}`, { body })).json.registrationId as string;
      const rec = (await store.get(id))!;
      Object.assign(rec, { status: 'delivered', announced: true, driverId: String(n), deliveredAt: Date.now() });
      delete rec.fixing;
      delete rec.problems;
      await store.save(rec);
      return id;
    };
    const decide = (id: string, body: unknown, via: 'token' | 'signature' | 'none' = 'token') => {
      const raw = typeof body === 'string' ? body : JSON.stringify(body);
      const path = `/hooks/registrations/${id}/decision${via === 'token' ? `?token=${HOOK_TOKEN}` : ''}`;
      return api.call('POST', path, { body: raw, headers: via === 'signature' ? signRegistration(raw) : {} });
    };
    const ids: string[] = [];
    for (const [name, body] of api.examples('post', '/hooks/registrations/{id}/decision')) {
      const id = await delivered(ids.length + 1);
      ids.push(id);
      const taken = await decide(id, body, ids.length === 1 ? 'signature' : 'token');
      expect([name, taken.status, taken.json.repeated]).toEqual([name, 202, false]);
    }
    const [, approved] = api.examples('post', '/hooks/registrations/{id}/decision').find(([name]) => name === 'approved')!;
    expect((await decide(ids[0], approved)).json.repeated).toBe(true);
    expect((await decide(ids[0], { decision: 'rejected' })).json.error.code).toBe('decision_recorded');
    await waitFor(
      async () => (await api.call('GET', `/admin/registrations/${ids[0]}`)).json.decisions?.[0]?.passedOnAt,
      5000,
      50,
      'the decision kept on the registration',
    );
    expect((await decide('reg-nope', approved)).status).toBe(404);
    expect((await decide(ids[0], approved, 'none')).status).toBe(401);
    expect((await decide(ids[0], '{"decision": ')).json.error.code).toBe('malformed_json');
    expect((await decide(ids[0], { decision: 'maybe' })).json.error.code).toBe('invalid_request');
    expect((await decide(ids[0], { decision: 'needs_changes', fields: ['iban'] })).json.error.code).toBe('unknown_field');
    expect((await decide(ids[0], { decision: 'approved', message: 'x'.repeat(20_000) })).status).toBe(413);
    const fixing = (await api.call('GET', '/admin/registrations?status=fixing')).json.registrations.find(
      (r: { id: string }) => !ids.includes(r.id),
    ).id;
    expect((await decide(fixing, approved)).json.error.code).toBe('not_delivered');
  });

  test('fleet: the daemons on this Redis (this one alone); a move to itself, to a daemon not running (the documented example), refusals', async () => {
    const fleet = (await api.call('GET', '/admin/fleet')).json;
    expect(fleet.shared).toBe(true);
    expect(fleet.daemons).toHaveLength(1);
    const self = fleet.daemons[0];
    expect(self.sessions).toEqual(['main', 'pairing']);
    expect((await api.call('POST', '/admin/sessions/main/move', { body: { to: self.id } })).json).toMatchObject({
      session: 'main',
      from: self.id,
      to: self.id,
      tookMs: 0,
    });
    for (const [name, body] of api.examples('post', '/admin/sessions/{id}/move')) {
      expect([name, (await api.call('POST', '/admin/sessions/main/move', { body })).json.error.code]).toEqual([name, 'unknown_daemon']);
    }
    expect((await api.call('POST', '/admin/sessions/main/move', { body: {} })).json.error.details.problems).toHaveLength(1);
    expect((await api.call('POST', '/admin/sessions/nope/move', { body: { to: self.id } })).json.error.code).toBe('unknown_session');
  });

  test('the checks bite: the same calls fail against a document that says otherwise', async () => {
    const wrong = structuredClone(doc);
    wrong.components.schemas.Health.properties.pid = { type: 'string' };
    wrong.paths['/metrics'].get.responses['200'].content = { 'application/json': { schema: { type: 'object' } } };
    wrong.paths['/admin/sessions/{id}'].get.responses = { '200': wrong.paths['/admin/sessions/{id}'].get.responses['200'] };
    const strict = new CheckedClient(wrong, () => h.url(), ADMIN_TOKEN);
    await expect(strict.call('GET', '/healthz')).rejects.toThrow(/\/pid must be string/);
    await expect(strict.call('GET', '/metrics')).rejects.toThrow(/Content-Type text\/plain.* not documented/);
    await expect(strict.call('GET', '/admin/sessions/nope')).rejects.toThrow(/404: status not documented/);
    await expect(strict.call('GET', '/admin/nothing-here')).rejects.toThrow(/not in docs\/openapi.yaml/);
  });

  test('every documented operation was exercised above, and neither stand-in refused a request', () => {
    const documented = operations(doc)
      .map((o) => `${o.method.toUpperCase()} ${o.path}`)
      .sort();
    expect([...api.exercised].sort()).toEqual(documented);
    // Each documented request example went to its route as it is written, but the agent's reply: its ids
    // must name a message in the stand-in's Chatwoot, so the test fills them in (agentReply above).
    const adapted = ['POST /webhooks/chatwoot agentReply'];
    expect([...api.examplesSent, ...adapted].sort()).toEqual(api.allExamples().sort());
    expect(h.chatwoot.rejections()).toEqual([]);
    expect(h.typebot.rejections).toEqual([]);
  });
});
