/**
 * Sessions added, changed and removed at run time on one daemon are followed by another daemon sharing its
 * Redis (issue #19: N daemons share M numbers): the second daemon lists the new number, its change and its
 * removal, and the number runs on exactly one of them. Two real `ponte start` processes, one redis-server,
 * the simulator engine. Needs `npm run build`.
 */
import {
  killPonte,
  liveChildren,
  removeTempDirs,
  simulatorConfig,
  startPonte,
  startRedisServer,
  tempDir,
  waitFor,
  type PonteContext,
  type RunningPonte,
  type TestRedis,
} from '../helpers';

let redis: TestRedis;
const store = tempDir('ponte-runtime-fleet-');
const daemons: RunningPonte[] = [];

const config = (ctx: PonteContext) =>
  simulatorConfig(ctx, [{ id: 'main' }], { redis: { url: redis.url }, lease: { ttlMs: 1500 }, sessionStore: { dir: store } });

interface Listed {
  id: string;
  owner?: string;
}
async function listed(p: RunningPonte): Promise<Listed[]> {
  return ((await p.admin('GET', '/admin/sessions')).body as { sessions: Listed[] }).sessions;
}
async function settingsOn(p: RunningPonte, id: string): Promise<{ owner?: string; me?: string } | undefined> {
  const res = await p.admin('GET', `/admin/sessions/${id}`);
  return res.status === 200 ? (res.body as { owner?: string; me?: string }) : undefined;
}

beforeAll(async () => {
  redis = await startRedisServer();
  for (let i = 0; i < 2; i++) daemons.push(await startPonte(config));
});

afterAll(async () => {
  try {
    for (const d of daemons) await killPonte(d);
    await redis?.stop();
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

test('a number added on one daemon is listed and run by the fleet; its change and removal reach the other daemon', async () => {
  const [a, b] = daemons;
  const added = await a.admin('POST', '/admin/sessions', {
    json: {
      session: {
        id: 'sales',
        engine: 'simulator',
        simulator: { phone: '+351930000001' },
        pacing: { minGapMs: 0, jitterMs: 0, typing: false },
      },
    },
  });
  expect(added.status).toBe(201);

  // The other daemon follows (it looks every 5 s) and the number runs on exactly one of the two.
  await waitFor(async () => (await listed(b)).some((s) => s.id === 'sales'), 15_000, 200, 'daemon B lists the added number');
  const runsOn = async () => {
    const states = await Promise.all(daemons.map((d) => settingsOn(d, 'sales')));
    return states.filter((s) => s?.owner === 'this').length;
  };
  await waitFor(async () => (await runsOn()) === 1, 15_000, 200, 'the number runs on exactly one daemon');

  // A change made on the daemon that does not run the number reaches the one that does: it restarts the
  // number with the new settings (the simulator's own number shows them).
  const ownerOf = async () => ((await settingsOn(a, 'sales'))?.owner === 'this' ? a : b);
  const running = await ownerOf();
  const idle = running === a ? b : a;
  const changed = await idle.admin('PATCH', '/admin/sessions/sales', { json: { simulator: { phone: '+351930000002' } } });
  expect(changed.status).toBe(200);
  expect(changed.body).toMatchObject({ settings: { simulator: { phone: '+351930000002' } } });
  await waitFor(
    async () => /351930000002/.test((await settingsOn(await ownerOf(), 'sales'))?.me ?? ''),
    20_000,
    200,
    'the number runs again with the changed settings',
  );
  expect(await runsOn()).toBe(1);

  // Removed on whichever daemon runs it; the other forgets it too.
  const owner = (await settingsOn(a, 'sales'))?.owner === 'this' ? a : b;
  const other = owner === a ? b : a;
  const removed = await owner.admin('POST', '/admin/sessions/sales/remove');
  expect(removed.status).toBe(200);
  await waitFor(async () => !(await listed(other)).some((s) => s.id === 'sales'), 15_000, 200, 'the other daemon forgets the number');
  expect((await listed(owner)).map((s) => s.id)).toEqual(['main']);
}, 90_000);
