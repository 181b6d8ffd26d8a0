/**
 * "Accepted means persisted": a message the simulator route answered 202 for is in Redis already. A real
 * `ponte start` (embedded Redis, AOF) takes a burst over the admin simulator API and is killed with
 * SIGKILL the moment the 1,000th 202 arrives, with more requests in flight and the relay still busy; twice
 * over (a lost write is a race: two chances to catch it). Started again on the same data directory, it
 * delivers every accepted message to Chatwoot, once, each chat in order. Needs `npm run build`.
 */
import { ChatwootFake } from '../fakes/chatwoot';
import {
  isAlive,
  killPonte,
  liveChildren,
  removeTempDirs,
  simulatorConfig,
  startPonte,
  type PonteContext,
  type RunningPonte,
} from '../helpers';
import { deliveredOf, expectAllAcceptedOnce, injectBurst, type Burst } from './support/accepted-burst';

const PREFIX = 'ACC9';
const CHATS = 100;
const PER_CHAT = 12;
const KILL_AT = 1000;
const ROUNDS = 2;

let fake: ChatwootFake;
const daemons: RunningPonte[] = [];
const redisPids: number[] = [];

function config(ctx: PonteContext, cwUrl: string): string {
  return simulatorConfig(ctx, [{ id: 'main', inboxId: 1 }], {
    log: { level: 'warn', pretty: false },
    chatwoot: { baseUrl: cwUrl, accountId: 1, apiToken: fake.apiToken, webhookSecret: 'e2e-webhook-secret-0123', timeoutMs: 3000 },
    queue: { baseDelayMs: 20, maxDelayMs: 200 },
  });
}

beforeAll(async () => {
  fake = new ChatwootFake({ inboxes: [{ id: 1 }] });
  await fake.start();
});

afterAll(async () => {
  try {
    await daemons.at(-1)?.stop('SIGTERM');
    for (const d of daemons) await killPonte(d);
    await fake?.stop();
    for (const pid of redisPids) expect(isAlive(pid)).toBe(false);
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

/** A burst into `p`, which gets SIGKILL the moment the KILL_AT-th 202 arrives. */
async function burstThenKill(p: RunningPonte, prefix: string): Promise<Burst> {
  redisPids.push(p.redisPid()!);
  let killed = false;
  const burst = await injectBurst(p, {
    prefix,
    chats: CHATS,
    perChat: PER_CHAT,
    onAccepted: (count) => {
      // No waiting: the signal goes out while this answer is being read and other requests are in flight.
      if (count === KILL_AT && !killed) {
        killed = true;
        p.proc.kill('SIGKILL');
      }
    },
  });
  expect((await p.stop('SIGKILL')).signal).toBe('SIGKILL');
  expect(killed).toBe(true);
  expect(burst.accepted.size).toBeGreaterThanOrEqual(KILL_AT);
  expect(deliveredOf(fake, prefix).length).toBeLessThan(KILL_AT); // the relay really was mid-burst
  // The orphaned redis-server still holds what it acknowledged; the next start stops it and reloads its AOF.
  expect(isAlive(redisPids.at(-1)!)).toBe(true);
  return burst;
}

test('kill -9 right after the 1,000th 202 of a burst, twice, restart: every accepted message in Chatwoot exactly once', async () => {
  // Every Chatwoot call takes 40 ms, so most of a burst is still waiting in its lanes at the kill.
  fake.fault({ path: '/api/v1/' }, { latencyMs: 40 });
  let dataDir: string | undefined;
  const bursts: Array<[string, Burst]> = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const p = await startPonte((ctx) => config(dataDir ? { ...ctx, dataDir } : ctx, fake.baseUrl));
    daemons.push(p);
    dataDir = p.dataDir;
    const prefix = `${PREFIX}${round}`;
    bursts.push([prefix, await burstThenKill(p, prefix)]);
  }

  fake.clearFaults();
  const last = await startPonte((ctx) => config({ ...ctx, dataDir: dataDir! }, fake.baseUrl));
  daemons.push(last);
  for (const [prefix, burst] of bursts) await expectAllAcceptedOnce(fake, last, burst, prefix);
  const accepted = bursts.map(([, b]) => b.accepted.size);
  process.stdout.write(`kill -9 after ${accepted.join(' and ')} accepted; all delivered once after the restarts\n`);
}, 120_000);
