import type { EngineHealth } from '../types';

/** The little of a puppeteer Page the health probe needs (both libraries ship their own puppeteer). */
export interface ProbePage {
  isClosed(): boolean;
  evaluate(fn: () => unknown): Promise<unknown>;
}

/**
 * `EngineSession.health()` for a puppeteer-driven engine: the page answers a trivial script, and the
 * browser's pid for the memory figure. A probe that never settles is the watchdog's to time out; a
 * closed page or a rejected evaluate (target crashed, session closed) is a dead browser.
 */
export async function browserHealth(page: ProbePage | undefined, browserPid: number | undefined): Promise<EngineHealth> {
  const pids = browserPid ? [browserPid] : [];
  if (!page || page.isClosed()) return { alive: false, pids };
  try {
    await page.evaluate(() => 1);
    return { alive: true, pids };
  } catch {
    return { alive: false, pids };
  }
}
