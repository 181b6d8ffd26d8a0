/**
 * The watchdog: hung or crashed browsers are restarted, a browser above memoryLimitMB too, logged-out
 * and banned sessions never. Real simulator engines, real /proc for the memory figure.
 */
import fs from 'node:fs';
import { SimulatorEngine } from '../../../src/engines/simulator/simulator-engine';
import { isAlive, liveChildren, sleep, waitFor } from '../../helpers';
import { MIB, spawnFakeBrowser, type FakeBrowser } from './spawn-tree';
import { rig, type Rig } from './support';

const WATCHDOG = { intervalMs: 0, timeoutMs: 60, failures: 2 };
let rigs: Rig[] = [];
let browsers: FakeBrowser[] = [];

function make(options: Parameters<typeof rig>[0] = {}): Rig {
  const r = rig({ ...options, manager: { watchdog: WATCHDOG, ...options.manager } });
  rigs.push(r);
  return r;
}

afterEach(async () => {
  for (const r of rigs) await r.sm.stopAll();
  for (const b of browsers) await b.kill();
  rigs = [];
  browsers = [];
  expect(liveChildren()).toEqual([]);
});

async function connected(r: Rig): Promise<void> {
  await r.sm.startAll();
  await r.waitState('CONNECTED');
  r.states.length = 0;
}

describe('hung and crashed browsers', () => {
  test('a page that stops answering is restarted after `failures` checks in a row, then works again', async () => {
    const r = make();
    await connected(r);
    r.sim.hung = true;
    await r.sm.checkHealth();
    expect(r.states).toEqual([]); // one slow answer is not a hang
    await r.sm.checkHealth();
    await r.waitState('CONNECTED');
    expect(r.states).toEqual(['TRANSIENT_DISCONNECT', 'CONNECTING', 'CONNECTED']);
    expect(r.sim.hung).toBe(false);
    expect(await r.metric('ponte_session_restarts_total', { session: r.sim.id, reason: 'hung' })).toBe(1);
    // the restart is not a backoff reconnect
    expect(await r.metric('ponte_session_reconnects_total', { session: r.sim.id })).toBe(0);
    expect(r.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ session: r.sim.id, reason: 'hung', msg: 'browser hung; restarting it' })]),
    );
    // the fresh browser answers: no further restart
    await r.sm.checkHealth();
    await r.sm.checkHealth();
    expect(await r.metric('ponte_session_restarts_total', { session: r.sim.id })).toBe(1);
  });

  test('a good answer between two bad ones starts the count over', async () => {
    const r = make();
    await connected(r);
    for (const hung of [true, false, true, false, true]) {
      r.sim.hung = hung;
      await r.sm.checkHealth();
    }
    expect(r.states).toEqual([]);
    expect(await r.metric('ponte_session_restarts_total')).toBe(0);
  });

  test('a crashed browser (page gone) is restarted with reason crashed', async () => {
    const r = make();
    await connected(r);
    r.sim.crashed = true;
    await r.sm.checkHealth();
    await r.sm.checkHealth();
    await r.waitState('CONNECTED');
    expect(r.states).toContain('CONNECTING');
    expect(await r.metric('ponte_session_restarts_total', { session: r.sim.id, reason: 'crashed' })).toBe(1);
  });

  test('a session waiting for its QR scan is watched too', async () => {
    const r = make({ simulator: { requireQr: true, qrRotateMs: 0 } });
    await r.sm.startAll();
    await r.waitState('QR_REQUIRED');
    r.sim.hung = true;
    await r.sm.checkHealth();
    await r.sm.checkHealth();
    await waitFor(() => r.states.filter((s) => s === 'QR_REQUIRED').length === 2, 2000, 5, 'a new QR after the restart');
    expect(await r.metric('ponte_session_restarts_total', { reason: 'hung' })).toBe(1);
  });

  test.each(['LOGGED_OUT', 'BAD_CREDENTIALS'] as const)('a %s session with a dead browser is never restarted', async (state) => {
    const r = make();
    await connected(r);
    r.sim.force(state, 'the phone unlinked this device');
    r.sim.crashed = true;
    for (let i = 0; i < 6; i++) await r.sm.checkHealth();
    r.sim.crashed = false;
    r.sim.hung = true;
    for (let i = 0; i < 4; i++) await r.sm.checkHealth();
    expect(r.states).toEqual([state]);
    expect(r.sm.status(r.sim.id)).toMatchObject({ state, reason: 'the phone unlinked this device' });
    expect(await r.metric('ponte_session_restarts_total')).toBe(0);
  });

  test('a session still starting is not judged (a slow Chromium launch is not a hang)', async () => {
    const r = make({ simulator: { connectDelayMs: 60_000 } });
    await r.sm.startAll();
    r.sim.hung = true;
    for (let i = 0; i < 4; i++) await r.sm.checkHealth();
    expect(r.states).toEqual(['CONNECTING']);
    expect(await r.metric('ponte_session_restarts_total')).toBe(0);
  });

  test('with intervalMs the watchdog runs by itself, and stops with the manager', async () => {
    const r = make({ manager: { watchdog: { intervalMs: 30, timeoutMs: 20, failures: 2 } } });
    await connected(r);
    r.sim.hung = true;
    await waitFor(
      async () => (await r.metric('ponte_session_restarts_total', { reason: 'hung' })) === 1,
      3000,
      10,
      'a restart by the timer',
    );
    await r.waitState('CONNECTED');
    await r.sm.stopAll();
    const health = jest.spyOn(r.sim, 'health');
    await sleep(150);
    expect(health).not.toHaveBeenCalled();
  });

  test('an engine without health() is neither watched nor measured', async () => {
    const r = make();
    (r.sim as { health?: unknown }).health = undefined;
    await connected(r);
    r.sim.hung = true;
    for (let i = 0; i < 3; i++) await r.sm.checkHealth();
    expect(r.states).toEqual([]);
    expect(r.sm.status(r.sim.id)!.memoryBytes).toBeUndefined();
  });
});

