import type { BrowserHandle } from './browser-process';
import type { WppClient } from './library';

/**
 * One start of WhatsApp Web: a browser, a wppconnect client and their timers. wppconnect has no
 * reconnect call, so every connect() begins a new attempt and every end of one closes its browser.
 * Callbacks of an attempt that has ended are ignored: an old browser dying must not move the session.
 */
export class Attempt {
  /** Set once the attempt is over; its callbacks no longer count. */
  dead = false;
  /** Chromium being started (so an end during the launch can still close it). */
  launching?: Promise<BrowserHandle | undefined>;
  handle?: BrowserHandle;
  client?: WppClient;
  /** The phone is paired in this attempt (before that, "unpaired" signals are just the QR screen). */
  paired = false;
  /** Login finished, listeners attached: the session can be used. */
  ready = false;
  ending?: Promise<void>;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposers: Array<() => void> = [];

  constructor(
    /** Digits of the number to pair by code, when asked to. */
    readonly pairingPhone?: string,
  ) {}

  /** Runs `fn` after `ms` unless the attempt ends first; 0 means never. Replaces a timer of the same name. */
  timer(name: string, ms: number, fn: () => void): void {
    this.clear(name);
    if (ms <= 0 || this.dead) return;
    const t = setTimeout(() => {
      this.timers.delete(name);
      if (!this.dead) fn();
    }, ms);
    this.timers.set(name, t);
  }

  has(name: string): boolean {
    return this.timers.has(name);
  }

  clear(name: string): void {
    const t = this.timers.get(name);
    if (t) clearTimeout(t);
    this.timers.delete(name);
  }

  onDispose(fn: () => void): void {
    this.disposers.push(fn);
  }

  /** Marks the attempt over and stops its timers and listeners (synchronously: no callback slips in). */
  kill(): void {
    this.dead = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const dispose of this.disposers.splice(0)) {
      try {
        dispose();
      } catch {
        // a listener that cannot be removed dies with the client
      }
    }
  }

  /** Closes the browser (orderly, then by force) once it is known. Never throws. */
  async closeBrowser(): Promise<void> {
    const handle = this.handle ?? (await this.launching?.catch(() => undefined));
    await handle?.close();
  }
}
