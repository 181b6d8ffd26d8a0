/**
 * The watchdog as configured in a running daemon (config `watchdog`, `sessions[].memoryLimitMB`): a hung
 * simulator browser is restarted, the memory figure is on /metrics and in the admin API.
 */
import { liveChildren, removeTempDirs, request, waitFor } from '../../helpers';
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { MIB, spawnFakeBrowser, type FakeBrowser } from '../../unit/sessions/spawn-tree';

let h: Harness;
let browser: FakeBrowser;

beforeAll(async () => {
  browser = await spawnFakeBrowser(32);
  h = await startRelayHarness({ config: { watchdog: { intervalMs: 50, timeoutMs: 50, failures: 2 } }, session: { memoryLimitMB: 4096 } });
});
afterAll(async () => {
  await h?.stop();
  await browser?.kill();
  expect(liveChildren()).toEqual([]);
  removeTempDirs();
});

test("the session's browser memory is on /metrics and in GET /admin/sessions", async () => {
  h.sim().browserPids = [browser.pid];
  await waitFor(async () => (await h.metric('ponte_session_memory_bytes', { session: 'main' })) > 32 * MIB, 5000, 25, 'the memory figure');
  const { body } = await request('GET', `${h.url()}/admin/sessions/main`, { token: ADMIN_TOKEN });
  expect(body.memoryBytes).toBeGreaterThan(32 * MIB);
  expect(body.owner).toBe('this');
});

test('a hung browser is restarted by the daemon and the session is CONNECTED again', async () => {
  const states: string[] = [];
  h.sim().onEvent((e) => e.type === 'state' && states.push(e.change.state));
  h.sim().hung = true;
  await waitFor(
    async () => (await h.metric('ponte_session_restarts_total', { session: 'main', reason: 'hung' })) === 1,
    5000,
    25,
    'a restart',
  );
  await waitFor(
    () => h.daemon.sessions.status('main')!.state === 'CONNECTED' && states.includes('CONNECTING'),
    5000,
    10,
    'CONNECTED again',
  );
  expect(h.sim().hung).toBe(false);
  // a hang, not the memory limit (4 GiB is far away)
  expect(await h.metric('ponte_session_restarts_total', { reason: 'memory' })).toBe(0);
});
