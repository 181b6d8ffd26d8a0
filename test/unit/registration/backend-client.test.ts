import { BackendClient } from '../../../src/registration/backend-client';
import type { BackendOutcome } from '../../../src/registration/backend-client';
import { BackendRejectedError } from '../../../src/registration/backend-errors';
import { buildPayload } from '../../../src/registration/payload';
import { validateRegistration } from '../../../src/registration/validate-registration';
import { PermanentError, RetryableError } from '../../../src/queue/errors';
import { BackendFake } from '../../fakes/backend';
import { HEIC, JPEG, PDF, goodDraft } from './support';

const secret = 'backend-secret';

function bodyFor(registrationId: string): string {
  const r = validateRegistration(goodDraft());
  if (!r.ok) throw new Error('fixture should be valid');
  return buildPayload(r.normalized, {
    registrationId,
    session: 'default',
    phone: '+351912345678',
    resultId: 'res-1',
    submittedAt: '2025-01-02T03:04:05.000Z',
  }).body;
}

async function rejectionOf(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the delivery to fail');
}

describe('BackendClient against the backend fake', () => {
  let fake: BackendFake;
  let calls: Array<[BackendOutcome, number]>;
  const client = (opts: { timeoutMs?: number; secret?: string } = {}) =>
    new BackendClient({
      endpoint: fake.url,
      secret: opts.secret ?? secret,
      timeoutMs: opts.timeoutMs ?? 2000,
      onCall: (o, s) => calls.push([o, s]),
    });

  beforeAll(async () => {
    fake = await BackendFake.start({ secret });
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.reset();
    calls = [];
  });

  test('201: the driver is created, files arrive byte for byte', async () => {
    const result = await client().deliver('reg-1', bodyFor('reg-1'));
    expect(result).toEqual({ driverId: '1', status: 201, raw: { driver_id: 1, status: 'pending_approval' } });
    expect(fake.drivers).toHaveLength(1);
    const driver = fake.drivers[0];
    expect(driver.idempotencyKey).toBe('reg-1');
    expect(driver.fields).toMatchObject({ nif: '123456789', telefone: '+351912345678', codigo_postal: '1000-001' });
    expect(driver.files.cnh_frente[0].equals(JPEG)).toBe(true);
    expect(driver.files.cnh_verso[0].equals(HEIC)).toBe(true);
    expect(driver.files.comprovante_morada[0].equals(PDF)).toBe(true);
    expect(driver.meta).toMatchObject({ registrationId: 'reg-1', resultId: 'res-1' });
    expect(calls.map(([o]) => o)).toEqual(['ok']);
    expect(calls[0][1]).toBeGreaterThan(0);
  });

  test('a repeated Idempotency-Key gets the same driver (200) and is not stored twice', async () => {
    const body = bodyFor('reg-2');
    const first = await client().deliver('reg-2', body);
    const again = await client().deliver('reg-2', body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.driverId).toBe(first.driverId);
    expect(fake.drivers).toHaveLength(1);
    expect(fake.drivers[0].replays).toBe(1);
  });

  test('400 from the serializer: PermanentError listing the field errors', async () => {
    const body = JSON.parse(bodyFor('reg-3')) as { variables: Array<{ name: string }>; meta: Record<string, unknown> };
    body.variables = body.variables.filter((v) => v.name !== 'nif' && v.name !== 'cidade');
    delete body.meta.session;
    const err = await rejectionOf(client().deliver('reg-3', JSON.stringify(body)));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toBeInstanceOf(BackendRejectedError);
    const rejected = err as BackendRejectedError;
    expect(rejected.status).toBe(400);
    expect(rejected.fieldErrors).toEqual({
      nif: ['This field is required.'],
      cidade: ['This field is required.'],
      'meta.session': ['This field is required.'],
    });
    expect(rejected.message).toBe(
      'backend refused the registration (HTTP 400): nif: This field is required.; cidade: This field is required.; meta.session: This field is required.',
    );
    expect(fake.drivers).toHaveLength(0);
    expect(calls.map(([o]) => o)).toEqual(['rejected']);
  });

  test("400 with the backend's own field errors (rejectNext) keeps the details", async () => {
    fake.rejectNext({ nif: ['Já existe um motorista com este NIF.'], non_field_errors: ['Registo duplicado.'] });
    const err = (await rejectionOf(client().deliver('reg-4', bodyFor('reg-4')))) as BackendRejectedError;
    expect(err).toBeInstanceOf(BackendRejectedError);
    expect(err.retryable).toBe(false);
    expect(err.details).toEqual({ nif: ['Já existe um motorista com este NIF.'], non_field_errors: ['Registo duplicado.'] });
    expect(err.message).toContain('nif: Já existe um motorista com este NIF.; non_field_errors: Registo duplicado.');
  });

  test('401 for a wrong secret is permanent and recorded by the fake', async () => {
    const err = await rejectionOf(client({ secret: 'wrong' }).deliver('reg-5', bodyFor('reg-5')));
    expect(err).toBeInstanceOf(BackendRejectedError);
    expect(err.message).toBe('backend refused the registration (HTTP 401): detail: Invalid signature.');
    expect(fake.rejections).toEqual([expect.objectContaining({ status: 401, kind: 'signature', idempotencyKey: 'reg-5' })]);
  });

  test('5xx is retryable; Retry-After is passed on; the retry then succeeds', async () => {
    fake.failNext(1, 500);
    fake.failNext(1, 503, { headers: { 'Retry-After': '7' } });
    const first = await rejectionOf(client().deliver('reg-6', bodyFor('reg-6')));
    expect(first).toBeInstanceOf(RetryableError);
    expect(first.message).toContain('HTTP 500');
    const second = (await rejectionOf(client().deliver('reg-6', bodyFor('reg-6')))) as RetryableError;
    expect(second.retryAfterMs).toBe(7000);
    await expect(client().deliver('reg-6', bodyFor('reg-6'))).resolves.toMatchObject({ status: 201 });
    expect(calls.map(([o]) => o)).toEqual(['server_error', 'server_error', 'ok']);
  });

  test('429 is retryable, not a rejection', async () => {
    fake.failNext(1, 429, { body: { detail: 'Request was throttled.' } });
    expect(await rejectionOf(client().deliver('reg-7', bodyFor('reg-7')))).toBeInstanceOf(RetryableError);
  });

  test('no answer within timeoutMs is retryable', async () => {
    fake.hang(true);
    const err = await rejectionOf(client({ timeoutMs: 150 }).deliver('reg-8', bodyFor('reg-8')));
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.message).toContain('no answer within 150 ms');
    expect(calls.map(([o]) => o)).toEqual(['timeout']);
    expect(fake.drivers).toHaveLength(0);
  });

  test('a slow backend that still created the driver: the retry gets that driver', async () => {
    fake.hang(300);
    expect(await rejectionOf(client({ timeoutMs: 100 }).deliver('reg-9', bodyFor('reg-9')))).toBeInstanceOf(RetryableError);
    await waitFor(() => fake.drivers.length === 1);
    const retry = await client().deliver('reg-9', bodyFor('reg-9'));
    expect(retry).toMatchObject({ status: 200, driverId: String(fake.drivers[0].id) });
    expect(fake.drivers).toHaveLength(1);
  });

  test('connection refused is retryable; after up() the same port answers again', async () => {
    const url = fake.url;
    await fake.down();
    const err = await rejectionOf(client().deliver('reg-10', bodyFor('reg-10')));
    await fake.up();
    expect(err).toBeInstanceOf(RetryableError);
    expect(err.message).toContain('ECONNREFUSED');
    expect(calls.map(([o]) => o)).toEqual(['network']);
    expect(fake.url).toBe(url);
    await expect(client().deliver('reg-10', bodyFor('reg-10'))).resolves.toMatchObject({ status: 201 });
  });

  test('a 2xx without any id is permanent (retrying would get the same answer)', async () => {
    fake.failNext(1, 201, { body: { status: 'ok' } });
    const err = await rejectionOf(client().deliver('reg-11', bodyFor('reg-11')));
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).toContain('without driver_id, id or pk');
  });

  test('id and pk are accepted when driver_id is absent', async () => {
    fake.failNext(1, 201, { body: { id: 'drv_42' } });
    fake.failNext(1, 200, { body: { pk: 43 } });
    expect((await client().deliver('a', '{}')).driverId).toBe('drv_42');
    expect((await client().deliver('b', '{}')).driverId).toBe('43');
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
