/**
 * Login as users live it, through the library's real initialize() and inject() over the fake page: the
 * QR code WhatsApp Web stops rotating after about 160 s (its UNPAIRED_IDLE handler in Client.js runs
 * `window.require(...)` in Node and throws), and the pairing-code request inject() starts without await
 * or catch.
 */
import { harness, sleep, type Harness } from './harness';

let h: Harness | undefined;
afterEach(async () => {
  jest.useRealTimers();
  await h?.close();
  h = undefined;
});

/** Runs the fake clock forward while letting real I/O (LocalAuth's files) and promise chains finish. */
async function advance(ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await jest.advanceTimersByTimeAsync(Math.min(step, ms - done));
    await new Promise((r) => setImmediate(r));
  }
}

async function until(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await advance(10, 10);
  if (!ok()) throw new Error(`never happened: ${what}`);
}

describe('QR codes', () => {
  test('keep rotating past 3 minutes, until the pairing timeout ends the attempt (WhatsApp Web timings, fake clock)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    h = harness({ pairingTimeoutMs: 10 * 60_000 });
    const codes: Array<{ qr: string; at: number }> = [];
    const start = Date.now();
    h.engine.onEvent((e) => {
      const qr = e.type === 'state' && e.change.state === 'QR_REQUIRED' ? h!.engine.pairing()?.qr : undefined;
      if (qr) codes.push({ qr, at: Date.now() - start });
    });
    await h.engine.connect();
    await until('the first QR code', () => codes.length > 0);

    await advance(4 * 60_000);
    // The library's own refresh ran and failed, as it does for every user: the page shows why.
    expect(h.wa.pageErrors().map(String)).toContainEqual(expect.stringMatching(/ReferenceError: window is not defined/));
    expect(new Set(codes.map((c) => c.qr)).size).toBe(codes.length);
    const late = codes.filter((c) => c.at > 3 * 60_000);
    expect(late.length).toBeGreaterThanOrEqual(2);
    expect(h.engine.state()).toBe('QR_REQUIRED');
    expect(h.engine.pairing()!.expiresAt).toBeGreaterThan(Date.now());

    await advance(6 * 60_000 + 1000);
    expect(h.engine.state()).toBe('LOGGED_OUT');
    const count = codes.length;
    await advance(2 * 60_000);
    expect(codes).toHaveLength(count);
  });

  test('a code scanned after the refresh still pairs the session', async () => {
    h = harness({ qrRotateMs: 15, pairingTimeoutMs: 5000 });
    await h.engine.connect();
    // 1 + 5 codes at 15 ms, then UNPAIRED_IDLE, then codes again thanks to the page-side refresh
    await h.log.until(() => (h!.engine.pairing()?.attempt ?? 0) >= 9, 'the ninth QR code');
    await h.wa.pair();
    await h.log.until(() => h!.engine.state() === 'CONNECTED', 'CONNECTED');
    expect(h.wa.doc().qr.refreshes).toBeGreaterThanOrEqual(1);
  });
});

describe('pairing codes', () => {
  const unhandledDuring = async (run: () => Promise<void>): Promise<unknown[]> => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      await run();
      await sleep(30);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    return unhandled;
  };

  test('a code WhatsApp refuses ends the attempt with a reason (LOGGED_OUT), never an unhandled rejection', async () => {
    h = harness();
    h.wa.world.pairingRefusal = Object.assign(new Error('rate-overlimit'), { name: 'ServerStatusCodeError', status: 429 });
    const unhandled = await unhandledDuring(async () => {
      await h!.engine.connect({ pairingPhone: '+351912345678' });
      await h!.log.until(() => h!.engine.state() === 'LOGGED_OUT', 'LOGGED_OUT');
    });
    expect(unhandled).toEqual([]);
    const last = h.log.events.flatMap((e) => (e.type === 'state' ? [e.change] : [])).at(-1)!;
    expect(last.reason).toMatch(/WhatsApp gave no pairing code \(rate-overlimit\).*ponte sessions pair shop/);
    expect(last.reason).not.toContain('912345678');
    await h.log.until(() => !h!.wa.browsers[0].connected, 'Chromium closed');
  });

  test('a code request cut short by the page is a TRANSIENT_DISCONNECT (a fresh start asks again), never an unhandled rejection', async () => {
    h = harness();
    h.wa.world.pairingRefusal = new Error('Execution context was destroyed, most likely because of a navigation.');
    const unhandled = await unhandledDuring(async () => {
      await h!.engine.connect({ pairingPhone: '+351912345678' });
      await h!.log.until(() => h!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    });
    expect(unhandled).toEqual([]);
    expect(h.log.events.flatMap((e) => (e.type === 'state' ? [e.change.reason] : [])).at(-1)).toMatch(
      /pairing code request was interrupted/,
    );
  });

  test('pairing by code installs no QR refresh (the page keeps its own code interval)', async () => {
    h = harness();
    await h.engine.connect({ pairingPhone: '+351912345678' });
    await h.log.until(() => h!.engine.pairing()?.pairingCode, 'a pairing code');
    expect(h.wa.pageCalls().some((c) => c.includes('ponteKeepQrFresh'))).toBe(false);
  });
});
