/**
 * Crash safety of the WhatsApp -> Chatwoot relay: a real `ponte start` (embedded Redis, AOF) takes a
 * burst over the admin simulator API, is killed with SIGKILL while it is still relaying, and is started
 * again on the same data directory. Everything persisted before the kill must reach Chatwoot (the fake,
 * in this test process), nothing twice, each chat in order. Needs `npm run build`.
 */
import { ChatwootFake } from '../fakes/chatwoot';
import {
  isAlive,
  killPonte,
  liveChildren,
  removeTempDirs,
  request,
  simulatorConfig,
  startPonte,
  waitFor,
  type PonteContext,
  type RunningPonte,
} from '../helpers';
import { metricValue } from '../helpers/relay-harness';

const CHATS = 20;
const PER_CHAT = 10;
const TOTAL = CHATS * PER_CHAT;

let fake: ChatwootFake;
let first: RunningPonte | undefined;
let second: RunningPonte | undefined;
let firstRedis: number | undefined;

function config(ctx: PonteContext, cwUrl: string): string {
  return simulatorConfig(ctx, [{ id: 'main', inboxId: 1 }], {
    log: { level: 'warn', pretty: false },
    // The relay alone: no status conversation (its contact would count among the chats).
    chatwoot: {
      baseUrl: cwUrl,
      accountId: 1,
      apiToken: fake.apiToken,
      webhookSecret: 'e2e-webhook-secret-0123',
      timeoutMs: 3000,
      statusConversation: false,
    },
    queue: { baseDelayMs: 20, maxDelayMs: 200 },
  });
}

beforeAll(async () => {
  fake = new ChatwootFake({ inboxes: [{ id: 1 }] });
  await fake.start();
});

afterAll(async () => {
  try {
    await second?.stop('SIGTERM');
    await killPonte(second);
    await killPonte(first);
    await fake?.stop();
    if (firstRedis) expect(isAlive(firstRedis)).toBe(false);
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

const delivered = () => fake.messages().filter((m) => m.source_id?.startsWith('WAID:K9-'));
const depth = async (p: RunningPonte) =>
  metricValue((await request('GET', `${p.baseUrl}/metrics`)).text, 'ponte_queue_depth', { queue: 'inbound' });

test('kill -9 in the middle of a burst, restart: no message missing, none doubled, each chat in order', async () => {
  // Every Chatwoot call takes 60 ms, so the relay is still busy when the process dies.
  fake.fault({ path: '/api/v1/' }, { latencyMs: 60 });
  first = await startPonte((ctx) => config(ctx, fake.baseUrl));

  // Each chat's messages are injected one after the other (their order is the chat's order); chats in parallel.
  const expected = new Map<string, string[]>();
  await Promise.all(
    Array.from({ length: CHATS }, async (_, i) => {
      const phone = `+3519129${String(i).padStart(5, '0')}`;
      const texts: string[] = [];
      for (let j = 0; j < PER_CHAT; j++) {
        const text = `chat ${i} message ${j}`;
        const res = await first!.admin('POST', '/admin/simulator/main/inbound', {
          json: { id: `K9-${i}-${j}`, from: phone, type: 'text', text, pushName: `K9 ${i}` },
        });
        expect(res.status).toBe(202);
        texts.push(text);
      }
      expect(texts).toHaveLength(PER_CHAT);
      expected.set(phone, texts);
    }),
  );

  await waitFor(() => delivered().length >= TOTAL / 5, 15000, 10, 'a fifth of the burst in Chatwoot');
  // Everything injected is persisted: relayed already, or waiting in its lane. The lanes first: an item
  // leaves its lane only once Chatwoot has it, so counting Chatwoot's side afterwards misses none.
  const waiting = await depth(first);
  expect(delivered().length + waiting).toBeGreaterThanOrEqual(TOTAL);
  firstRedis = first.redisPid();
  const killed = await first.stop('SIGKILL');
  expect(killed.signal).toBe('SIGKILL');
  const atKill = delivered().length;
  expect(atKill).toBeLessThan(TOTAL); // the kill really happened mid-burst

  // Same data directory: the orphaned redis-server is stopped (it flushes its AOF) and the data reloaded.
  const dataDir = first.dataDir;
  second = await startPonte((ctx) => config({ ...ctx, dataDir }, fake.baseUrl));
  await waitFor(
    () => new Set(delivered().map((m) => m.source_id)).size === TOTAL,
    30000,
    50,
    'every message in Chatwoot after the restart',
  );
  await waitFor(async () => (await depth(second!)) === 0, 10000, 50, 'the restarted relay idle');

  const messages = delivered();
  expect(messages).toHaveLength(TOTAL);
  expect(fake.contacts()).toHaveLength(CHATS);
  expect(fake.conversations()).toHaveLength(CHATS);
  const byPhone = new Map(fake.contacts().map((c) => [c.phone_number, c.id]));
  for (const [phone, texts] of expected) {
    const conv = fake.conversations().find((c) => c.contact_id === byPhone.get(phone));
    expect(conv).toBeDefined();
    expect(fake.messages(conv!.id).map((m) => m.content)).toEqual(texts);
  }
  expect((await second.admin('GET', '/admin/dlq')).body.entries).toEqual([]);
  // Creates that were in flight at the kill landed in Chatwoot without being recorded: the restarted
  // relay found them (look-before-create) instead of posting them again.
  const found = metricValue((await request('GET', `${second.baseUrl}/metrics`)).text, 'ponte_dedupe_hits_total', { direction: 'inbound' });
  expect(found).toBeGreaterThanOrEqual(1);
  process.stdout.write(
    `kill -9 after ${atKill}/${TOTAL} messages; all ${TOTAL} delivered once after the restart (${found} found already created)\n`,
  );
}, 60_000);
