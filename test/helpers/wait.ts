export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Polls `fn` until it returns a truthy value (which is returned) or the time is up. A throw counts as
 * "not yet"; the last error or value is named in the timeout message.
 */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export async function waitFor<T>(fn: () => T | Promise<T>, timeoutMs = 5000, intervalMs = 25, what = 'condition'): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as Truthy<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() >= deadline) {
      const why = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms (last: ${why})`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Waits until `count()` reaches `target`, failing only when it stops moving for `stallMs`: a burst test
 * proves the work gets done, and a wall-clock deadline would instead measure how busy the machine is
 * (speed is the benchmarks' job). The error names how far it got.
 */
export async function waitForCount(count: () => number, target: number, stallMs: number, what: string, intervalMs = 250): Promise<void> {
  let last = count();
  let movedAt = Date.now();
  while (last < target) {
    await sleep(intervalMs);
    const now = count();
    if (now !== last) {
      last = now;
      movedAt = Date.now();
    } else if (Date.now() - movedAt >= stallMs) {
      throw new Error(`waitForCount: ${what} stalled at ${last} of ${target} (nothing for ${stallMs} ms)`);
    }
  }
}
