import { fileInput, textInput, type FlowDefinition } from '../../fakes/typebot';
import { BackendFake } from '../../fakes/backend';
import { ADMIN_TOKEN } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from './bot-harness';

const PHONE = '+351913000002';
const SECRET = 'registration-secret-for-tests-0123';

const drivers: FlowDefinition = {
  variables: ['phone', 'name', 'session'],
  steps: [
    { bubbles: ['Bem-vindo ao registo de motoristas.\nNome completo?'], input: textInput('nome_completo') },
    { bubbles: ['NIF?'], input: textInput('nif') },
    { bubbles: ['Telefone?'], input: textInput('telefone') },
    { bubbles: ['Email?'], input: textInput('email') },
    { bubbles: ['Morada?'], input: textInput('morada') },
    { bubbles: ['Código postal?'], input: textInput('codigo_postal') },
    { bubbles: ['Cidade?'], input: textInput('cidade') },
    { bubbles: ['Foto da carta de condução (frente)'], input: fileInput('cnh_frente') },
    { bubbles: ['Foto da carta de condução (verso)'], input: fileInput('cnh_verso') },
    { bubbles: ['Comprovativo de morada (PDF)'], input: fileInput('comprovante_morada') },
    { bubbles: ['Obrigado, vamos verificar os seus dados.'] },
  ],
};

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('front of the licence')]);
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('back of the licence')]);
const PDF = Buffer.from('%PDF-1.7\nproof of address\n%%EOF');

const ANSWERS = ['Maria João Silva', '123456789', '912 345 678', 'maria@example.pt', 'Rua das Flores 12', '1000-100', 'Lisboa'];

