import fs from 'node:fs';
import { clearStaleProfileLock } from '../browser/profile-lock';
import path from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { killProcessTree } from '../browser/process-tree';
import { withTimeout } from '../../core/timeout';

/**
 * Ponte launches wppconnect's Chromium itself: when `create()` rejects it leaves the 11-12 processes it
 * started running, with no client to close them. Owning the launch means owning the kill, and every
 * Chromium of a session is found again by its profile directory on the command line.
 */
export interface LaunchRequest {
  executablePath: string;
  headless: boolean;
  args: string[];
  /** The session's Chromium profile (its WhatsApp login). */
  userDataDir: string;
  timeoutMs: number;
}

export interface BrowserHandle {
  browser: Browser;
  page: Page;
  pid?: number;
  /** Closes the page and the browser, then kills whatever of the process tree is left. Never throws. */
  close(): Promise<void>;
}

export type LaunchBrowser = (request: LaunchRequest) => Promise<BrowserHandle>;

const wppconnectDir = () => path.dirname(require.resolve('@wppconnect-team/wppconnect/package.json'));

/** Modules from wppconnect's own dependency tree, so Ponte drives the very puppeteer it was built with. */
function fromWppconnect<T>(name: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module resolved from wppconnect's own tree at run time
  return require(require.resolve(name, { paths: [wppconnectDir()] })) as T;
}

interface PuppeteerExtraModule {
  addExtra(puppeteer: unknown): { use(plugin: unknown): unknown; launch(options: Record<string, unknown>): Promise<Browser> };
}

let launcher: ReturnType<PuppeteerExtraModule['addExtra']> | undefined;

/** puppeteer-extra with the stealth plugin, as wppconnect launches it: WhatsApp Web checks for automation. */
function puppeteerLauncher(): ReturnType<PuppeteerExtraModule['addExtra']> {
  if (!launcher) {
    const extra = fromWppconnect<PuppeteerExtraModule>('puppeteer-extra');
    const stealth = fromWppconnect<() => unknown>('puppeteer-extra-plugin-stealth');
    launcher = extra.addExtra(fromWppconnect('puppeteer'));
    launcher.use(stealth());
  }
  return launcher;
}

export const launchChromium: LaunchBrowser = async (request) => {
  // Absolute, so the profile is found again on the processes' command lines.
  const userDataDir = path.resolve(request.userDataDir);
  fs.mkdirSync(userDataDir, { recursive: true });
  // A Chromium left over from a crashed daemon holds the profile lock: a new one would hand over to it and exit.
  await killProfileProcesses(userDataDir);
  // A lock left by a Chromium of another host (a re-created container) would make this one refuse the profile.
  clearStaleProfileLock(userDataDir, profileProcesses(userDataDir));
  let browser: Browser | undefined;
  try {
    browser = await puppeteerLauncher().launch({
      executablePath: request.executablePath,
      headless: request.headless,
      args: request.args,
      userDataDir,
      timeout: request.timeoutMs,
      // Ponte shuts sessions down itself on signals; puppeteer's handlers would kill Chromium mid-drain.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const pages = await browser.pages();
    const page = pages[0] ?? (await browser.newPage());
    return handleFor(browser, page, userDataDir);
  } catch (err) {
    await killTree(browser?.process()?.pid, userDataDir);
    throw err;
  }
};

function handleFor(browser: Browser, page: Page, userDataDir: string): BrowserHandle {
  const pid = browser.process()?.pid;
  let closing: Promise<void> | undefined;
  return {
    browser,
    page,
    pid,
    close: () =>
      (closing ??= (async () => {
        await withTimeout(page.close(), 3000).catch(() => undefined);
        await withTimeout(browser.close(), 3000).catch(() => undefined);
        await killTree(pid, userDataDir);
        releasePage(page);
      })()),
  };
}

/**
 * After Chromium dies without a clean close puppeteer never marks the page closed, and wppconnect's
 * timers (a 1 s registration poll, a 5 s start check) and login loops run until `isClosed()` or a
 * 'close' event says so: say it, or they poll a dead page forever.
 */
export function releasePage(page: Page): void {
  if (page.isClosed()) return;
  Object.defineProperty(page, 'isClosed', { value: () => true, configurable: true });
  (page as unknown as { emit(event: string, data?: unknown): void }).emit('close', undefined);
}

/**
 * SIGKILLs the browser with everything it started, then any process still naming the profile (helpers
 * re-parented away from the browser, a browser whose launch never returned); waits until they are gone.
 */
export async function killTree(pid: number | undefined, userDataDir: string, waitMs = 5000): Promise<void> {
  if (pid) await killProcessTree([pid], waitMs);
  await killProfileProcesses(userDataDir, waitMs);
}

export async function killProfileProcesses(userDataDir: string, waitMs = 5000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const pids = profileProcesses(userDataDir);
    if (!pids.length) return;
    for (const p of pids) tryKill(p);
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Live processes whose command line names this Chromium profile (Linux /proc; empty elsewhere). */
export function profileProcesses(userDataDir: string): number[] {
  const needle = `--user-data-dir=${path.resolve(userDataDir)}`;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // Chromium's helpers rewrite their title: one space-separated string instead of NUL-separated args.
      const cmdline = ` ${fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ')} `;
      if (cmdline.includes(` ${needle} `)) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
