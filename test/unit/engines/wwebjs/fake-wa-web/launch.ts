/**
 * whatsapp-web.js launches Chromium with `puppeteer.launch` from its own copy of puppeteer
 * (Client.js initialize). Tests answer that call with a fake browser, so the library's real
 * `initialize()` runs: LocalAuth, the web version cache, page.goto, inject(), the framenavigated
 * listener. A launch for a profile no fake owns fails loudly instead of starting a real Chromium.
 */
import path from 'node:path';

export interface Launcher {
  /** The fake browser for this launch, or undefined when the profile is not this fake's. */
  launch(options: Record<string, unknown>): Promise<unknown> | undefined;
}

const launchers = new Set<Launcher>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const wwebjsDir = path.dirname(require.resolve('whatsapp-web.js'));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the puppeteer of whatsapp-web.js's own tree, resolved at run time
  const puppeteer = require(require.resolve('puppeteer', { paths: [wwebjsDir] })) as {
    launch: (o: Record<string, unknown>) => Promise<unknown>;
  };
  puppeteer.launch = async (options) => {
    for (const launcher of launchers) {
      const browser = launcher.launch(options);
      if (browser) return browser;
    }
    throw new Error(
      `fake WhatsApp Web: no fake owns the profile ${String(options.userDataDir)}; a test would have started a real Chromium`,
    );
  };
}

export function registerLauncher(launcher: Launcher): () => void {
  install();
  launchers.add(launcher);
  return () => launchers.delete(launcher);
}