describe('driver registration over WhatsApp, forwarded to the backend exactly once', () => {
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

  const start = (withResultsApi = true) =>
    startBotHarness({ drivers }, { trigger: { keywords: ['registo'] } }, {}, (typebot) => ({
      registration: {
        bot: 'helper',
        endpoint: backend.url,
        secret: SECRET,
        hookToken: 'hook-token-for-tests-0123',
        ...(withResultsApi ? { resultsApi: { baseUrl: typebot.url, token: typebot.resultsToken } } : {}),
      },
      queue: { baseDelayMs: 50, maxDelayMs: 300 },
    }));

  /** Answers every question; `answers` replaces the text ones. */
  async function fillIn(answers = ANSWERS): Promise<void> {
    h.inject({ from: PHONE, type: 'text', text: 'Quero fazer o registo' });
    let sent = (await h.waitSent(PHONE, 1)).length;
    for (const text of answers) {
      h.inject({ from: PHONE, type: 'text', text });
      sent = (await h.waitSent(PHONE, sent + 1)).length;
    }
    for (const [mimetype, data, filename] of [
      ['image/jpeg', JPEG, undefined],
      ['image/png', PNG, undefined],
      ['application/pdf', PDF, 'morada.pdf'],
    ] as const) {
      h.inject({
        from: PHONE,
        type: mimetype === 'application/pdf' ? 'document' : 'image',
        media: { mimetype, base64: data.toString('base64'), ...(filename ? { filename } : {}) },
      });
      sent = (await h.waitSent(PHONE, sent + 1)).length;
    }
  }

  const admin = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${h.url()}/admin${path}`, { ...init, headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...init.headers } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  test('a full registration reaches the backend once, with all three files byte-identical; Chatwoot gets a note and the label', async () => {
    h = await start();
    await fillIn();
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the driver at the backend');
    const driver = backend.drivers[0];
    expect(driver.fields).toMatchObject({
      nome_completo: 'Maria João Silva',
      nif: '123456789',
      telefone: '+351912345678',
      email: 'maria@example.pt',
      morada: 'Rua das Flores 12',
      codigo_postal: '1000-100',
      cidade: 'Lisboa',
    });
    expect(driver.files.cnh_frente[0]).toEqual(JPEG);
    expect(driver.files.cnh_verso[0]).toEqual(PNG);
    expect(driver.files.comprovante_morada[0]).toEqual(PDF);
    expect(driver.meta).toMatchObject({ session: 'main', phone: PHONE, registrationId: driver.idempotencyKey });
    expect(backend.rejections).toEqual([]);

    const conv = h.conversation(PHONE);
    await waitFor(() => h.conversation(PHONE).labels.includes('registo-enviado') || undefined, 5000, 25, 'label registo-enviado');
    const notes = h.chatwoot
      .messages(conv.id)
      .filter((m) => m.private)
      .map((m) => m.content);
    expect(notes.some((n) => n?.includes(`driver id ${driver.id}`))).toBe(true);
    await waitFor(() => h.sentTexts(PHONE).at(-1)?.startsWith('Registo recebido') || undefined, 5000, 25, 'the driver told');

    const list = await admin('/registrations');
    expect(list.body.registrations).toEqual([expect.objectContaining({ status: 'delivered', driverId: String(driver.id) })]);
    // Files leave Ponte once the backend has them (keepFilesHours 0).
    const id = (list.body.registrations as Array<{ id: string }>)[0].id;
    const rec = (await admin(`/registrations/${id}`)).body as { files: Array<{ mediaId: string }> };
    for (const f of rec.files) expect(await h.daemon.redis.exists(`ponte:media:${f.mediaId}`)).toBe(0);
    // Delivered once: a retry is refused.
    expect((await admin(`/registrations/${id}/retry`, { method: 'POST' })).status).toBe(409);
    expect(backend.drivers).toHaveLength(1);
  });

  test("without Typebot's results API, Ponte's own record of the answers (in the flow's order) makes the same registration", async () => {
    h = await start(false);
    await fillIn();
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the driver at the backend');
    expect(backend.drivers[0].fields).toMatchObject({
      nome_completo: 'Maria João Silva',
      nif: '123456789',
      telefone: '+351912345678',
      cidade: 'Lisboa',
    });
    expect(backend.drivers[0].files.cnh_verso[0]).toEqual(PNG);
    expect(h.typebot.requests.some((r) => r.path.includes('/results/'))).toBe(false);
  });

  test('an invalid NIF is not forwarded: the driver is told what to fix, Chatwoot gets a note and registo-invalido; the corrected NIF goes through', async () => {
    h = await start();
    const answers = [...ANSWERS];
    answers[1] = '123456780';
    await fillIn(answers);
    const told = await waitFor(
      () => h.sentTexts(PHONE).find((t) => t.includes('NIF') && t.includes('corrigir')),
      10_000,
      25,
      'the driver told about the NIF',
    );
    expect(told).toMatch(/Envie agora: NIF/);
    await waitFor(() => h.conversation(PHONE).labels.includes('registo-invalido') || undefined, 5000, 25, 'label registo-invalido');
    expect(backend.drivers).toHaveLength(0);

    h.inject({ from: PHONE, type: 'text', text: '123 456 789' });
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the corrected registration at the backend');
    expect(backend.drivers[0].fields.nif).toBe('123456789');
    // Agents filter by registo-invalido: the fixed and delivered registration leaves that list.
    await waitFor(() => h.conversation(PHONE).labels.includes('registo-enviado') || undefined, 5000, 25, 'label registo-enviado');
    expect(h.conversation(PHONE).labels).not.toContain('registo-invalido');
  });

  test('the backend down for a while (and Ponte restarted meanwhile): delivered once when it is back', async () => {
    h = await start();
    await backend.down();
    await fillIn();
    await waitFor(
      async () => ((await admin('/registrations')).body.registrations as Array<{ status: string; error?: string }>)[0]?.error,
      10_000,
      50,
      'a failed attempt recorded',
    );
    await h.restart();
    await backend.up();
    await waitFor(() => backend.drivers.length === 1 || undefined, 15_000, 50, 'delivered after the backend came back');
    await new Promise((r) => setTimeout(r, 500));
    expect(backend.drivers).toHaveLength(1);
    expect(backend.drivers[0].replays).toBe(0);
  });

  test('a 400 from the backend is not retried and is visible: note, registo-falhou, dead letter, status rejected', async () => {
    h = await start();
    backend.rejectNext({ nif: ['Já existe um motorista com este NIF.'] });
    await fillIn();
    await waitFor(() => h.conversation(PHONE).labels.includes('registo-falhou') || undefined, 10_000, 25, 'label registo-falhou');
    const notes = h.chatwoot
      .messages(h.conversation(PHONE).id)
      .filter((m) => m.private)
      .map((m) => m.content ?? '');
    expect(notes.some((n) => /HTTP 400.*nif: Já existe/.test(n))).toBe(true);
    const list = (await admin('/registrations')).body.registrations as Array<{ status: string }>;
    expect(list[0].status).toBe('rejected');
    const dlq = (await admin('/dlq?queue=registration')).body.entries as Array<{ summary: string; reason: string }>;
    expect(dlq).toHaveLength(1);
    expect(dlq[0].summary).toMatch(/^registration reg-/);
    expect(dlq[0].reason).toMatch(/HTTP 400/);
    await new Promise((r) => setTimeout(r, 500));
    expect(backend.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  test("the flow's HTTP Request block can post the registration to /hooks/typebot/registration (token), answered 202 and forwarded", async () => {
    h = await start();
    // Files the flow uploaded: here Ponte's own /media links (what its file answers give Typebot).
    const urls: string[] = [];
    for (const data of [JPEG, PNG, PDF]) {
      const stored = await h.daemon.relay!.bots!.media.put({ data, filename: 'x.bin' });
      urls.push(await h.daemon.relay!.bots!.media.link(stored));
    }
    const body = {
      submittedAt: new Date().toISOString(),
      nome_completo: 'Rui Costa',
      nif: '501442600',
      telefone: '+351 934 000 111',
      email: 'rui@example.pt',
      morada: 'Av. Central 1',
      codigo_postal: '4000-001',
      cidade: 'Porto',
      cnh_frente: urls[0],
      cnh_verso: urls[1],
      comprovante_morada: urls[2],
      resultId: 'res-hook-1',
    };
    const refused = await fetch(`${h.url()}/hooks/typebot/registration?token=wrong`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(refused.status).toBe(401);
    const res = await fetch(`${h.url()}/hooks/typebot/registration?token=hook-token-for-tests-0123`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(202);
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the hook registration at the backend');
    expect(backend.drivers[0].files.comprovante_morada[0]).toEqual(PDF);
    // The same body again is the same registration.
    const again = await fetch(`${h.url()}/hooks/typebot/registration?token=hook-token-for-tests-0123`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(((await again.json()) as { status: string }).status).toBe('delivered');
    expect(backend.drivers).toHaveLength(1);
  });

  /**
   * A flow end posted to the hook whose hand-over to the forwarder dies, as a killed process would between
   * the two steps: the registration stays queued and its lane empty. `post` sends the same flow end again.
   */
  async function cutShortAfterQueueing(name: string, phone: string, resultId: string): Promise<{ post: () => Promise<Response> }> {
    const urls: string[] = [];
    for (const data of [JPEG, PNG, PDF]) {
      const stored = await h.daemon.relay!.bots!.media.put({ data, filename: 'x.bin' });
      urls.push(await h.daemon.relay!.bots!.media.link(stored));
    }
    const body = JSON.stringify({
      nome_completo: name,
      nif: '501442600',
      telefone: phone,
      email: 'driver@example.pt',
      morada: 'Rua 2',
      codigo_postal: '4000-002',
      cidade: 'Porto',
      cnh_frente: urls[0],
      cnh_verso: urls[1],
      comprovante_morada: urls[2],
      resultId,
    });
    const post = () =>
      fetch(`${h.url()}/hooks/typebot/registration?token=hook-token-for-tests-0123`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
      });
    const lanes = h.daemon.relay!.bots!.registration!.lanes;
    const realPush = lanes.push.bind(lanes);
    lanes.push = async () => {
      lanes.push = realPush;
      throw new Error('process killed here');
    };
    expect((await post()).status).toBeGreaterThanOrEqual(500);
    expect((await admin('/registrations?status=queued')).body.registrations).toMatchObject([
      { status: 'queued', phone: phone.replace(/ /g, '') },
    ]);
    expect(backend.drivers).toHaveLength(0);
    return { post };
  }

  async function deliveredOnce(): Promise<void> {
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the registration at the backend');
    expect(backend.drivers[0].files.comprovante_morada[0]).toEqual(PDF);
    await waitFor(
      async () => ((await admin('/registrations?status=delivered')).body.registrations as unknown[] | undefined)?.length === 1 || undefined,
      5000,
    );
    expect(backend.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  }

  test('a registration cut short after it was queued (Ponte died before handing it on) is delivered when the flow end comes again', async () => {
    h = await start();
    const { post } = await cutShortAfterQueueing('Ana Lopes', '+351 934 000 222', 'res-cut-short');
    // Typebot (or the retried flow end) brings the same result again.
    expect((await post()).status).toBe(202);
    await deliveredOnce();
  });

  test('a registration cut short after it was queued is delivered when Ponte starts again, though the flow end never comes back', async () => {
    h = await start();
    await cutShortAfterQueueing('Rui Sousa', '+351 934 000 333', 'res-stranded');
    await h.restart();
    await deliveredOnce();
  });
});
