import axios from 'axios';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { BackendFake } from '../../fakes/backend';

const secret = 'fake-secret';

/**
 * A connection per request: Node's global agent keeps sockets alive, and whether a pooled socket has seen the
 * fake's down() before the next request is a race (ECONNRESET instead of ECONNREFUSED on a busy machine).
 */
const fresh = new http.Agent({ keepAlive: false });

/** Signed by hand here, so the fake's checks are tested without src/registration. */
function post(fake: BackendFake, body: string, headers: Record<string, string> = {}, ts = Math.floor(Date.now() / 1000)) {
  const signature = `sha256=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`;
  return axios.post(fake.url, Buffer.from(body), {
    headers: { 'Content-Type': 'application/json', 'X-Ponte-Timestamp': String(ts), 'X-Ponte-Signature': signature, ...headers },
    validateStatus: () => true,
    httpAgent: fresh,
  });
}

const b64 = (s: string) => Buffer.from(s).toString('base64');
const fullBody = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    variables: [
      ...['nome_completo', 'nif', 'telefone', 'email', 'morada', 'codigo_postal', 'cidade'].map((name) => ({
        name,
        value: `${name}-value`,
      })),
      { name: 'cnh_frente', value: b64('front') },
      { name: 'cnh_verso', value: [b64('back1'), b64('back2')] },
      { name: 'comprovante_morada', value: b64('proof') },
    ],
    meta: { registrationId: 'r', session: 's', phone: '+351912345678', resultId: null, submittedAt: '2025-01-01T00:00:00Z' },
    ...overrides,
  });

describe('BackendFake', () => {
  let fake: BackendFake;
  beforeAll(async () => {
    fake = await BackendFake.start({ secret });
  });
  afterAll(() => fake.stop());
  beforeEach(() => fake.reset());

  test('stores a driver with decoded files; a list value gives several buffers', async () => {
    const res = await post(fake, fullBody(), { 'Idempotency-Key': 'k1' });
    expect(res.status).toBe(201);
    expect(fake.drivers[0].files.cnh_verso.map((b) => b.toString())).toEqual(['back1', 'back2']);
    expect(fake.drivers[0].fields.nif).toBe('nif-value');
    expect(fake.requests).toEqual([expect.objectContaining({ method: 'POST', idempotencyKey: 'k1', status: 201 })]);
  });

  test('401 on a wrong, stale or missing signature, each recorded with why', async () => {
    const body = fullBody();
    const tampered = await post(fake, body, { 'Idempotency-Key': 'k', 'X-Ponte-Signature': 'sha256=deadbeef' });
    const stale = await post(fake, body, { 'Idempotency-Key': 'k' }, Math.floor(Date.now() / 1000) - 1000);
    const missing = await axios.post(fake.url, body, {
      headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'k' },
      validateStatus: () => true,
    });
    expect([tampered.status, stale.status, missing.status]).toEqual([401, 401, 401]);
    expect(fake.rejections.map((r) => r.kind)).toEqual(['signature', 'stale', 'missing_signature']);
    expect(fake.drivers).toHaveLength(0);
  });

  test('Idempotency-Key is required', async () => {
    const res = await post(fake, fullBody());
    expect(res.status).toBe(400);
    expect(res.data).toEqual({ 'Idempotency-Key': ['This header is required.'] });
  });

  test('DRF-style 400s for a wrong shape', async () => {
    expect((await post(fake, '{"meta": 3}', { 'Idempotency-Key': 'a' })).data).toEqual({
      variables: ['This field is required.'],
      meta: ['Invalid data. Expected a dictionary.'],
    });
    expect((await post(fake, JSON.stringify({ variables: [{ name: 'x' }], meta: {} }), { 'Idempotency-Key': 'b' })).data).toEqual({
      variables: [{ value: ['Expected a string or a list of strings.'] }],
      meta: {
        registrationId: ['This field is required.'],
        session: ['This field is required.'],
        phone: ['This field is required.'],
        submittedAt: ['This field is required.'],
      },
    });
    const badFile = JSON.parse(fullBody()) as { variables: Array<{ name: string; value: unknown }> };
    badFile.variables.find((v) => v.name === 'cnh_frente')!.value = 'not base64!';
    expect((await post(fake, JSON.stringify(badFile), { 'Idempotency-Key': 'c' })).data).toEqual({ cnh_frente: ['Invalid base64 file.'] });
    expect((await post(fake, '{oops', { 'Idempotency-Key': 'd' })).status).toBe(400);
    expect(fake.rejections.map((r) => r.kind)).toEqual(['body', 'body', 'body', 'body']);
    expect(fake.drivers).toHaveLength(0);
  });

  test('rejectNext, failNext and hang apply to the next requests only', async () => {
    fake.rejectNext({ email: ['Enter a valid email address.'] });
    fake.failNext(2, 502);
    expect((await post(fake, fullBody(), { 'Idempotency-Key': 'k' })).status).toBe(502);
    expect((await post(fake, fullBody(), { 'Idempotency-Key': 'k' })).status).toBe(502);
    const rejected = await post(fake, fullBody(), { 'Idempotency-Key': 'k' });
    expect([rejected.status, rejected.data]).toEqual([400, { email: ['Enter a valid email address.'] }]);
    fake.hang(50);
    expect((await post(fake, fullBody(), { 'Idempotency-Key': 'k' })).status).toBe(201);
    expect(fake.requests.map((r) => [r.status, r.fault])).toEqual([
      [502, 'fail'],
      [502, 'fail'],
      [400, undefined],
      [201, 'hang'],
    ]);
  });

  test('down() refuses connections; up() listens on the same port; stop() drops hung requests', async () => {
    const url = fake.url;
    await fake.down();
    expect(fake.isUp).toBe(false);
    const refused = await post(fake, fullBody(), { 'Idempotency-Key': 'k' }).catch((e: { code?: string }) => e);
    await fake.up();
    expect(refused).toMatchObject({ code: 'ECONNREFUSED' });
    expect(fake.url).toBe(url);
    fake.hang(true);
    const pending = post(fake, fullBody(), { 'Idempotency-Key': 'k' }).catch((e: { code?: string }) => e);
    await new Promise((r) => setTimeout(r, 50));
    await fake.down();
    await fake.up();
    expect(await pending).toMatchObject({ code: 'ECONNRESET' });
  });
});
