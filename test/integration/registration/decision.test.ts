import { BackendFake } from '../../fakes/backend';
import { ADMIN_TOKEN } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from '../bots/bot-harness';
import { ANSWERS, driversFlow, fillIn, JPEG, ponte } from './support';

const SECRET = 'registration-secret-for-decision-tests';
const HOOK_TOKEN = 'hook-token-for-decision-tests-0123';

/**
 * The whole loop over the simulator and the strict fakes: the driver registers on WhatsApp, Ponte forwards
 * the registration, the backend fake posts its decision back (signed as the real backend signs), and the
 * driver and the agents hear of it.
 */
describe("the backend's decision on a registration reaches the driver and the agents, once", () => {
  let h: BotHarness;
  let backend: BackendFake;
  beforeEach(async () => {
    backend = await BackendFake.start({ secret: SECRET });
  });
  afterEach(async () => {
    expect(h.chatwoot.rejections()).toEqual([]);
    await h.stop();
    await backend.stop();
  });

  const start = () =>
    startBotHarness({ drivers: driversFlow }, { trigger: { keywords: ['registo'] } }, {}, (typebot) => ({
      registration: {
        bot: 'helper',
        endpoint: backend.url,
        secret: SECRET,
        hookToken: HOOK_TOKEN,
        resultsApi: { baseUrl: typebot.url, token: typebot.resultsToken },
      },
      queue: { baseDelayMs: 50, maxDelayMs: 300 },
    }));

  const admin = async (path: string): Promise<any> => {
    const res = await fetch(`${h.url()}/admin${path}`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    return res.json();
  };

  /** Registers on WhatsApp until the backend has the driver and the driver was told; the registration's id. */
  async function registered(phone: string, answers = ANSWERS): Promise<string> {
    await fillIn(h, phone, answers);
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the driver at the backend');
    await waitFor(
      () => h.sentTexts(phone).at(-1)?.startsWith('Registo recebido') || undefined,
      5000,
      25,
      'the driver told of the delivery',
    );
    return backend.drivers[0].meta.registrationId as string;
  }

  const notes = (phone: string) =>
    h.chatwoot
      .messages(h.conversation(phone).id)
      .filter((m) => m.private)
      .map((m) => m.content ?? '');

  test("approved: the driver reads the catalog sentence and the backend's words, the agents a note and registo-aprovado; the same call again acts no more, another decision is refused 409; `registrations show` has it", async () => {
    h = await start();
    const phone = '+351913100001';
    const id = await registered(phone);
    const before = h.sentTexts(phone).length;

    const taken = await backend.decide(h.url(), id, { decision: 'approved', message: 'Pode começar a fazer entregas amanhã.' });
    expect(taken.status).toBe(202);
    expect(taken.body).toMatchObject({
      registrationId: id,
      round: 1,
      repeated: false,
      decision: { decision: 'approved', message: 'Pode começar a fazer entregas amanhã.' },
    });
    const told = await h.waitSent(phone, before + 1);
    expect(told.at(-1)).toBe('O seu registo foi aprovado. Bem-vindo!\n\nPode começar a fazer entregas amanhã.');
    await waitFor(() => h.conversation(phone).labels.includes('registo-aprovado') || undefined, 5000, 25, 'label registo-aprovado');
    expect(notes(phone).some((n) => n.includes(`Registration ${id}: the backend approved.`) && n.includes('Pode começar'))).toBe(true);
    expect(backend.driverOf(id)?.status).toBe('approved');

    // Delivered twice (the backend's retry after a lost answer): the recorded decision, nothing sent again.
    const again = await backend.decide(h.url(), id, { decision: 'approved', message: 'Pode começar a fazer entregas amanhã.' });
    expect([again.status, again.body.repeated, again.body.decision.decision]).toEqual([200, true, 'approved']);
    const other = await backend.decide(h.url(), id, { decision: 'rejected' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('decision_recorded');
    expect(other.body.error.message).toMatch(/was approved already/);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sentTexts(phone)).toHaveLength(before + 1);
    expect(notes(phone).filter((n) => n.includes('the backend approved'))).toHaveLength(1);

    const rec = await admin(`/registrations/${id}`);
    expect(rec.status).toBe('delivered');
    expect(rec.decisions).toEqual([
      expect.objectContaining({
        round: 1,
        decision: 'approved',
        message: 'Pode começar a fazer entregas amanhã.',
        told: true,
        passedOnAt: expect.any(String),
      }),
    ]);
    const shown = await ponte(h, ['registrations', 'show', id]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/decision +approved/);
    expect(shown.stdout).toMatch(/delivery 1: approved, received .*Z, passed on .*Z\n {4}message: Pode começar a fazer entregas amanhã\./);
  });

  test('rejected, five identical calls at once: one acts (one message, one note, registo-recusado), the others answer 200 with it', async () => {
    h = await start();
    const phone = '+351913100002';
    const id = await registered(phone);
    const before = h.sentTexts(phone).length;
    const body = { decision: 'rejected' as const, message: 'A carta de condução está caducada.' };
    const answers = await Promise.all(Array.from({ length: 5 }, () => backend.decide(h.url(), id, body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    await waitFor(() => h.conversation(phone).labels.includes('registo-recusado') || undefined, 5000, 25, 'label registo-recusado');
    await waitFor(async () => (await admin(`/registrations/${id}`)).decisions?.[0]?.passedOnAt, 5000, 25, 'the decision passed on');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sentTexts(phone).slice(before)).toEqual(['Lamentamos, o seu registo não foi aprovado.\n\nA carta de condução está caducada.']);
    expect(notes(phone).filter((n) => n.includes('the backend rejected'))).toHaveLength(1);
    expect(h.conversation(phone).labels).not.toContain('registo-aprovado');
  });

  test('a decision taken but never handed on (the process died between the two) is passed on, once, when the backend calls again', async () => {
    h = await start();
    const phone = '+351913100005';
    const id = await registered(phone);
    const before = h.sentTexts(phone).length;
    const lanes = h.daemon.relay!.bots!.registration!.lanes;
    const realPush = lanes.push.bind(lanes);
    lanes.push = async () => {
      lanes.push = realPush;
      throw new Error('process killed here');
    };
    expect((await backend.decide(h.url(), id, { decision: 'approved' })).status).toBe(500);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sentTexts(phone)).toHaveLength(before);
    const retried = await backend.decide(h.url(), id, { decision: 'approved' });
    expect([retried.status, retried.body.repeated]).toEqual([200, true]);
    await waitFor(() => h.conversation(phone).labels.includes('registo-aprovado') || undefined, 5000, 25, 'label registo-aprovado');
    expect((await backend.decide(h.url(), id, { decision: 'approved' })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.sentTexts(phone).slice(before)).toEqual(['O seu registo foi aprovado. Bem-vindo!']);
  });

  test('needs_changes: the driver is asked for each listed field, and the corrected registration goes to the backend once (only the file asked for), then is approved', async () => {
    h = await start();
    const phone = '+351913100003';
    const id = await registered(phone);
    const first = backend.drivers[0];
    const before = h.sentTexts(phone).length;

    const asked = await backend.decide(h.url(), id, {
      decision: 'needs_changes',
      message: 'A foto da carta está desfocada.',
      fields: ['email', 'cnh_frente'],
    });
    expect(asked.status).toBe(202);
    const told = await h.waitSent(phone, before + 1);
    expect(told.at(-1)).toBe(
      'Analisámos o seu registo e precisamos que envie de novo: Email, Carta de condução (frente).\n\nA foto da carta está desfocada.\n\nEnvie agora: Email.',
    );
    // The backend's retry of the same call while the driver is at it: nothing asked twice.
    expect(
      (
        await backend.decide(h.url(), id, {
          decision: 'needs_changes',
          message: 'A foto da carta está desfocada.',
          fields: ['email', 'cnh_frente'],
        })
      ).status,
    ).toBe(200);
    await waitFor(
      () => notes(phone).some((n) => n.includes('the backend asked for changes to email, cnh_frente')) || undefined,
      5000,
      25,
      'the note of the request for changes',
    );
    expect((await admin(`/registrations/${id}`)).status).toBe('fixing');
    // Nothing to decide on while the driver corrects it.
    const early = await backend.decide(h.url(), id, { decision: 'approved' });
    expect([early.status, early.body.error.code]).toEqual([409, 'decision_recorded']);

    h.inject({ from: phone, type: 'text', text: 'maria.silva@example.pt' });
    expect((await h.waitSent(phone, before + 2)).at(-1)).toBe('Envie agora: Carta de condução (frente).');
    const sharper = Buffer.concat([JPEG, Buffer.from(' sharper')]);
    h.inject({ from: phone, type: 'image', media: { mimetype: 'image/jpeg', base64: sharper.toString('base64') } });

    await waitFor(() => first.corrections.length === 1 || undefined, 10_000, 25, 'the corrected registration at the backend');
    expect(backend.drivers).toHaveLength(1);
    expect(first.fields.email).toBe('maria.silva@example.pt');
    expect(first.files.cnh_frente[0]).toEqual(sharper);
    expect(first.corrections[0]).toMatchObject({ idempotencyKey: `${id}.2`, round: 2, changed: ['email', 'cnh_frente'] });
    expect(first.meta).toMatchObject({ registrationId: id, round: 2, changed: ['email', 'cnh_frente'] });
    await waitFor(
      () => h.sentTexts(phone).at(-1)?.startsWith('Registo recebido') || undefined,
      5000,
      25,
      'the driver told of the corrected delivery',
    );
    await waitFor(
      () => notes(phone).some((n) => n.includes(', corrected (email, cnh_frente), delivered')) || undefined,
      5000,
      25,
      'the note of the corrected delivery',
    );

    // The corrected registration is a new delivery: the backend decides on it.
    const approved = await backend.decide(h.url(), id, { decision: 'approved' });
    expect([approved.status, approved.body.round]).toEqual([202, 2]);
    await waitFor(() => h.conversation(phone).labels.includes('registo-aprovado') || undefined, 5000, 25, 'label registo-aprovado');
    expect(h.sentTexts(phone).at(-1)).toBe('O seu registo foi aprovado. Bem-vindo!');
    await new Promise((r) => setTimeout(r, 300));
    expect(first.corrections).toHaveLength(1);
    expect(backend.requests.filter((r) => r.method === 'POST')).toHaveLength(2);
    const rec = await admin(`/registrations/${id}`);
    expect(rec).toMatchObject({ status: 'delivered', round: 2, changes: ['email', 'cnh_frente'] });
    expect(rec.decisions.map((d: { round: number; decision: string }) => [d.round, d.decision])).toEqual([
      [1, 'needs_changes'],
      [2, 'approved'],
    ]);
    const shown = (await ponte(h, ['registrations', 'show', id])).stdout;
    expect(shown).toMatch(/delivery +2 \(corrected: email, cnh_frente\)/);
    expect(shown).toMatch(/delivery 1: needs_changes \(email, cnh_frente\)/);
    expect(shown).toMatch(/delivery 2: approved/);
  });

  test('refusals, each with its reason: unknown registration 404, not yet delivered 409, unsigned/forged/stale 401, a bad body 400, a field the registration lacks 400, too large 413; the hook token works', async () => {
    h = await start();
    const phone = '+351913100004';
    const invalid = [...ANSWERS];
    invalid[1] = '123456780';
    await fillIn(h, phone, invalid);
    const pending = await waitFor(
      async () => (await admin('/registrations?status=fixing')).registrations?.[0]?.id as string | undefined,
      10_000,
      25,
      'the invalid registration',
    );

    const unknown = await backend.decide(h.url(), 'reg-nope', { decision: 'approved' });
    expect([unknown.status, unknown.body.error]).toEqual([404, { code: 'not_found', message: 'no registration reg-nope' }]);
    const undelivered = await backend.decide(h.url(), pending, { decision: 'approved' });
    expect([undelivered.status, undelivered.body.error.code, undelivered.body.error.message]).toEqual([
      409,
      'not_delivered',
      `registration ${pending} is fixing, not delivered: the backend has nothing of it to decide on`,
    ]);

    const unsigned = await fetch(`${h.url()}/hooks/registrations/${pending}/decision`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"decision":"approved"}',
    });
    expect(unsigned.status).toBe(401);
    expect((await backend.decide(h.url(), pending, { decision: 'approved' }, { secret: 'not-the-secret' })).body.error.code).toBe(
      'unauthorized',
    );
    expect(
      (await backend.decide(h.url(), pending, { decision: 'approved' }, { timestampS: Math.floor(Date.now() / 1000) - 3600 })).status,
    ).toBe(401);
    expect((await backend.decide(h.url(), pending, { decision: 'approved' }, { token: 'wrong' })).status).toBe(401);

    const maybe = await backend.decide(h.url(), pending, { decision: 'maybe' });
    expect([maybe.status, maybe.body.error.code]).toEqual([400, 'invalid_request']);
    expect(maybe.body.error.details.problems[0]).toMatch(/^decision: /);
    const noFields = await backend.decide(h.url(), pending, { decision: 'needs_changes' });
    expect(noFields.body.error.details.problems).toEqual(['fields: needs_changes lists the fields the driver must send again']);
    expect((await backend.decide(h.url(), pending, { decision: 'approved', fields: ['nif'] })).body.error.details.problems).toEqual([
      'fields: only needs_changes takes fields (got approved)',
    ]);
    expect((await backend.decide(h.url(), pending, {}, { raw: '{"decision": ' })).body.error.code).toBe('malformed_json');
    const lacking = await backend.decide(h.url(), pending, { decision: 'needs_changes', fields: ['nif', 'iban'] });
    expect([lacking.status, lacking.body.error.code, lacking.body.error.details.unknown]).toEqual([400, 'unknown_field', ['iban']]);
    const large = await backend.decide(h.url(), pending, { decision: 'approved', message: 'x'.repeat(20_000) });
    expect([large.status, large.body.error.code]).toEqual([413, 'too_large']);

    // The hook token opens the door too: here to the same 409, checked after authentication.
    const byToken = await backend.decide(h.url(), pending, { decision: 'approved' }, { token: HOOK_TOKEN });
    expect([byToken.status, byToken.body.error.code]).toEqual([409, 'not_delivered']);
    expect((await admin(`/registrations/${pending}`)).decisions).toBeUndefined();
  });
});
