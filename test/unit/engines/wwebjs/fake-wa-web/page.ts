/**
 * Puppeteer's Browser and Page as whatsapp-web.js uses them (Client.js initialize, inject, destroy; the
 * structures' `pupPage.evaluate`). Page functions really run: puppeteer sends a function's source to the
 * browser, so the fake compiles the same source against the page's `window` (document.ts). Arguments
 * and results cross as JSON, functions are dropped, as with puppeteer's serialisation. Exposed functions
 * (`exposeFunction`) are bindings: the page gets a promise, the Node function runs, an error in it is a
 * rejection in the page (a page error, never one in Node), and a name can be exposed once per page.
 */
import { EventEmitter } from 'node:events';
import { WaWebDocument, type DocumentHost } from './document';

type Fn = (...args: unknown[]) => unknown;

const wire = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** What the page's scripts see besides `window`: browser globals the library's helpers use. */
class PageFileReader {
  result: string | null = null;
  onload: (() => void) | null = null;
  onerror: ((e: unknown) => void) | null = null;
  readAsDataURL(blob: Blob): void {
    void blob.arrayBuffer().then(
      (buf) => {
        this.result = `data:${blob.type || 'application/octet-stream'};base64,${Buffer.from(buf).toString('base64')}`;
        this.onload?.();
      },
      (err) => this.onerror?.(err),
    );
  }
}

export interface PageOptions extends Omit<DocumentHost, 'clock' | 'onError'> {
  /** A failing `page.goto` (no network: net::ERR_NAME_NOT_RESOLVED). */
  gotoError?: () => unknown;
  /** The page stops answering (a hung renderer): evaluates never settle. */
  hung?: () => boolean;
}

export class FakeBrowser {
  connected = true;
  closes = 0;
  readonly page: FakePage;

  constructor(
    options: PageOptions,
    readonly launchOptions: Record<string, unknown>,
  ) {
    this.page = new FakePage(this, options);
  }

  isConnected(): boolean {
    return this.connected;
  }

  async pages(): Promise<FakePage[]> {
    return [this.page];
  }

  async newPage(): Promise<FakePage> {
    return this.page;
  }

  async close(): Promise<void> {
    this.closes += 1;
    this.connected = false;
    this.page.closed();
  }

  process(): null {
    return null;
  }
}

export class FakePage extends EventEmitter {
  document?: WaWebDocument;
  /** Every evaluate, in order: the first characters of its source (what a measurement counts). */
  readonly evaluates: string[] = [];
  /** Errors a browser would print on its console (they never reach Node). */
  readonly errors: unknown[] = [];
  readonly bindings = new Map<string, Fn>();
  interception = false;
  servedIndexHtml?: string;
  userAgent?: string;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly intervals = new Set<NodeJS.Timeout>();

  constructor(
    private readonly browserRef: FakeBrowser,
    private readonly options: PageOptions,
  ) {
    super();
  }

  browser(): FakeBrowser {
    return this.browserRef;
  }

  isClosed(): boolean {
    return !this.browserRef.connected;
  }

  async setUserAgent(ua: string): Promise<void> {
    this.userAgent = ua;
  }

  async setBypassCSP(): Promise<void> {}
  async authenticate(): Promise<void> {}
  async evaluateOnNewDocument(): Promise<void> {}

  async setRequestInterception(on: boolean): Promise<void> {
    this.interception = on;
  }

