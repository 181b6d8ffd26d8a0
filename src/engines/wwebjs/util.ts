import type WAWebJS from 'whatsapp-web.js';

/** The library's puppeteer page, typed for Ponte's own page functions (page-functions.ts). */
export interface PageEvaluator {
  evaluate<A extends unknown[], R>(fn: (...args: A) => R, ...args: A): Promise<Awaited<R>>;
}

export const pageOf = (client: WAWebJS.Client): PageEvaluator => client.pupPage as unknown as PageEvaluator;

/** Chromium's pid, while the library still holds its browser. */
export function pidOf(client: WAWebJS.Client): number | undefined {
  try {
    return client.pupBrowser?.process?.()?.pid ?? undefined;
  } catch {
    return undefined;
  }
}

export const duration = (ms: number): string => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);
