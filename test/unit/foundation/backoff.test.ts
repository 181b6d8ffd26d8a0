import { backoffDelay } from '../../../src/core/backoff';
import { redisRetryDelay } from '../../../src/store/redis';

const policy = { baseMs: 100, maxMs: 5000 };
const top = () => 1;
const bottom = () => 0;

describe('backoffDelay', () => {
  test('grows exponentially from the base', () => {
    expect([0, 1, 2, 3, 4, 5].map((a) => backoffDelay(a, policy, top))).toEqual([100, 200, 400, 800, 1600, 3200]);
  });

  test('is capped at maxMs, also for huge attempt counts', () => {
    expect(backoffDelay(6, policy, top)).toBe(5000);
    expect(backoffDelay(50, policy, top)).toBe(5000);
    expect(backoffDelay(1e9, policy, top)).toBe(5000);
    expect(backoffDelay(1e9, policy, bottom)).toBe(2500);
  });

  test('the jitter keeps at least half of the exponential step', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, policy, bottom))).toEqual([50, 100, 200, 400]);
    expect(backoffDelay(2, policy, () => 0.5)).toBe(300);
  });

  test('stays within [exp/2, exp] for any random value', () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let attempt = 0; attempt < 12; attempt++) {
      const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** attempt);
      for (let i = 0; i < 50; i++) {
        const d = backoffDelay(attempt, policy, random);
        expect(d).toBeGreaterThanOrEqual(exp / 2);
        expect(d).toBeLessThanOrEqual(exp);
      }
    }
  });

  test('spreads retries of sessions that failed together', () => {
    const values = [0.1, 0.5, 0.9].map((r) => backoffDelay(3, policy, () => r));
    expect(new Set(values).size).toBe(3);
  });

  test('a negative attempt is treated as the first', () => {
    expect(backoffDelay(-3, policy, top)).toBe(100);
  });
});

describe('redisRetryDelay', () => {
  test('doubles from 200 ms and is capped at 5 s', () => {
    expect([1, 2, 3, 4, 5, 6, 100].map(redisRetryDelay)).toEqual([200, 400, 800, 1600, 3200, 5000, 5000]);
  });
});
