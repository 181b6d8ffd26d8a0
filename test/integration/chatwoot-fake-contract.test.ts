import axios from 'axios';
import type { AxiosInstance } from 'axios';
import FormData from 'form-data';
import { ChatwootFake, OpenApiValidator } from '../fakes/chatwoot';
import { SWAGGER_PATH } from '../fakes/chatwoot/openapi-validator';

/**
 * The fake's responses checked against the response schemas of Chatwoot's own swagger (4.13), so a fake that
 * drifts from the real contract fails here instead of letting the bridge pass against a fantasy server.
 */
const A = '/api/v1/accounts/{account_id}';
const spec = OpenApiValidator.shared();

function expectMatches(method: string, path: string, body: unknown): void {
  expect({ op: `${method.toUpperCase()} ${path}`, issues: spec.validateResponse(method, path, 200, body) }).toEqual({
    op: `${method.toUpperCase()} ${path}`,
    issues: [],
  });
}

describe('ChatwootFake responses match the 4.13 swagger', () => {
  const fake = new ChatwootFake();
  let cw: AxiosInstance;
  let contactId: number;
  let conversationId: number;

  beforeAll(async () => {
    const base = await fake.start();
    cw = axios.create({ baseURL: `${base}/api/v1/accounts/1`, headers: { api_access_token: 'cw-test-token' } });
  });
  afterAll(() => fake.stop());

  test('contacts: create, filter, search, show, contact_inboxes', async () => {
    const created = await cw.post('/contacts', {
      inbox_id: 1,
      name: 'Maria',
      phone_number: '+5511977776666',
      identifier: 'wa:5511977776666',
      source_id: '5511977776666',
      additional_attributes: { city: 'São Paulo' },
    });
    expectMatches('post', `${A}/contacts`, created.data);
    contactId = created.data.payload.contact.id;

    const filter = await cw.post('/contacts/filter', {
      payload: [{ attribute_key: 'identifier', filter_operator: 'equal_to', values: ['wa:5511977776666'], query_operator: null }],
    });
    expect(filter.data.payload).toHaveLength(1);
    expectMatches('post', `${A}/contacts/filter`, filter.data);
    expectMatches('get', `${A}/contacts/search`, (await cw.get('/contacts/search', { params: { q: '+55119777', page: '1' } })).data);
    expectMatches('get', `${A}/contacts/{id}`, (await cw.get(`/contacts/${contactId}`)).data);
    expectMatches(
      'post',
      `${A}/contacts/{id}/contact_inboxes`,
      (await cw.post(`/contacts/${contactId}/contact_inboxes`, { inbox_id: 1, source_id: 'alt' })).data,
    );
  });

  test('inboxes: show and list, an API channel with its webhook_url', async () => {
    fake.setWebhook({ url: 'http://ponte.internal:8080/webhooks/chatwoot' });
    const inbox = (await cw.get('/inboxes/1')).data;
    expectMatches('get', `${A}/inboxes/{id}`, inbox);
    expect(inbox).toMatchObject({ id: 1, channel_type: 'Channel::Api', webhook_url: 'http://ponte.internal:8080/webhooks/chatwoot' });
    expect((await cw.get('/inboxes')).data.payload.map((i: { id: number }) => i.id)).toEqual([1]);
    fake.setWebhook(undefined);
  });

  test('conversations: create, show, list, toggle_status, labels, custom_attributes, contact conversations', async () => {
    const created = await cw.post('/conversations', {
      source_id: '5511977776666',
      inbox_id: 1,
      contact_id: contactId,
      additional_attributes: { chat: 'wa' },
    });
    conversationId = created.data.id;
    expectMatches('post', `${A}/conversations`, created.data);
    // The create endpoint renders the full conversation partial; hold it to the richer show schema as well.
    expect(spec.validateComponent('conversation_show', created.data)).toEqual([]);

    await cw.post(`/conversations/${conversationId}/messages`, { content: 'oi', message_type: 'incoming', source_id: 'wamid.1' });
    const form = new FormData();
    form.append('attachments[]', Buffer.from('img'), { filename: 'a.png', contentType: 'image/png' });
    await cw.post(`/conversations/${conversationId}/messages`, form.getBuffer(), { headers: form.getHeaders() });

    expectMatches('get', `${A}/conversations/{conversation_id}`, (await cw.get(`/conversations/${conversationId}`)).data);
    const list = await cw.get('/conversations', { params: { inbox_id: 1, status: 'open' } });
    expect(list.data.data.payload).toHaveLength(1);
    expectMatches('get', `${A}/conversations`, list.data);
    expectMatches(
      'post',
      `${A}/conversations/{conversation_id}/labels`,
      (await cw.post(`/conversations/${conversationId}/labels`, { labels: ['vip'] })).data,
    );
    expectMatches('get', `${A}/conversations/{conversation_id}/labels`, (await cw.get(`/conversations/${conversationId}/labels`)).data);
    expectMatches(
      'post',
      `${A}/conversations/{conversation_id}/custom_attributes`,
      (await cw.post(`/conversations/${conversationId}/custom_attributes`, { custom_attributes: { order: 7 } })).data,
    );
    expectMatches(
      'post',
      `${A}/conversations/{conversation_id}/toggle_status`,
      (await cw.post(`/conversations/${conversationId}/toggle_status`, { status: 'pending' })).data,
    );
    expectMatches('get', `${A}/contacts/{id}/conversations`, (await cw.get(`/contacts/${contactId}/conversations`)).data);
  });

  test('messages: JSON and multipart create, list; profile', async () => {
    const text = await cw.post(`/conversations/${conversationId}/messages`, {
      content: 'hello',
      message_type: 'outgoing',
      source_id: 'wamid.2',
    });
    expectMatches('post', `${A}/conversations/{conversation_id}/messages`, text.data);
    const form = new FormData();
    form.append('content', 'with file');
    form.append('attachments[]', Buffer.from('%PDF'), { filename: 'x.pdf', contentType: 'application/pdf' });
    const multi = await cw.post(`/conversations/${conversationId}/messages`, form.getBuffer(), { headers: form.getHeaders() });
    expectMatches('post', `${A}/conversations/{conversation_id}/messages`, multi.data);
    expectMatches('get', `${A}/conversations/{conversation_id}/messages`, (await cw.get(`/conversations/${conversationId}/messages`)).data);
    const base = cw.defaults.baseURL?.replace(/\/accounts\/1$/, '');
    expectMatches('get', '/api/v1/profile', (await axios.get(`${base}/profile`, { headers: { api_access_token: 'cw-test-token' } })).data);
    expect(fake.rejections()).toEqual([]);
  });

  test('every documented deviation from the verbatim swagger is still needed', async () => {
    const verbatim = new OpenApiValidator(SWAGGER_PATH, false);
    // POST /contacts: the swagger says `payload` is an array; the server renders {contact, contact_inbox}.
    const created = await cw.post('/contacts', { inbox_id: 1, name: 'Z' });
    expect(verbatim.validateResponse('post', `${A}/contacts`, 200, created.data).map((i) => i.field)).toContain('/payload');
    // contacts/filter: query_operator null is what clients send for the last condition.
    const filterBody = { payload: [{ attribute_key: 'name', filter_operator: 'equal_to', values: ['Z'], query_operator: null }] };
    expect(verbatim.requestValidator('post', `${A}/contacts/filter`)?.(filterBody)).not.toEqual([]);
    // contact_inboxes: an API inbox renders provider:null.
    const ci = await cw.post(`/contacts/${created.data.payload.contact.id}/contact_inboxes`, { inbox_id: 1, source_id: 'z' });
    expect(verbatim.validateResponse('post', `${A}/contacts/{id}/contact_inboxes`, 200, ci.data)).not.toEqual([]);
    // An API inbox renders the web-widget fields as null.
    const inbox = (await cw.get('/inboxes/1')).data;
    expect(verbatim.validateResponse('get', `${A}/inboxes/{id}`, 200, inbox).map((i) => i.field)).toEqual(
      expect.arrayContaining(['/widget_color', '/website_url', '/website_token', '/web_widget_script', '/reply_time']),
    );
    // message.content is null for attachment-only messages.
    expect(verbatim.validateComponent('message', { id: 1, content: null })).not.toEqual([]);
  });
});