  /** Loads WhatsApp Web: from the request handler when a build is pinned (interception), else the live one. */
  async goto(url: string): Promise<null> {
    this.assertOpen();
    const error = this.options.gotoError?.();
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- whatever the test makes the navigation fail with
    if (error !== undefined) throw error;
    let version = this.options.version;
    if (this.interception) {
      let body: string | undefined;
      this.emit('request', { url: () => url, respond: (r: { body: string }) => (body = r.body), continue: () => undefined });
      if (body !== undefined) {
        this.servedIndexHtml = body;
        version = /data-wa-version="([^"]+)"/.exec(body)?.[1] ?? version;
      }
    } else {
      this.emit('response', { ok: () => true, url: () => url, text: async () => `<html data-wa-version="${version}"></html>` });
    }
    this.load(version);
    return null;
  }

  /** A navigation inside the page (WhatsApp Web reloads itself, e.g. after a logout on the phone). */
  navigate(url: string): void {
    this.load(
      this.document && this.document.window.Debug
        ? String((this.document.window.Debug as { VERSION: string }).VERSION)
        : this.options.version,
    );
    this.emit('framenavigated', { url: () => url });
  }

  async waitForNavigation(options: { timeout?: number } = {}): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('Navigation timeout')), options.timeout ?? 30_000);
      this.once('framenavigated', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async exposeFunction(name: string, fn: Fn): Promise<void> {
    this.assertOpen();
    if (this.bindings.has(name)) throw new Error(`Failed to add page binding with name ${name}: window['${name}'] already exists!`);
    this.bindings.set(name, fn);
    if (this.document) this.installBinding(this.document, name, fn);
  }

  async evaluate(fn: unknown, ...args: unknown[]): Promise<unknown> {
    this.assertOpen();
    const src = typeof fn === 'string' ? fn : String(fn);
    this.evaluates.push(src.replace(/\s+/g, ' ').slice(0, 80));
    if (this.options.hung?.()) return new Promise(() => undefined);
    const doc = this.document;
    if (!doc) throw new Error('fake WhatsApp Web: evaluate before the page loaded');
    const pageFn = this.compile(src, typeof fn === 'string');
    try {
      const result = await pageFn(...wire(args));
      this.assertOpen();
      return wire(result);
    } finally {
      doc.afterEvaluate();
    }
  }

  /** Browser-side timers: they die with the page. */
  readonly clock = {
    setTimeout: (fn: () => void, ms: number): NodeJS.Timeout => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        this.guard(fn)();
      }, ms);
      this.timers.add(t);
      return t;
    },
    clearTimeout: (t: unknown): void => {
      clearTimeout(t as NodeJS.Timeout);
      this.timers.delete(t as NodeJS.Timeout);
    },
    setInterval: (fn: () => void, ms: number): NodeJS.Timeout => {
      const t = setInterval(this.guard(fn), ms);
      this.intervals.add(t);
      return t;
    },
    clearInterval: (t: unknown): void => {
      clearInterval(t as NodeJS.Timeout);
      this.intervals.delete(t as NodeJS.Timeout);
    },
  };

  closed(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    this.timers.clear();
    this.intervals.clear();
    this.emit('close');
  }

  private load(version: string): void {
    for (const t of this.timers) clearTimeout(t);
    for (const t of this.intervals) clearInterval(t);
    this.timers.clear();
    this.intervals.clear();
    this.document = new WaWebDocument({ ...this.options, version, clock: this.clock, onError: (err) => this.errors.push(err) });
    // puppeteer re-installs exposed functions in every new document.
    for (const [name, fn] of this.bindings) this.installBinding(this.document, name, fn);
  }

  private installBinding(doc: WaWebDocument, name: string, fn: Fn): void {
    doc.window[name] = (...args: unknown[]) => {
      const call = Promise.resolve().then(() => {
        if (this.isClosed()) return new Promise(() => undefined);
        return fn(...wire(args));
      });
      // The page sees the rejection; nothing in Node does (puppeteer hands it back to the page, where
      // code that does not await it gets a console error, not a crash).
      call.catch((err: unknown) => this.errors.push(err));
      const result = call.then(wire);
      result.catch(() => undefined);
      return result;
    };
  }

  private guard(fn: () => unknown): () => void {
    return () => {
      try {
        const r = fn();
        if (r && typeof (r as Promise<unknown>).then === 'function')
          (r as Promise<unknown>).then(undefined, (err) => this.errors.push(err));
      } catch (err) {
        this.errors.push(err);
      }
    };
  }

  private compile(src: string, expression: boolean): Fn {
    const doc = this.document!;
    const c = this.clock;
    // The page function's free names resolve here: `window` is the document's, timers are the page's.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a page function arrives as source text, as puppeteer sends it
    const factory = new Function(
      'window',
      'setTimeout',
      'clearTimeout',
      'setInterval',
      'clearInterval',
      'FileReader',
      `return (${src});`,
    ) as (...deps: unknown[]) => unknown;
    const made = factory(doc.window, c.setTimeout, c.clearTimeout, c.setInterval, c.clearInterval, PageFileReader);
    return expression ? () => made : (made as Fn);
  }

  private assertOpen(): void {
    if (!this.browserRef.connected) throw new Error('Protocol error (Runtime.callFunctionOn): Target closed');
  }
}
