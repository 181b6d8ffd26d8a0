import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';
import type { AxiosInstance } from 'axios';
import FormData from 'form-data';
import { ChatwootFake } from '../fakes/chatwoot';
import type { ChatwootFakeOptions } from '../fakes/chatwoot';

const TOKEN = 'cw-test-token';

function api(base: string, token = TOKEN, accountId = 1): AxiosInstance {
  return axios.create({
    baseURL: `${base}/api/v1/accounts/${accountId}`,
    headers: { api_access_token: token },
    validateStatus: () => true,
  });
}

interface Hit {
  headers: IncomingHttpHeaders;
  raw: string;
  json: Record<string, any>;
}

/** A stand-in for Ponte's webhook endpoint whose answer and speed each test can set. */
async function startReceiver(): Promise<{
  url: string;
  hits: Hit[];
  reply: { status: number; delayMs: number };
  close(): Promise<void>;
  server: Server;
}> {
  const hits: Hit[] = [];
  const reply = { status: 200, delayMs: 0 };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      hits.push({ headers: req.headers, raw, json: JSON.parse(raw) as Record<string, any> });
      setTimeout(() => {
        res.statusCode = reply.status;
        res.end('ok');
      }, reply.delayMs).unref();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/chatwoot`;
  return {
    url,
    hits,
    reply,
    server,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

async function withFake(opts: ChatwootFakeOptions, fn: (fake: ChatwootFake, cw: AxiosInstance) => Promise<void>): Promise<void> {
  const fake = new ChatwootFake(opts);
  const base = await fake.start();
  try {
    await fn(fake, api(base));
  } finally {
    await fake.stop();
  }
}

/** Contact + contact_inbox + conversation, the way a bridge sets up a WhatsApp chat. */
async function seedConversation(
  cw: AxiosInstance,
  phone = '+5511999998888',
  inboxId = 1,
): Promise<{ contactId: number; conversationId: number; sourceId: string }> {
  const sourceId = phone.slice(1);
  const c = await cw.post('/contacts', { inbox_id: inboxId, name: 'João', phone_number: phone, source_id: sourceId });
  expect(c.status).toBe(200);
  const contactId = c.data.payload.contact.id as number;
  const conv = await cw.post('/conversations', { source_id: sourceId, inbox_id: inboxId, contact_id: contactId });
  expect(conv.status).toBe(200);
  return { contactId, conversationId: conv.data.id as number, sourceId };
}

describe('ChatwootFake: application API', () => {
  const fake = new ChatwootFake({
    inboxes: [
      { id: 1, name: 'WhatsApp' },
      { id: 2, lockToSingleConversation: true },
    ],
  });
  let cw: AxiosInstance;
  let base: string;

  beforeAll(async () => {
    base = await fake.start();
    cw = api(base);
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  test('auth: bad or missing token is 401, a foreign account 404, unknown routes 404', async () => {
    expect((await api(base, 'nope').get('/conversations')).status).toBe(401);
    const missing = await axios.get(`${base}/api/v1/accounts/1/conversations`, { validateStatus: () => true });
    expect(missing.status).toBe(401);
    expect(missing.data).toEqual({ error: 'Invalid Access Token' });
    expect((await api(base, TOKEN, 99).get('/conversations')).status).toBe(404);
    expect((await cw.get('/nothing-here')).status).toBe(404);
    expect(fake.rejections().map((r) => r.kind)).toEqual(['auth', 'auth', 'not_found', 'not_found']);
    const profile = await axios.get(`${base}/api/v1/profile`, { headers: { api_access_token: TOKEN } });
    expect(profile.data).toMatchObject({ id: 1, pubsub_token: expect.any(String), accounts: [{ id: 1 }] });
  });

  test('contacts: E.164 enforced, identifier/email unique, phone not unique', async () => {
    const bad = await cw.post('/contacts', { inbox_id: 1, name: 'X', phone_number: '5511999998888' });
    expect(bad.status).toBe(422);
    expect(bad.data).toEqual({ message: 'Phone number should be in e164 format', attributes: ['phone_number'] });

    const a = await cw.post('/contacts', { inbox_id: 1, name: 'A', phone_number: '+5511999998888', identifier: 'wa:1', email: 'A@x.io' });
    expect(a.status).toBe(200);
    expect(a.data.payload.contact).toMatchObject({ phone_number: '+5511999998888', identifier: 'wa:1', email: 'a@x.io' });
    expect(a.data.payload.contact_inbox.source_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.data.payload.contact.contact_inboxes).toHaveLength(1);

    const dupId = await cw.post('/contacts', { inbox_id: 1, name: 'B', identifier: 'wa:1' });
    expect(dupId.status).toBe(422);
    expect(dupId.data).toEqual({ message: 'Identifier has already been taken', attributes: ['identifier'] });
    const dupEmail = await cw.post('/contacts', { inbox_id: 1, name: 'B', email: 'a@X.io' });
    expect(dupEmail.data).toEqual({ message: 'Email has already been taken', attributes: ['email'] });

    expect((await cw.post('/contacts', { inbox_id: 1, name: 'Same phone', phone_number: '+5511999998888' })).status).toBe(200);
    expect(fake.contacts()).toHaveLength(2);
  });

  test('contacts: exact filter, ILIKE search (with + encoded), merge on update', async () => {
    const { contactId } = await seedConversation(cw);
    const filter = await cw.post('/contacts/filter', {
      payload: [{ attribute_key: 'phone_number', filter_operator: 'equal_to', values: ['+5511999998888'], query_operator: null }],
    });
    expect(filter.status).toBe(200);
    expect(filter.data.meta).toEqual({ count: 1, current_page: 1 });
    expect(filter.data.payload[0].id).toBe(contactId);
    const none = await cw.post('/contacts/filter', {
      payload: [{ attribute_key: 'phone_number', filter_operator: 'equal_to', values: ['+55119999'] }],
    });
    expect(none.data.payload).toEqual([]);

    expect((await cw.get('/contacts/search?q=%2B551199999')).data.meta.count).toBe(1);
    // An unencoded '+' is a space in a query string, like on the real server.
    expect((await cw.get('/contacts/search?q=+551199999')).data.meta.count).toBe(0);
    expect((await cw.get('/contacts/search', { params: { q: 'JOÃO' } })).data.payload).toHaveLength(1);

    await cw.put(`/contacts/${contactId}`, { custom_attributes: { a: 1 } });
    const upd = await cw.put(`/contacts/${contactId}`, { custom_attributes: { b: 2 } });
    expect(upd.data.payload.custom_attributes).toEqual({ a: 1, b: 2 });
  });

  test('contact_inboxes: first_or_create, source_id clash with another contact is 422', async () => {
    const one = (await cw.post('/contacts', { inbox_id: 1, name: 'One', source_id: 'wa-1' })).data.payload.contact.id;
    const two = (await cw.post('/contacts', { inbox_id: 1, name: 'Two' })).data.payload.contact.id;
    const again = await cw.post(`/contacts/${one}/contact_inboxes`, { inbox_id: 1, source_id: 'wa-1' });
    expect(again.status).toBe(200);
    expect(again.data).toMatchObject({ source_id: 'wa-1', inbox: { id: 1 } });
    const clash = await cw.post(`/contacts/${two}/contact_inboxes`, { inbox_id: 1, source_id: 'wa-1' });
    expect(clash.status).toBe(422);
    expect(fake.contactInboxes().filter((ci) => ci.source_id === 'wa-1')).toHaveLength(1);
    expect((await cw.post(`/contacts/${two}/contact_inboxes`, { inbox_id: 9, source_id: 'x' })).status).toBe(404);
  });

  test('a body the swagger rejects is refused and recorded', async () => {
    const res = await cw.post('/contacts', { name: 'no inbox id' });
    expect(res.status).toBe(400);
    expect(fake.rejections()[0]).toMatchObject({ kind: 'schema', status: 400 });
    expect(fake.rejections()[0].reason).toContain("must have required property 'inbox_id'");
    expect(fake.contacts()).toHaveLength(0);
    const notJson = await cw.post('/contacts', 'name=x', { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    expect(notJson.status).toBe(400);
    const form = new FormData();
    form.append('inbox_id', '1');
    expect((await cw.post('/contacts', form.getBuffer(), { headers: form.getHeaders() })).status).toBe(400);
    expect(fake.contacts()).toHaveLength(0);
    const nullOperator = await cw.post('/contacts/filter', {
      payload: [{ attribute_key: 'name', filter_operator: 'equal_to', values: ['x'], query_operator: null }],
    });
    expect(nullOperator.status).toBe(200);
  });

  test('conversations: display ids, default open list, toggle_status, labels, custom attributes', async () => {
    const { contactId, conversationId, sourceId } = await seedConversation(cw);
    expect(conversationId).toBe(1);
    const second = await cw.post('/conversations', { source_id: sourceId, inbox_id: 1, contact_id: contactId, status: 'pending' });
    expect(second.data.id).toBe(2);
    expect((await cw.get('/conversations')).data.data.payload.map((c: { id: number }) => c.id)).toEqual([1]);
    const all = await cw.get('/conversations', { params: { status: 'all', source_id: sourceId, inbox_id: 1 } });
    expect(all.data.data.meta.all_count).toBe(2);

    const toggled = await cw.post('/conversations/1/toggle_status', { status: 'resolved' });
    expect(toggled.data).toEqual({
      meta: {},
      payload: { success: true, conversation_id: 1, current_status: 'resolved', snoozed_until: null },
    });
    expect(fake.messages(1).map((m) => m.message_type)).toEqual(['activity']);

    await cw.post('/conversations/1/labels', { labels: ['a', 'b'] });
    expect((await cw.post('/conversations/1/labels', { labels: ['c'] })).data).toEqual({ payload: ['c'] });
    await cw.post('/conversations/1/custom_attributes', { custom_attributes: { x: 1 } });
    expect((await cw.post('/conversations/1/custom_attributes', { custom_attributes: { y: 2 } })).data).toEqual({
      custom_attributes: { y: 2 },
    });
    expect((await cw.post('/conversations/1/toggle_typing_status', { typing_status: 'on' })).status).toBe(200);

    expect((await cw.get(`/contacts/${contactId}/conversations`)).data.payload).toHaveLength(2);
    expect((await cw.get('/conversations/77')).status).toBe(404);
    fake.deleteConversation(2);
    expect((await cw.get('/conversations/2')).status).toBe(404);
    expect((await cw.post('/conversations', { source_id: 'x', inbox_id: 5, contact_id: contactId })).status).toBe(404);
  });

  test('lock_to_single_conversation returns the existing last conversation', async () => {
    const { contactId, conversationId, sourceId } = await seedConversation(cw, '+5511988887777', 2);
    await cw.post(`/conversations/${conversationId}/toggle_status`, { status: 'resolved' });
    const again = await cw.post('/conversations', { source_id: sourceId, inbox_id: 2, contact_id: contactId });
    expect(again.data.id).toBe(conversationId);
    expect(again.data.status).toBe('resolved');
    expect(fake.conversations()).toHaveLength(1);
  });

  test('messages: JSON create answers integer message_type and unix created_at; source_id duplicates are kept', async () => {
    const { conversationId } = await seedConversation(cw);
    const res = await cw.post(`/conversations/${conversationId}/messages`, {
      content: 'hi',
      message_type: 'incoming',
      source_id: 'wamid.1',
      echo_id: 'e1',
    });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      content: 'hi',
      message_type: 0,
      conversation_id: 1,
      status: 'sent',
      source_id: 'wamid.1',
      echo_id: 'e1',
      sender: { type: 'contact' },
    });
    expect(Number.isInteger(res.data.created_at)).toBe(true);
    await cw.post(`/conversations/${conversationId}/messages`, { content: 'hi again', message_type: 'incoming', source_id: 'wamid.1' });
    expect(fake.messages(1).filter((m) => m.source_id === 'wamid.1')).toHaveLength(2);
    const out = await cw.post(`/conversations/${conversationId}/messages`, { content: 'note', private: true });
    expect(out.data).toMatchObject({ message_type: 1, private: true, sender: { type: 'user' } });

    const empty = await cw.post(`/conversations/${conversationId}/messages`, { content: '' });
    expect(empty.status).toBe(422);
    expect((await cw.post(`/conversations/${conversationId}/messages`, { content: 'x'.repeat(150_001) })).status).toBe(422);
    expect((await cw.post(`/conversations/${conversationId}/messages`, { content: 'x', message_type: 'template' })).status).toBe(400);
    expect((await cw.post('/conversations/99/messages', { content: 'x' })).status).toBe(404);
  });

  test('messages: multipart attachments are stored byte-identical, file_type from MIME, in_reply_to_external_id resolved', async () => {
    const { conversationId } = await seedConversation(cw);
    await cw.post(`/conversations/${conversationId}/messages`, { content: 'quoted', message_type: 'incoming', source_id: 'wamid.Q' });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 1, 2, 3, 250, 251]);
    const pdf = Buffer.from('%PDF-1.4 binary \u0000\u00ff', 'latin1');
    const form = new FormData();
    form.append('message_type', 'incoming');
    form.append('source_id', 'wamid.R');
    form.append('private', 'false');
    form.append('content_attributes', JSON.stringify({ in_reply_to_external_id: 'wamid.Q' }));
    form.append('attachments[]', jpeg, { filename: 'photo.jpg', contentType: 'image/jpeg' });
    form.append('attachments[]', pdf, { filename: 'invoice.pdf', contentType: 'application/pdf' });
    form.append('attachments[]', Buffer.from('ogg'), { filename: 'voice.ogg', contentType: 'audio/ogg; codecs=opus' });
    const res = await cw.post(`/conversations/${conversationId}/messages`, form.getBuffer(), { headers: form.getHeaders() });
    expect(res.status).toBe(200);
    expect(res.data.content).toBeNull();
    expect(res.data.attachments.map((a: { file_type: string }) => a.file_type)).toEqual(['image', 'file', 'audio']);
    const stored = fake.messages(conversationId).find((m) => m.source_id === 'wamid.R');
    expect(stored?.attachments[0].data.equals(jpeg)).toBe(true);
    expect(stored?.attachments[1].data.equals(pdf)).toBe(true);
    const quoted = fake.messages(conversationId).find((m) => m.source_id === 'wamid.Q');
    expect(stored?.content_attributes).toEqual({ in_reply_to_external_id: 'wamid.Q', in_reply_to: quoted?.id });

    const dl = await axios.get(res.data.attachments[1].data_url, { responseType: 'arraybuffer' });
    expect(Buffer.from(dl.data).equals(pdf)).toBe(true);
    expect(dl.headers['content-type']).toBe('application/pdf');

    const wrongField = new FormData();
    wrongField.append('attachments', jpeg, { filename: 'a.jpg', contentType: 'image/jpeg' });
    expect(
      (await cw.post(`/conversations/${conversationId}/messages`, wrongField.getBuffer(), { headers: wrongField.getHeaders() })).status,
    ).toBe(422);
  });

  test('messages: at most 15 attachments', async () => {
    const { conversationId } = await seedConversation(cw);
    const post = (n: number) => {
      const form = new FormData();
      for (let i = 0; i < n; i++)
        form.append('attachments[]', Buffer.from([i]), { filename: `f${i}.bin`, contentType: 'application/octet-stream' });
      return cw.post(`/conversations/${conversationId}/messages`, form.getBuffer(), { headers: form.getHeaders() });
    };
    expect((await post(15)).status).toBe(200);
    const tooMany = await post(16);
    expect(tooMany.status).toBe(422);
    expect(tooMany.data.error).toContain('Attachments exceeded maximum allowed');
    expect(fake.messages(conversationId)).toHaveLength(1);
  });

  test('messages: 200 per minute per conversation, then 422 Too many messages', async () => {
    const { conversationId } = await seedConversation(cw);
    const results = await Promise.all(
      Array.from({ length: 201 }, (_, i) =>
        cw.post(`/conversations/${conversationId}/messages`, { content: `m${i}`, message_type: 'incoming' }),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(200);
    const refused = results.filter((r) => r.status === 422);
    expect(refused).toHaveLength(1);
    expect(refused[0].data.error).toContain('Too many messages');
    expect(fake.rejections().map((r) => r.kind)).toEqual(['rate_limit']);
    // Another conversation is not affected.
    const other = await seedConversation(cw, '+5511911112222');
    expect((await cw.post(`/conversations/${other.conversationId}/messages`, { content: 'ok' })).status).toBe(200);
  });

  test('an incoming message reopens a resolved conversation; GET messages pages with before/after', async () => {
    const { conversationId } = await seedConversation(cw);
    await cw.post(`/conversations/${conversationId}/toggle_status`, { status: 'resolved' });
    await cw.post(`/conversations/${conversationId}/messages`, { content: 'back again', message_type: 'incoming' });
    expect(fake.conversations()[0].status).toBe('open');
    for (let i = 0; i < 25; i++) await cw.post(`/conversations/${conversationId}/messages`, { content: `n${i}` });
    const latest = (await cw.get(`/conversations/${conversationId}/messages`)).data.payload as Array<{ id: number }>;
    expect(latest).toHaveLength(20);
    const firstId = fake.messages(conversationId)[0].id;
    const after = (await cw.get(`/conversations/${conversationId}/messages`, { params: { after: firstId } })).data.payload;
    expect(after).toHaveLength(fake.messages(conversationId).length - 1);
    const before = (await cw.get(`/conversations/${conversationId}/messages`, { params: { before: latest[0].id } })).data.payload;
    expect(before.every((m: { id: number }) => m.id < latest[0].id)).toBe(true);
  });

  test('PATCH status: read->delivered and unknown statuses ignored, external_error only on failed; DELETE', async () => {
    const { conversationId } = await seedConversation(cw);
    const id = (await cw.post(`/conversations/${conversationId}/messages`, { content: 'x' })).data.id as number;
    const patch = (body: object) => cw.patch(`/conversations/${conversationId}/messages/${id}`, body);
    expect((await patch({ status: 'delivered', external_error: 'ignored' })).data.content_attributes).toEqual({});
    expect((await patch({ status: 'read' })).data.status).toBe('read');
    const back = await patch({ status: 'delivered' });
    expect([back.status, back.data.status]).toEqual([200, 'read']);
    expect((await patch({ status: 'bogus' })).data.status).toBe('read');
    const failed = await patch({ status: 'failed', external_error: 'WA said no' });
    expect(failed.data).toMatchObject({ status: 'failed', content_attributes: { external_error: 'WA said no' } });
    expect((await patch({ status: 'sent' })).data.content_attributes).toEqual({});

    const del = await cw.delete(`/conversations/${conversationId}/messages/${id}`);
    expect(del.data).toMatchObject({ content: 'This message was deleted', content_attributes: { deleted: true } });
    expect(fake.rejections()).toEqual([]);
  });

  test('faults: status with times, 429 Retry-After, probability 0, latency, hang; a fired fault changes nothing', async () => {
    const f = fake.fault({ method: 'POST', path: '/contacts' }, { status: 503, times: 1 });
    const first = await cw.post('/contacts', { inbox_id: 1, name: 'A' });
    expect(first.status).toBe(503);
    expect(fake.contacts()).toHaveLength(0);
    expect((await cw.post('/contacts', { inbox_id: 1, name: 'A' })).status).toBe(200);
    expect(f.hits).toBe(1);

    fake.fault({ path: /\/contacts\/search$/ }, { retryAfterSeconds: 7, times: 1 });
    const limited = await cw.get('/contacts/search', { params: { q: 'A' } });
    expect([limited.status, limited.headers['retry-after']]).toEqual([429, '7']);
    expect(fake.requests().filter((r) => r.fault)).toHaveLength(2);

    const never = fake.fault({ path: '/conversations' }, { status: 500, probability: 0 });
    expect((await cw.get('/conversations')).status).toBe(200);
    never.clear();

    fake.fault({ method: 'GET', path: '/conversations' }, { latencyMs: 150, times: 1 });
    const t0 = Date.now();
    expect((await cw.get('/conversations')).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    fake.fault({ path: '/conversations' }, { hang: true });
    await expect(cw.post('/conversations', { source_id: 'x' }, { timeout: 200 })).rejects.toMatchObject({ code: 'ECONNABORTED' });
    fake.clearFaults();
    expect(fake.conversations()).toHaveLength(0);
    expect(fake.rejections()).toEqual([]);
  });

  test('summary lists what Chatwoot received', async () => {
    const { conversationId } = await seedConversation(cw);
    await cw.post(`/conversations/${conversationId}/messages`, { content: 'Olá', message_type: 'incoming', source_id: 'wamid.9' });
    const text = fake.summary();
    expect(text).toContain('1 contact(s), 1 conversation(s), 1 message(s)');
    expect(text).toContain('+5511999998888');
    expect(text).toMatch(/in\s+"Olá" source_id=wamid\.9 status=sent/);
    // As a person reads it: line breaks marked, quotes and accents as typed, no escapes.
    await cw.post(`/conversations/${conversationId}/messages`, {
      content: 'Linha "um"\nsegunda ção',
      message_type: 'incoming',
      source_id: 'wamid.10',
    });
    expect(fake.summary()).toContain('"Linha "um" ⏎ segunda ção" source_id=wamid.10');
  });
});

describe('ChatwootFake: status updates before 4.2', () => {
  test('PATCH message is a 404 when supportsStatusUpdate=false', async () => {
    await withFake({ supportsStatusUpdate: false }, async (fake, cw) => {
      const { conversationId } = await seedConversation(cw);
      const id = (await cw.post(`/conversations/${conversationId}/messages`, { content: 'x' })).data.id as number;
      expect((await cw.patch(`/conversations/${conversationId}/messages/${id}`, { status: 'read' })).status).toBe(404);
      expect(fake.messages(conversationId)[0].status).toBe('sent');
    });
  });
});

describe('ChatwootFake: webhooks', () => {
  const SECRET = 'whsec-test';
  let rx: Awaited<ReturnType<typeof startReceiver>>;
  beforeEach(async () => {
    rx = await startReceiver();
  });
  afterEach(() => rx.close());

  test('agentMessage posts a signed message_created whose data_url redirects to the bytes', async () => {
    await withFake({ webhook: { url: rx.url, secret: SECRET }, emitApiEvents: false }, async (fake, cw) => {
      const { conversationId, sourceId } = await seedConversation(cw);
      const quoted = (
        await cw.post(`/conversations/${conversationId}/messages`, { content: 'q', message_type: 'incoming', source_id: 'wamid.Q' })
      ).data.id;
      const pdf = Buffer.from('%PDF-1.7 fake invoice');
      const msg = await fake.agentMessage(conversationId, {
        content: 'Here is your invoice',
        inReplyTo: quoted,
        attachments: [{ filename: 'invoice.pdf', content_type: 'application/pdf', data: pdf }],
      });
      expect(rx.hits).toHaveLength(1);
      const { headers, raw, json } = rx.hits[0];
      expect(headers['content-type']).toBe('application/json');
      expect(headers['x-chatwoot-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      const expected = createHmac('sha256', SECRET)
        .update(`${String(headers['x-chatwoot-timestamp'])}.${raw}`)
        .digest('hex');
      expect(headers['x-chatwoot-signature']).toBe(`sha256=${expected}`);

      expect(json).toMatchObject({
        event: 'message_created',
        id: msg.id,
        message_type: 'outgoing',
        private: false,
        content: 'Here is your invoice',
        source_id: null,
        content_attributes: { in_reply_to: quoted, in_reply_to_external_id: 'wamid.Q' },
        sender: { id: 2, name: 'Jane Agent', email: 'jane@acme.test', type: 'user' },
        inbox: { id: 1 },
        account: { id: 1 },
        conversation: {
          id: conversationId,
          channel: 'Channel::Api',
          contact_inbox: { source_id: sourceId, inbox_id: 1 },
          meta: { sender: { phone_number: '+5511999998888', type: 'contact' } },
          messages: [{ id: msg.id, message_type: 1 }],
        },
      });
      expect(json.created_at).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
      expect(json).not.toHaveProperty('status');
      const att = json.attachments[0];
      expect(att).toMatchObject({ file_type: 'file', extension: 'pdf', content_type: 'application/pdf', file_size: pdf.length });
      expect(att.data_url).toContain('/rails/active_storage/blobs/redirect/');
      const redirect = await axios.get(att.data_url, { maxRedirects: 0, validateStatus: () => true });
      expect(redirect.status).toBe(302);
      expect(redirect.headers.location).toContain('/rails/active_storage/disk/');
      const file = await axios.get(att.data_url, { responseType: 'arraybuffer' });
      expect(Buffer.from(file.data).equals(pdf)).toBe(true);
      expect(file.headers['content-type']).toBe('application/pdf');
      expect(fake.messages(conversationId).find((m) => m.id === msg.id)?.status).toBe('sent');

      const again = await fake.redeliverLastWebhook();
      expect(rx.hits).toHaveLength(2);
      expect(rx.hits[1].raw).toBe(raw);
      expect(again.deliveryId).not.toBe(headers['x-chatwoot-delivery']);
    });
  });

  test('a non-2xx or slow receiver marks the message failed with external_error', async () => {
    await withFake({ webhook: { url: rx.url }, emitApiEvents: false, webhookTimeoutMs: 200 }, async (fake, cw) => {
      const { conversationId } = await seedConversation(cw);
      rx.reply.status = 500;
      const m1 = await fake.agentMessage(conversationId, { content: 'one' });
      expect(m1).toMatchObject({ status: 'failed', content_attributes: { external_error: '500 Internal Server Error' } });
      expect(rx.hits.map((h) => h.json.event)).toEqual(['message_created', 'message_updated']);
      expect(rx.hits[0].headers).not.toHaveProperty('x-chatwoot-signature');

      rx.reply.status = 200;
      rx.reply.delayMs = 400;
      const m2 = await fake.agentMessage(conversationId, { content: 'two' });
      expect(m2.status).toBe('failed');
      expect(m2.content_attributes.external_error).toMatch(/Timed out/);
      expect(fake.webhookDeliveries().find((d) => d.payload.id === m2.id)?.error).toMatch(/Timed out/);
    });
  });

  test('PATCH status, deleteMessage and private notes fire webhooks; API inserts echo back by default', async () => {
    await withFake({ webhook: { url: rx.url } }, async (fake, cw) => {
      const { conversationId } = await seedConversation(cw);
      await cw.post(`/conversations/${conversationId}/messages`, { content: 'from WA', message_type: 'incoming', source_id: 'wamid.1' });
      const reply = await fake.agentMessage(conversationId, { content: 'internal', private: true });
      await cw.patch(`/conversations/${conversationId}/messages/${reply.id}`, { status: 'delivered' });
      await fake.deleteMessage(conversationId, reply.id);
      await fake.webhooksIdle();
      const events = rx.hits.map((h) => `${h.json.event}:${h.json.message_type ?? ''}`);
      expect(events).toEqual([
        'conversation_created:',
        'message_created:incoming',
        'message_created:outgoing',
        'message_updated:outgoing',
        'message_updated:outgoing',
      ]);
      expect(rx.hits[1].json.sender).not.toHaveProperty('type');
      expect(rx.hits[2].json.private).toBe(true);
      expect(rx.hits[4].json).toMatchObject({ content: 'This message was deleted', content_attributes: { deleted: true } });
    });
  });

  test('conversation events carry changed_attributes; stop() does not wait for a stuck receiver', async () => {
    const fake = new ChatwootFake({ webhook: { url: rx.url } });
    const cw = api(await fake.start());
    const { conversationId } = await seedConversation(cw);
    await fake.agentSetStatus(conversationId, 'resolved');
    const changed = rx.hits.find((h) => h.json.event === 'conversation_status_changed');
    expect(changed?.json).toMatchObject({
      id: conversationId,
      status: 'resolved',
      changed_attributes: [{ status: { previous_value: 'open', current_value: 'resolved' } }],
    });
    rx.reply.delayMs = 10_000;
    void fake.agentMessage(conversationId, { content: 'stuck' });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    await fake.stop();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('sendRawWebhook sends exactly what the test gives', async () => {
    await withFake({}, async (fake) => {
      fake.setWebhook({ url: rx.url, secret: SECRET });
      const body = JSON.stringify({ event: 'message_created', id: 1 });
      const d = await fake.sendRawWebhook(body, { ...fake.signWebhook(body, 'wrong-secret', 1), 'X-Chatwoot-Delivery': 'd-1' });
      expect(d.status).toBe(200);
      expect(rx.hits[0].raw).toBe(body);
      expect(rx.hits[0].headers['x-chatwoot-delivery']).toBe('d-1');
      expect(rx.hits[0].headers['x-chatwoot-timestamp']).toBe('1');
    });
  });
});
