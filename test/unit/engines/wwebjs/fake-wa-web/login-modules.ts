/**
 * WhatsApp Web's login machinery as whatsapp-web.js drives it from `Client.inject()` (Client.js) and
 * `ExposeAuthStore` (util/Injected/AuthStore/AuthStore.js): the socket state (`WAWebSocketModel`), the
 * QR ref that rotates (`WAWebConnModel.Conn` 'change:ref'), the phone-number pairing API
 * (`WAWebAltDeviceLinkingApi`) and the command bus (`WAWebCmd`).
 */
import { Emitter } from './emitter';
import { createWid } from './wid';

export interface PageClock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/**
 * How long WhatsApp Web shows each QR ref before it stops on its own: the first for 60 s, then five
 * more for 20 s each, then the socket goes UNPAIRED_IDLE and the page waits for someone to click
 * "reload QR" (ENGINES.md "Second look": the QR stops changing after about 160 s).
 */
export interface QrTimeline {
  firstMs: number;
  nextMs: number;
  rotations: number;
}
export const WHATSAPP_QR_TIMELINE: QrTimeline = { firstMs: 60_000, nextMs: 20_000, rotations: 5 };

/** `WAWebSocketModel.Socket`: the connection state; 'change:hasSynced' once the chats are loaded. */
export class Socket extends Emitter {
  hasSynced = false;
  constructor(
    public state: string,
    onError: (err: unknown) => void,
    private readonly onSyncListener: () => void,
    private readonly onLogout: () => void,
  ) {
    super(onError);
  }

  override on(events: string, fn: (...args: never[]) => unknown): this {
    super.on(events, fn);
    // A stored login finishes syncing shortly after the page loads: whoever listens hears it.
    if (events.split(/\s+/).includes('change:hasSynced')) this.onSyncListener();
    return this;
  }

  setState(state: string): void {
    if (state === this.state) return;
    this.state = state;
    this.trigger('change:state', this, state);
  }

  /** Client.logout(): the page tells WhatsApp to unlink this device. */
  logout(): void {
    this.onLogout();
  }

  takeover(): void {}
  reconnect(): void {}
}

/** `WAWebConnModel.Conn`: the current QR ref (each new ref is a new QR code), and who we are. */
export class Conn extends Emitter {
  ref: string;
  private refs = 0;
  constructor(
    private readonly me: string,
    onError: (err: unknown) => void,
  ) {
    super(onError);
    this.ref = this.nextRef();
  }

  get wid() {
    return createWid(this.me);
  }

  rotate(): void {
    this.ref = this.nextRef();
    this.trigger('change:ref', this, this.ref);
  }

  serialize(): object {
    return { ref: this.ref, pushname: 'Ponte test account', platform: 'web' };
  }

  private nextRef(): string {
    this.refs += 1;
    return `2@ref${this.refs}-${Math.random().toString(36).slice(2, 10)}`;
  }
}

/**
 * The QR code's life on an unpaired page, and the one thing that restarts it: a refresh, which current
 * WhatsApp Web offers as `WAWebLaunchSocketUtils.refreshQR` (the library's own `cancelPairingCode` uses
 * it). `WAWebCmd.Cmd.refreshQR`, which the library's UNPAIRED_IDLE handler calls, is not there any more
 * (whatsapp-web.js PR 22449: "Store.Cmd.refreshQR() is no longer available").
 */
export class QrRotation {
  private timer?: unknown;
  /** Refreshes asked by anyone (the page's reload button, Ponte). */
  refreshes = 0;

  constructor(
    private readonly socket: Socket,
    private readonly conn: Conn,
    private readonly clock: PageClock,
    private readonly timeline: QrTimeline,
  ) {}

  start(): void {
    this.stop();
    let rotated = 0;
    const step = () => {
      if (this.socket.state !== 'UNPAIRED') return;
      if (rotated < this.timeline.rotations) {
        rotated += 1;
        this.conn.rotate();
        this.timer = this.clock.setTimeout(step, this.timeline.nextMs);
      } else {
        this.socket.setState('UNPAIRED_IDLE');
      }
    };
    this.timer = this.clock.setTimeout(step, this.timeline.firstMs);
  }

  stop(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  refresh(): void {
    this.refreshes += 1;
    this.socket.setState('UNPAIRED');
    this.conn.rotate();
    this.start();
  }
}

/** `WAWebAltDeviceLinkingApi`: pairing by phone number. WhatsApp may refuse a code (`pairingRefusal`). */
export function altDeviceLinkingApi(refusal: () => unknown) {
  let codes = 0;
  return {
    pairingType: 'QR',
    setPairingType(type: string) {
      this.pairingType = type;
    },
    async initializeAltDeviceLinking() {},
    async initializeQRLinking() {
      this.pairingType = 'QR';
    },
    // Client.js requestPairingCode: its first call is not awaited by inject(), later ones run in the
    // page's own setInterval (window.codeInterval).
    async startAltLinkingFlow() {
      const refused = refusal();
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- whatever the test makes WhatsApp refuse with
      if (refused !== undefined) throw refused;
      codes += 1;
      return `K${codes}PQ2R7W`.slice(0, 8);
    },
  };
}

/** `WAWebCmd.Cmd`: the command bus. Revokes and deletes live here; there is no refreshQR. */
export class Cmd extends Emitter {
  constructor(
    onError: (err: unknown) => void,
    private readonly actions: {
      revoke(chat: unknown, msgs: unknown): Promise<unknown>;
      deleteForMe(chat: unknown, msgs: unknown): Promise<unknown>;
    },
  ) {
    super(onError);
  }

  sendRevokeMsgs(chat: unknown, msgs: unknown): Promise<unknown> {
    return this.actions.revoke(chat, msgs);
  }

  sendDeleteMsgs(chat: unknown, msgs: unknown): Promise<unknown> {
    return this.actions.deleteForMe(chat, msgs);
  }
}
