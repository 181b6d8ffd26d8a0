import { EventEmitter } from 'node:events';
import WebSocket from 'ws';
import { backoffDelay, type BackoffPolicy } from '../../core/backoff';
import { CABLE_PROTOCOL, parseFrame, sameIdentifier, subscribeCommand } from './frames';

/**
 * - `connecting`: fetching the identifier or opening the socket
 * - `connected`: socket open, waiting for welcome / confirm_subscription
 * - `subscribed`: confirmed; broadcasts flow
 * - `disconnected`: down, a reconnect is scheduled
 * - `rejected`: the server refused the subscription (bad or rotated pubsub_token); retried like a drop
 */
export type CableState = 'idle' | 'connecting' | 'connected' | 'subscribed' | 'disconnected' | 'rejected' | 'stopped';

export interface CableClientOptions {
  url: string;
  /** Sent with the upgrade (Origin: Rails checks it when request forgery protection is on). */
  headers?: Record<string, string>;
  /** Resolved before every connection attempt (so a rotated token is picked up); a throw counts as a failed attempt. */
  identifier: () => Promise<string>;
  /** No frame at all (ActionCable pings every 3 s) for this long: the connection is dead, reconnect. */
  staleAfterMs: number;
  /** Longest wait from opening the socket to confirm_subscription. */
  subscribeTimeoutMs: number;
  reconnect: BackoffPolicy;
  random?: () => number;
}

export interface CableStatus {
  state: CableState;
  /** When the current state began (epoch ms). */
  since: number;
  /** Reconnects scheduled since start. */
  reconnects: number;
  /** Failed attempts since the last subscription (what the next backoff grows from). */
  failures: number;
  lastError?: string;
  lastFrameAt?: number;
}

export interface CableClientEvents {
  state: [state: CableState, previous: CableState];
  /** A broadcast to our subscription: the channel's payload. */
  message: [message: unknown];
  /** A reconnect was scheduled after `delayMs` (`failures` attempts in a row have failed). */
  retry: [info: { failures: number; delayMs: number; reason: string }];
}

/**
 * One ActionCable connection with one subscription, kept alive: subscribe after every welcome, treat a
 * silent socket as dead, reconnect with exponential backoff and jitter (core/backoff.ts), and start
 * again from the shortest delay once a subscription is confirmed.
 */
export class CableClient extends EventEmitter<CableClientEvents> {
  private ws?: WebSocket;
  private current: CableState = 'idle';
  private since = Date.now();
  private identifier?: string;
  private failures = 0;
  private reconnects = 0;
  private lastError?: string;
  private lastFrameAt?: number;
  private retryTimer?: NodeJS.Timeout;
  private staleTimer?: NodeJS.Timeout;
  private subscribeTimer?: NodeJS.Timeout;
  private stopped = true;
  /** Why Ponte itself ended the socket (stale, rejected...), reported instead of the bare close code. */
  private pendingReason?: string;

  constructor(private readonly options: CableClientOptions) {
    super();
  }

  state(): CableState {
    return this.current;
  }

