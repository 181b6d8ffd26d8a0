import { rig, type Rig } from './harness';

/**
 * After a first pairing the phone loads its chats into WhatsApp Web, which can take minutes for a busy
 * account. wppconnect closes the page when that takes longer than its `deviceSyncTimeout` (3 minutes by
 * default), even with `autoClose: 0` (host.layer.js `waitForLogin` -> `startAutoClose`, `waitForInChat`).
 * These tests run the library's own login code over the fake page.
 */
let r: Rig | undefined;
afterEach(async () => {
  jest.useRealTimers();
  await r?.dispose();
  r = undefined;
});

const lastReason = (x: Rig) =>
  (x.events.filter((e) => e.type === 'state').at(-1) as { change: { reason?: string } } | undefined)?.change.reason;

test('a first sync longer than deviceSyncTimeoutMs: wppconnect closes WhatsApp Web and the session says why', async () => {
  r = rig({ paired: false, browser: { wppconnect: { deviceSyncTimeoutMs: 1000 } } });
  await r.engine.connect();
  await r.until(() => r!.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED');
  r.world.pair({ syncMs: 60_000 });
  await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'the auto close', 10_000);
  expect(lastReason(r)).toMatch(/did not finish (loading|syncing)/);
  expect(r.world.launcher.open()).toHaveLength(0);
});

test('with the default config a first sync of 4 minutes connects (wppconnect on its own would close it at 3)', async () => {
  jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
  const x = rig({ paired: false, pairingTimeoutMs: 600_000 });
  r = x;
  const advanceUntil = async (done: () => boolean, maxMs: number, what: string) => {
    for (let waited = 0; !done(); waited += 500) {
      if (waited > maxMs) throw new Error(`no ${what} within ${maxMs} ms of fake time; state ${x.engine.state()} (${lastReason(x) ?? ''})`);
      await jest.advanceTimersByTimeAsync(500);
    }
  };
  await x.engine.connect();
  await advanceUntil(() => x.engine.state() === 'QR_REQUIRED', 30_000, 'QR');
  x.world.pair({ syncMs: 240_000 });
  await advanceUntil(() => x.engine.state() !== 'QR_REQUIRED', 30_000, 'pairing');
  await advanceUntil(() => x.engine.state() !== 'CONNECTING', 300_000, 'end of the sync');
  expect(x.engine.state()).toBe('CONNECTED');
  expect(x.world.launcher.open()).toHaveLength(1);
});
