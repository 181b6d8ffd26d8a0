import type { PonteConfig } from '../config/schema';
import type { LanePolicy } from '../queue/lanes';

/** The chat lanes' retry policy from config `queue` (the registration lanes have their own: retryHours). */
export function lanePolicy(q: PonteConfig['queue']): LanePolicy {
  return {
    concurrency: q.concurrency,
    maxAttempts: q.maxAttempts,
    baseMs: q.baseDelayMs,
    maxMs: q.maxDelayMs,
    maxAgeMs: q.maxAgeHours * 3600_000,
  };
}
