import type { BrowserConfig } from '../../config/schema';
import type { Logger } from '../../observability/logger';
import { chromiumArgs } from '../browser/chromium';
import type { BrowserHandle } from './browser-process';
import { libraryLogger, type WppCreateOptions } from './library';

/** Chromium's flags for a wppconnect session. */
export function browserArgs(browser: BrowserConfig): string[] {
  // navigator.webdriver gives automation away to WhatsApp Web; wppconnect's own flags turn it off too.
  return [...chromiumArgs(browser), '--disable-blink-features=AutomationControlled'];
}

export interface ClientOptionsInput {
  session: string;
  browser: BrowserConfig;
  handle: BrowserHandle;
  /** wppconnect's folderNameToken: the profile is `<tokenDir>/<session>`. */
  tokenDir: string;
  profileDir: string;
  logger: Logger;
  /** Digits of the number to pair by code. */
  pairingPhone?: string;
  catchQR: NonNullable<WppCreateOptions['catchQR']>;
  catchLinkCode: NonNullable<WppCreateOptions['catchLinkCode']>;
  statusFind: NonNullable<WppCreateOptions['statusFind']>;
}

/** create()'s options, each trap of ENGINES.md answered; `browser`/`page` are Ponte's, so create() launches nothing. */
export function clientOptions(input: ClientOptionsInput): WppCreateOptions {
  const { browser, handle } = input;
  return {
    session: input.session,
    browser: handle.browser,
    page: handle.page,
    folderNameToken: input.tokenDir,
    headless: browser.headless,
    // true would let chrome-launcher replace executablePath with whatever Chrome it finds.
    useChrome: false,
    // The default [''] drops the library's own flags, --no-sandbox included: as root Chromium would not start.
    browserArgs: browserArgs(browser),
    puppeteerOptions: { executablePath: browser.executablePath, userDataDir: input.profileDir, headless: browser.headless },
    // The library would close the page while a person is still scanning; Ponte owns the pairing timeout.
    autoClose: 0,
    // true asks the npm registry for a newer version at every start.
    updatesLog: false,
    disableWelcome: true,
    logQR: false,
    // Ponte waits for the login itself: the client then exists from the start and the login can be ended.
    waitForLogin: false,
    // A build pinned in the config (the way out when WhatsApp ships one that breaks the library), else the
    // live one: the build 2.3.3 would pin is not in its own wa-version package.
    whatsappVersion: browser.wppconnect.whatsappVersion ?? '',
    // How long the library lets a paired phone load its chats before it closes the page ("auto close"),
    // even with autoClose 0; its default, 3 minutes, ends first pairings of busy accounts.
    deviceSyncTimeout: browser.wppconnect.deviceSyncTimeoutMs,
    logger: libraryLogger(input.logger) as WppCreateOptions['logger'],
    ...(input.pairingPhone ? { phoneNumber: input.pairingPhone } : {}),
    catchQR: input.catchQR,
    catchLinkCode: input.catchLinkCode,
    statusFind: input.statusFind,
  };
}
