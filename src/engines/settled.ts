/**
 * Runs `work` now and hands over its result, or what it threw, as a promise, as an async method would.
 * For engine methods with nothing to wait for (the simulator's, an unavailable engine's) that must keep
 * the engine interface's rule: a failure is a rejected promise, never a throw at the caller.
 */
export function settled<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (err) {
    return Promise.reject(err);
  }
}