const linux = fs.existsSync('/proc/self/smaps_rollup') ? describe : describe.skip;

linux('memory', () => {
  test("ponte_session_memory_bytes is the PSS of the browser's whole process tree", async () => {
    const browser = await spawnFakeBrowser(64);
    browsers.push(browser);
    const r = make();
    await connected(r);
    r.sim.browserPids = [browser.pid]; // the root only: the watchdog finds the children itself
    await r.sm.checkHealth();
    const bytes = await r.metric('ponte_session_memory_bytes', { session: r.sim.id });
    expect(bytes).toBeGreaterThan(64 * MIB);
    expect(bytes).toBeLessThan(1024 * MIB);
    expect(r.sm.status(r.sim.id)!.memoryBytes).toBe(bytes);
  });

  test('a browser staying above memoryLimitMB is restarted and what is left of it is killed', async () => {
    const browser = await spawnFakeBrowser(64);
    browsers.push(browser);
    const pids = browser.pids();
    const r = make({ session: { memoryLimitMB: 32 } });
    await connected(r);
    r.sim.browserPids = [browser.pid];
    await r.sm.checkHealth();
    expect(r.states).toEqual([]);
    await r.sm.checkHealth();
    await r.waitState('CONNECTED');
    expect(r.states).toEqual(['TRANSIENT_DISCONNECT', 'CONNECTING', 'CONNECTED']);
    expect(await r.metric('ponte_session_restarts_total', { session: r.sim.id, reason: 'memory' })).toBe(1);
    // the simulator's close leaves the "browser" running, as a stuck Chromium would: it is killed
    await waitFor(() => pids.every((p) => !isAlive(p)), 3000, 10, 'the old browser processes gone');
    expect(r.logs).toEqual(
      expect.arrayContaining([expect.objectContaining({ msg: 'browser above memoryLimitMB; restarting it', limitMB: 32, processes: 3 })]),
    );
  });

  test('below memoryLimitMB nothing happens', async () => {
    const browser = await spawnFakeBrowser(16);
    browsers.push(browser);
    const r = make({ session: { memoryLimitMB: 2048 } });
    await connected(r);
    r.sim.browserPids = [browser.pid];
    for (let i = 0; i < 4; i++) await r.sm.checkHealth();
    expect(r.states).toEqual([]);
    expect(browser.pids()).toHaveLength(3);
  });

  test('a browser that does not close is killed, and the session connects again', async () => {
    const browser = await spawnFakeBrowser(8);
    browsers.push(browser);
    const pids = browser.pids();
    const r = make();
    await connected(r);
    const close = jest.spyOn(SimulatorEngine.prototype, 'disconnect').mockImplementation(() => new Promise(() => undefined));
    try {
      r.sim.browserPids = [browser.pid];
      await r.sm.checkHealth(); // learns the pids
      r.sim.hung = true;
      await r.sm.checkHealth();
      await r.sm.checkHealth();
      await r.waitState('CONNECTED');
      expect(close).toHaveBeenCalledTimes(1);
      // SIGKILL is delivered asynchronously: give the kernel a moment
      await waitFor(() => pids.every((p) => !isAlive(p)), 3000, 10, 'the old browser processes gone');
      expect(r.logs).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ msg: 'killed browser processes left after the close', processes: 3, closed: false }),
        ]),
      );
    } finally {
      close.mockRestore();
    }
  });
});
