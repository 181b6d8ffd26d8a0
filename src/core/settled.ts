/**
 * Runs `work` now and hands over its result, or what it threw, as a promise, as an async function would.
 * For functions with nothing to wait for (the simulator's engine methods, say) that must keep their
 * interface's rule: a failure is a rejected promise, never a throw at the caller.
 */
export function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err);
  }
}
