/**
 * Ctrl-C in a terminal: SIGINT to every process of the foreground group. A real `ponte start` with
 * embedded Redis runs as such a group (spawned detached, as a shell's job), relaying a burst to the Chatwoot
 * fake when the group gets SIGINT. It must stop cleanly (exit 0, within shutdownTimeoutMs and a margin, its
 * redis-server stopped by it, last), and a restart on the same data directory delivers every message it
 * accepted, once. The embedded redis-server has a process group of its own (src/store/embedded-redis.ts),
 * so the terminal's SIGINT reaches Ponte alone. Needs `npm run build`.
 */
import { ChatwootFake } from '../fakes/chatwoot';
import {
  exitOf,
  jsonLines,
  killPonte,
  liveChildren,
  redisServersIn,
  removeTempDirs,
  simulatorConfig,
  startPonte,
  type PonteContext,
  type RunningPonte,
} from '../helpers';
import { deliveredOf, expectAllAcceptedOnce, injectBurst } from './support/accepted-burst';

const PREFIX = 'CTRLC';
const SHUTDOWN_TIMEOUT_MS = 3000;
/** Process exit, the embedded redis-server's AOF flush and a loaded shared machine, on top of the timeout. */
const MARGIN_MS = 5000;

let fake: ChatwootFake;
const daemons: RunningPonte[] = [];

function config(ctx: PonteContext, cwUrl: string): string {
  return simulatorConfig(ctx, [{ id: 'main', inboxId: 1 }], {
    log: { level: 'info', pretty: false },
    chatwoot: { baseUrl: cwUrl, accountId: 1, apiToken: fake.apiToken, webhookSecret: 'e2e-webhook-secret-0123', timeoutMs: 3000 },
    queue: { baseDelayMs: 20, maxDelayMs: 200 },
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_MS,
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
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

test('Ctrl-C while relaying a burst: exit 0 within shutdownTimeoutMs, Redis stopped last, every accepted message in Chatwoot once after a restart', async () => {
  // Every Chatwoot call takes 40 ms: the relay is busy when the signal comes.
  fake.fault({ path: '/api/v1/' }, { latencyMs: 40 });
  const first = await startPonte((ctx) => config(ctx, fake.baseUrl), { detached: true });
  daemons.push(first);

  let signalledAt = 0;
  let inChatwootAtSignal = 0;
  const burst = await injectBurst(first, {
    prefix: PREFIX,
    chats: 40,
    perChat: 15,
    onAccepted: (count) => {
      // With requests still in flight: those answered 202 during the stop count as accepted too.
      if (count === 500 && !signalledAt) {
        signalledAt = Date.now();
        inChatwootAtSignal = deliveredOf(fake, PREFIX).length;
        process.kill(-first.proc.pid!, 'SIGINT');
      }
    },
  });
  const exit = await exitOf(first.proc);
  const tookMs = Date.now() - signalledAt;
  await first.stop(); // drains the output
  expect(signalledAt).toBeGreaterThan(0);
  expect(inChatwootAtSignal).toBeLessThan(500); // it was relaying
  expect(exit).toEqual({ code: 0, signal: null });
  expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + MARGIN_MS);

  const logs = jsonLines(first.logs());
  const after = logs.slice(logs.findIndex((l) => l.msg === 'signal received'));
  expect(after[0]).toMatchObject({ msg: 'signal received', signal: 'SIGINT' });
  // Redis outlived every write of the stop: nothing failed for want of it, and Ponte stopped it itself, last.
  const stoppedSession = (l: Record<string, unknown>) => l.msg === 'session state changed' && l.reason === 'disconnected by Ponte';
  expect(
    after
      .filter((l) => Number(l.level) >= 40 && !stoppedSession(l))
      .map((l) => (l.reason ? `${String(l.msg)}: ${String(l.reason)}` : l.msg)),
  ).toEqual([]); // the reason names a failure's cause
  expect(after.map((l) => l.msg).slice(-2)).toEqual(['embedded redis-server stopped', 'stopped']);
  expect(redisServersIn(first.dataDir)).toEqual([]);

  fake.clearFaults();
  const second = await startPonte((ctx) => config({ ...ctx, dataDir: first.dataDir }, fake.baseUrl));
  daemons.push(second);
  await expectAllAcceptedOnce(fake, second, burst, PREFIX);
  process.stdout.write(
    `SIGINT with ${inChatwootAtSignal} of 500 accepted in Chatwoot; ${burst.accepted.size} accepted in all (${burst.refused} refused during the stop); stopped in ${tookMs} ms; all delivered once after the restart\n`,
  );
}, 90_000);
