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
