/**
 * Journeys end to end: a real `ponte start` (embedded Redis) relaying to the Chatwoot fake running in this
 * test process, and the operator's `ponte messages show` / `ponte messages find` against it. Needs
 * `npm run build`.
 */
import { ChatwootFake } from '../fakes/chatwoot';
import { killPonte, liveChildren, removeTempDirs, runCli, simulatorConfig, startPonte, waitFor, type RunningPonte } from '../helpers';

const CREATE = { method: 'POST', path: /\/conversations\/\d+\/messages$/ };
const PHONE = '+351912800201';
const TEXT = 'the parcel never came';

let fake: ChatwootFake;
let ponte: RunningPonte;

beforeAll(async () => {
  fake = new ChatwootFake({ inboxes: [{ id: 1 }] });
  const cwUrl = await fake.start();
  ponte = await startPonte((ctx) =>
    simulatorConfig(ctx, [{ id: 'main', inboxId: 1, simulator: { ackIntervalMs: 50 } }], {
      log: { level: 'warn', pretty: false },
      // The status conversation off, as in the relay harness: its "connected" post is a messages.create too,
      // still on its way when startPonte resolves, and it took one of the faults meant for the message.
      chatwoot: {
        baseUrl: cwUrl,
        accountId: 1,
        apiToken: fake.apiToken,
        webhookSecret: 'e2e-webhook-secret-0123',
        timeoutMs: 2000,
        statusConversation: false,
      },
      queue: { baseDelayMs: 20, maxDelayMs: 200 },
    }),
  );
});

afterAll(async () => {
  try {
    await ponte?.stop('SIGTERM');
    await killPonte(ponte);
    await fake?.stop();
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

const cli = (...args: string[]) => runCli(['messages', ...args, '--config', ponte.configPath]);
const inject = (body: Record<string, unknown>) => ponte.admin('POST', '/admin/simulator/main/inbound', { json: body });

test('a message Chatwoot refused twice, then took: `ponte messages show` lists both failures with their reasons, by either id', async () => {
  const fault = fake.fault(CREATE, { status: 500, times: 2 });
  expect((await inject({ id: 'E2E-J-1', from: PHONE, type: 'text', text: TEXT })).status).toBe(202);
  const posted = await waitFor(() => fake.messages().find((m) => m.source_id === 'WAID:E2E-J-1'), 10000, 50, 'the message in Chatwoot');
  // Both refusals went to this message's creates, not to another request.
  expect(fault.hits).toBe(2);

  const shown = await cli('show', 'E2E-J-1');
  expect(shown.code).toBe(0);
  const lines = shown.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('message E2E-J-1  WhatsApp -> Chatwoot  session main  chat •••0201@c.us');
  expect(lines[1]).toBe('now: posted');
  expect(lines[2]).toBe(`ids: WhatsApp E2E-J-1; Chatwoot ${posted.id}`);
  const steps = lines.slice(3).map((l) => l.replace(/^ {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}/, ''));
  expect(steps).toHaveLength(4);
  expect(steps[0]).toBe('received by engine (text), persisted in lane inbound');
  expect(steps[1]).toMatch(/^attempt 1 failed: Chatwoot messages\.create: HTTP 500\b.* \(next try in [\d.]+ s\)$/);
  expect(steps[2]).toMatch(/^attempt 2 failed: Chatwoot messages\.create: HTTP 500\b.* \(next try in [\d.]+ s\)$/);
  expect(steps[3]).toBe(`posted to Chatwoot: message ${posted.id} in conversation ${posted.conversation_id}`);
  expect(shown.stdout).not.toContain(TEXT);
  expect(shown.stdout).not.toContain('912800201');

  const byChatwoot = await cli('show', String(posted.id));
  expect(byChatwoot.code).toBe(0);
  expect(byChatwoot.stdout.split('\n').slice(1)).toEqual(shown.stdout.split('\n').slice(1));

  const json = await cli('show', 'E2E-J-1', '--json');
  const journey = JSON.parse(json.stdout) as { steps: Array<{ step: string; reason?: string }> };
  expect(journey.steps.filter((s) => s.step === 'attempt-failed').map((s) => s.reason)).toEqual([
    expect.stringMatching(/HTTP 500/),
    expect.stringMatching(/HTTP 500/),
  ]);
});

test("`ponte messages find --chat` lists the chat's recent messages; an unknown id or a bad --since is refused with the reason", async () => {
  const found = await cli('find', '--chat', PHONE, '--since', '1h');
  expect(found.code).toBe(0);
  const lines = found.stdout.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z {2}WhatsApp -> Chatwoot {2}text {2}posted {2}E2E-J-1$/);
  expect(lines[lines.length - 1]).toBe('1 message(s); the whole journey of one: ponte messages show <id>');

  expect((await cli('find', '--chat', '+44 7700 900123')).stdout).toMatch(/^no message in that chat since \d{4}-/);

  const unknown = await cli('show', 'NEVER-SEEN');
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toBe(
    'ponte: 404: no journey for message NEVER-SEEN: not seen by Ponte, or its last step is older than journeys.retentionHours\n',
  );
  const badSince = await cli('find', '--chat', PHONE, '--since', 'yesterday');
  expect(badSince.code).toBe(1);
  expect(badSince.stderr).toMatch(/^ponte: 400: since must be a duration like 30m, 1h, 2d or an ISO time/);
});
