/**
 * Bounds on how long Ponte waits for something it does not control (a browser page, Redis, a library
 * call). The promise itself runs on: JavaScript cannot cancel it, only stop waiting for it.
 */

/** A wait that ran out; the message says how long it was. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

/** Resolves with the promise's value, or `undefined` when it has not settled within `ms`. */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Settles as `promise` does, or rejects with a TimeoutError when it has not settled within `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new TimeoutError(ms)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
