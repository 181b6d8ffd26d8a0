import { FromAgentsPoll } from '../../../src/from-agents/poll';

/** Lets the timer's promise chains settle between fake-timer steps. */
async function flush(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}

async function advance(ms: number, step = 25): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    jest.advanceTimersByTime(step);
    await flush();
  }
}

describe('FromAgentsPoll', () => {
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  function setup(opts: { found?: () => number; live?: () => boolean } = {}) {
    const sweeps: number[] = [];
    const poll = new FromAgentsPoll({
      sweep: async () => {
        sweeps.push(Date.now());
        return opts.found?.() ?? 0;
      },
      minMs: 100,
      maxMs: 1000,
      live: opts.live,
      onError: () => undefined,
    });
    return { poll, sweeps };
  }

  test('alone it is adaptive: the interval doubles while nothing is found, up to maxMs, and halves while messages are found', async () => {
    let found = 0;
    const { poll, sweeps } = setup({ found: () => found });
    const gaps = (from = 0) => sweeps.slice(from + 1).map((t, i) => t - sweeps[from + i]);
    poll.start();
    await advance(3000);
    expect(gaps().slice(0, 4)).toEqual([200, 400, 800, 1000]);
    expect(poll.currentInterval()).toBe(1000);
    found = 3;
    const switched = sweeps.length;
    await advance(3000);
    // The first sweep after the switch finds messages: from then on 500, 250, 125, then never below minMs.
    expect(gaps(switched).slice(0, 5)).toEqual([500, 250, 125, 100, 100]);
    await poll.stop();
  });

  test('while the live feed is up it only backs it up: one sweep per maxMs', async () => {
    const { poll, sweeps } = setup({ live: () => true });
    poll.start();
    await advance(10_000);
    const gaps = sweeps.slice(1).map((t, i) => t - sweeps[i]);
    expect(sweeps.length).toBeGreaterThanOrEqual(8);
    expect(sweeps.length).toBeLessThanOrEqual(11);
    for (const g of gaps) expect(g).toBeGreaterThanOrEqual(1000);
    await poll.stop();
  });

  test('while the live feed is up no two sweeps are more than maxMs apart, also after a sweep of a resubscription', async () => {
    const { poll, sweeps } = setup({ live: () => true });
    poll.start();
    await advance(3000);
    // The socket resubscribes half-way between two timer sweeps and sweeps at once.
    await advance(500);
    await poll.sweepNow();
    await advance(6000);
    const gaps = sweeps.slice(1).map((t, i) => t - sweeps[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(1000 + 25);
    // ...and the timer still keeps to its rate: the resubscription's sweep is the only short gap.
    expect(gaps.filter((g) => g < 1000 - 25)).toHaveLength(1);
    await poll.stop();
  });

  test('the feed going down turns it adaptive again at once (trigger), and a trigger is never skipped', async () => {
    let live = true;
    const { poll, sweeps } = setup({ live: () => live });
    poll.start();
    await advance(3000);
    const n = sweeps.length;
    live = false;
    poll.trigger();
    await advance(25);
    expect(sweeps.length).toBe(n + 1);
    await advance(200); // adaptive from the shortest interval: 200 after an empty sweep, then 400
    expect(sweeps.length).toBe(n + 2);
    await advance(400);
    expect(sweeps.length).toBe(n + 3);
    live = true;
    await poll.sweepNow(); // (re)subscribed: sweep once, then back to the safety-net rate
    const m = sweeps.length;
    await advance(900);
    expect(sweeps.length).toBe(m);
    poll.trigger(); // e.g. the WhatsApp session reconnected
    await advance(25);
    expect(sweeps.length).toBe(m + 1);
    await poll.stop();
  });

  test('sweeps never overlap: a sweep asked for during another waits for it', async () => {
    jest.useRealTimers();
    let running = 0;
    let overlap = false;
    const order: string[] = [];
    const poll = new FromAgentsPoll({
      sweep: async () => {
        running += 1;
        if (running > 1) overlap = true;
        order.push('start');
        await new Promise((r) => setTimeout(r, 20));
        order.push('end');
        running -= 1;
        return 1;
      },
      minMs: 10_000,
      maxMs: 10_000,
      onError: () => undefined,
    });
    await Promise.all([poll.sweepNow(), poll.sweepNow(), poll.sweepNow()]);
    expect(overlap).toBe(false);
    expect(order).toEqual(['start', 'end', 'start', 'end', 'start', 'end']);
    await poll.stop();
  });
});