  status(): CableStatus {
    return {
      state: this.current,
      since: this.since,
      reconnects: this.reconnects,
      failures: this.failures,
      lastError: this.lastError,
      lastFrameAt: this.lastFrameAt,
    };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  /** Closes the socket and cancels any reconnect; resolves once the socket is closed (or after 1 s). */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimers();
    clearTimeout(this.retryTimer);
    const ws = this.ws;
    this.ws = undefined;
    this.setState('stopped');
    if (!ws || ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        ws.terminate();
        resolve();
      }, 1000);
      ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (ws.readyState === WebSocket.CONNECTING) ws.terminate();
      else ws.close(1000);
    });
  }

  /**
   * Replaces a connection that looks healthy but is not (it hears nothing): ends it now and reconnects
   * after the shortest backoff, with a fresh identifier. `reason` is reported as the last error.
   */
  replace(reason: string): void {
    if (this.stopped) return;
    if (this.ws) this.drop(this.ws, reason);
    else this.lastError = reason;
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    this.setState('connecting');
    let identifier: string;
    try {
      identifier = await this.options.identifier();
    } catch (err) {
      return this.down(`cannot subscribe: ${(err as Error).message}`);
    }
    if (this.stopped) return;
    this.identifier = identifier;
    const ws = new WebSocket(this.options.url, [CABLE_PROTOCOL], {
      headers: this.options.headers,
      handshakeTimeout: this.options.subscribeTimeoutMs,
      perMessageDeflate: false,
    });
    this.ws = ws;
    ws.on('open', () => {
      if (this.ws !== ws) return;
      this.setState('connected');
      this.lastFrameAt = Date.now();
      this.staleTimer = setTimeout(() => this.drop(ws, `no frame for ${this.options.staleAfterMs} ms`), this.options.staleAfterMs).unref();
      this.subscribeTimer = setTimeout(
        () => this.drop(ws, `no confirm_subscription within ${this.options.subscribeTimeoutMs} ms`),
        this.options.subscribeTimeoutMs,
      ).unref();
    });
    ws.on('message', (data: WebSocket.RawData) => {
      if (this.ws === ws) this.onFrame(ws, Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer));
    });
    // 'close' always follows; the error is what it is reported with.
    ws.on('error', (err) => {
      if (this.ws === ws) this.lastError = err.message;
    });
    ws.on('close', (code, reason) => {
      if (this.ws !== ws) return;
      this.ws = undefined;
      this.down(this.lastErrorFor(code, reason.toString()));
    });
  }

  private lastErrorFor(code: number, reason: string): string {
    const why = this.pendingReason ?? this.lastError;
    this.pendingReason = undefined;
    return why ?? `closed (${code}${reason ? ` ${reason}` : ''})`;
  }

  private onFrame(ws: WebSocket, raw: Buffer): void {
    this.lastFrameAt = Date.now();
    this.staleTimer?.refresh();
    const frame = parseFrame(raw);
    switch (frame.type) {
      case 'welcome':
        ws.send(subscribeCommand(this.identifier!));
        return;
      case 'confirm_subscription':
        if (!sameIdentifier(frame.identifier, this.identifier!)) return;
        clearTimeout(this.subscribeTimer);
        this.failures = 0;
        this.lastError = undefined;
        this.setState('subscribed');
        return;
      case 'reject_subscription':
        if (!sameIdentifier(frame.identifier, this.identifier!)) return;
        this.setState('rejected');
        this.drop(ws, 'subscription rejected (is the pubsub_token still valid?)');
        return;
      case 'disconnect':
        this.drop(ws, `server disconnected${frame.reason ? `: ${frame.reason}` : ''}`);
        return;
      case 'message':
        if (this.current === 'subscribed' && sameIdentifier(frame.identifier, this.identifier!)) this.emit('message', frame.message);
        return;
      default:
        return;
    }
  }

  /** Ends this socket now (no close handshake to wait for); its 'close' then schedules the reconnect. */
  private drop(ws: WebSocket, reason: string): void {
    if (this.ws !== ws) return;
    this.pendingReason = reason;
    ws.terminate();
  }

  private down(reason: string): void {
    this.clearTimers();
    this.lastError = reason;
    if (this.stopped) return;
    if (this.current !== 'rejected') this.setState('disconnected');
    const delayMs = backoffDelay(this.failures, this.options.reconnect, this.options.random);
    this.failures += 1;
    this.reconnects += 1;
    this.emit('retry', { failures: this.failures, delayMs, reason });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delayMs).unref();
  }

  private clearTimers(): void {
    clearTimeout(this.staleTimer);
    clearTimeout(this.subscribeTimer);
    this.staleTimer = undefined;
    this.subscribeTimer = undefined;
  }

  private setState(next: CableState): void {
    if (next === this.current) return;
    const previous = this.current;
    this.current = next;
    this.since = Date.now();
    this.emit('state', next, previous);
  }
}
