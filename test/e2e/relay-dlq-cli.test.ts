/**
 * Dead letters end to end: a real `ponte start` (embedded Redis) relaying to the Chatwoot fake running
 * in this test process, and the operator's `ponte dlq list` / `ponte dlq replay` against it. Needs
 * `npm run build`.
 */
import { ChatwootFake } from '../fakes/chatwoot';
import { killPonte, liveChildren, removeTempDirs, runCli, simulatorConfig, startPonte, waitFor, type RunningPonte } from '../helpers';

const CREATE = { method: 'POST', path: /\/conversations\/\d+\/messages$/ };

let fake: ChatwootFake;
let ponte: RunningPonte;

beforeAll(async () => {
  fake = new ChatwootFake({ inboxes: [{ id: 1 }] });
  const cwUrl = await fake.start();
  ponte = await startPonte((ctx) =>
    simulatorConfig(ctx, [{ id: 'main', inboxId: 1, simulator: { ackIntervalMs: 50 } }], {
      log: { level: 'warn', pretty: false },
      chatwoot: { baseUrl: cwUrl, accountId: 1, apiToken: fake.apiToken, webhookSecret: 'e2e-webhook-secret-0123', timeoutMs: 2000 },
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

const cli = (...args: string[]) => runCli(['dlq', ...args, '--config', ponte.configPath]);
const inject = (body: Record<string, unknown>) => ponte.admin('POST', '/admin/simulator/main/inbound', { json: body });

test('a message Chatwoot refuses is listed by `ponte dlq list` with its reason, and `ponte dlq replay --all` delivers it once', async () => {
  expect((await cli('list')).stdout).toBe('no dead letters\n');

  fake.fault(CREATE, { status: 422, body: { message: 'Validation failed: Content is invalid', attributes: ['content'] }, times: 1 });
  expect((await inject({ id: 'E2E-DLQ-1', from: '+351912800001', type: 'text', text: 'refused the first time' })).status).toBe(202);
  expect((await inject({ id: 'E2E-DLQ-2', from: '+351912800001', type: 'text', text: 'accepted' })).status).toBe(202);
  await waitFor(() => fake.messages().some((m) => m.source_id === 'WAID:E2E-DLQ-2'), 10000, 50, 'the second message in Chatwoot');
  await waitFor(async () => (await ponte.admin('GET', '/admin/dlq')).body.entries.length === 1, 10000, 50, 'one dead letter');

  const list = await cli('list');
  expect(list.code).toBe(0);
  const lines = list.stdout.trimEnd().split('\n');
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatch(/^[0-9a-f-]{36} {2}inbound {3}\d{4}-\d\d-\d\dT[\d:.]+Z {2}main: message \(text\)$/);
  expect(lines[1]).toBe('    Chatwoot messages.create: HTTP 422: Validation failed: Content is invalid');
  expect(lines[2]).toBe('1 dead letter(s); replay with: ponte dlq replay --id <id> | --all');
  expect(list.stdout).not.toContain('refused the first time');
  const id = lines[0].split(' ')[0];

  const usage = await cli('replay');
  expect(usage.code).toBe(1);
  expect(usage.stderr).toContain('give either --id <id> or --all');
  const wrongToken = await runCli(['dlq', 'list', '--url', ponte.baseUrl, '--token', 'not-the-token']);
  expect(wrongToken.code).toBe(1);
  expect(wrongToken.stderr).toContain('401');

  const replay = await cli('replay', '--all');
  expect(replay.code).toBe(0);
  expect(replay.stdout).toBe('replayed 1 dead letter(s)\n');
  await waitFor(() => fake.messages().some((m) => m.source_id === 'WAID:E2E-DLQ-1'), 10000, 50, 'the replayed message in Chatwoot');
  expect(
    fake
      .messages()
      .filter((m) => m.source_id === 'WAID:E2E-DLQ-1')
      .map((m) => m.content),
  ).toEqual(['refused the first time']);
  expect((await cli('list')).stdout).toBe('no dead letters\n');
  expect((await cli('replay', '--id', id)).code).toBe(1); // gone once replayed
});
