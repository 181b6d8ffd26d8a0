import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import type { Browser, Page } from 'puppeteer';
import type { BrowserHandle, LaunchBrowser, LaunchRequest } from '../../../../src/engines/wppconnect/browser-process';

/**
 * A puppeteer Page/Browser good enough for wppconnect's real `create()` and `Whatsapp` class: the
 * library talks to WhatsApp Web only through `page.evaluate(fn, arg)`, so the fake answers by the
 * source text of `fn` (what the library asks WhatsApp Web) with what a test's world says. Arguments of
 * exposed functions and evaluate results are JSON round-tripped, as puppeteer serialises them, and an
 * exception in the page reaches Node as puppeteer rebuilds it: text only.
 */
/** Answers one evaluate: its (first) argument, and the source of the function the page was asked to run. */
export type EvalHandler = (arg: any, src: string) => unknown;

const clone = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/**
 * puppeteer-core `createEvaluationError` (cdp/utils.js): of an exception thrown in the page only its
 * description crosses ("<name>: <message>", the class name cut off when it leads), so an Error comes
 * back with the class name as its name and without its own properties: wa-js's `WPPError.code` is
 * lost, and as WPPError leaves `name` at "Error", its message arrives as "Error: <message>". A plain
 * object thrown (wa-js `downloadMedia` throws `{error, code, message}`) is described as "Object", and
 * that is all that arrives. A primitive comes back as the value thrown.
 */
export function asPageException(err: unknown): unknown {
  if (err && typeof err === 'object' && !(err instanceof Error)) {
    const rebuilt = new Error('Object');
    rebuilt.name = 'Object';
    return rebuilt;
  }
  if (!(err instanceof Error)) return err;
  const className = err.constructor.name;
  const description = `${err.name}: ${err.message}`;
  const rebuilt = new Error(description.startsWith(`${className}: `) ? description.slice(className.length + 2) : description);
  rebuilt.name = className;
  return rebuilt;
}

export class FakePage extends EventEmitter {
  closed = false;
  readonly exposed = new Map<string, (...args: unknown[]) => unknown>();
  /** Every evaluate the library ran: the first 160 characters of its function, its argument, when. */
  readonly calls: Array<{ src: string; arg: unknown; at: number }> = [];

  constructor(
    private readonly answer: (src: string) => EvalHandler | undefined,
    private readonly owner: FakeBrowser,
  ) {
    super();
    this.setMaxListeners(0);
  }

  async evaluate(fn: unknown, ...args: unknown[]): Promise<unknown> {
    if (this.closed) throw new Error('Protocol error: Target closed');
    const src = String(fn);
    this.calls.push({ src: src.slice(0, 160), arg: clone(args[0]), at: Date.now() });
    const handler = this.answer(src);
    if (!handler) return undefined;
    try {
      return clone(await handler(clone(args[0]), src));
    } catch (err) {
      throw asPageException(err);
    }
  }

  async waitForFunction(fn: unknown): Promise<{
    evaluate: (f: (v: unknown) => unknown) => Promise<unknown>;
    jsonValue: () => Promise<unknown>;
    dispose: () => Promise<void>;
  }> {
    const value = await this.evaluate(fn).catch(() => true);
    return { evaluate: async (f) => f(value), jsonValue: async () => value, dispose: async () => undefined };
  }

  async exposeFunction(name: string, fn: (...args: unknown[]) => unknown): Promise<void> {
    this.exposed.set(name, fn);
  }

  /** What WhatsApp Web's page calls into Node: a function the library exposed, with JSON arguments. */
  fire(name: string, ...args: unknown[]): boolean {
    const fn = this.exposed.get(name);
    if (!fn || this.closed) return false;
    void fn(...args.map(clone));
    return true;
  }

  async goto(): Promise<null> {
    setImmediate(() => !this.closed && this.emit('load'));
    return null;
  }

  browser(): FakeBrowser {
    return this.owner;
  }

  isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.emit('close');
  }

  async setUserAgent(): Promise<void> {}
  async setBypassCSP(): Promise<void> {}
  async evaluateOnNewDocument(): Promise<void> {}
  /** Set by wppconnect when it serves a pinned WhatsApp Web build itself (browser.js `setWhatsappVersion`). */
  intercepting = false;
  async setRequestInterception(on: boolean): Promise<void> {
    this.intercepting = on;
  }
  async addScriptTag(): Promise<void> {}
  async authenticate(): Promise<void> {}
  async screenshot(): Promise<string> {
    return '';
  }
}

export class FakeBrowser extends EventEmitter {
  connected = true;
  readonly page: FakePage;

  constructor(answer: (src: string) => EvalHandler | undefined) {
    super();
    this.page = new FakePage(answer, this);
  }

  async pages(): Promise<FakePage[]> {
    return [this.page];
  }

  async newPage(): Promise<FakePage> {
    return this.page;
  }

  isConnected(): boolean {
    return this.connected;
  }

  process(): null {
    return null;
  }

  async close(): Promise<void> {
    await this.page.close();
    if (!this.connected) return;
    this.connected = false;
    this.emit('disconnected');
  }
}

/** A LaunchBrowser that hands out fake browsers, remembering what it was asked and what it launched. */
export class FakeLauncher {
  readonly requests: LaunchRequest[] = [];
  readonly browsers: FakeBrowser[] = [];
  /** Makes the next launches fail with this error. */
  failWith?: Error;

  constructor(private readonly answer: (src: string) => EvalHandler | undefined) {}

  readonly launch: LaunchBrowser = async (request) => {
    this.requests.push(request);
    if (this.failWith) throw this.failWith;
    // Chromium creates its profile directory (where the WhatsApp login lives).
    fs.mkdirSync(request.userDataDir, { recursive: true });
    const browser = new FakeBrowser(this.answer);
    this.browsers.push(browser);
    const handle: BrowserHandle = {
      browser: browser as unknown as Browser,
      page: browser.page as unknown as Page,
      pid: undefined,
      close: async () => {
        await browser.close();
      },
    };
    return handle;
  };

  /** The page of the browser launched last. */
  get page(): FakePage {
    const last = this.browsers.at(-1);
    if (!last) throw new Error('no browser was launched');
    return last.page;
  }

  /** Browsers still open (a test that ends with one open leaked a Chromium). */
  open(): FakeBrowser[] {
    return this.browsers.filter((b) => b.connected);
  }
}
