import { createHmac, randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import axios from 'axios';
import type { JsonObject, WebhookConfig, WebhookDelivery } from './types';

/** Events after which a failed API-inbox delivery flips the message to failed (Webhooks::Trigger). */
const FAILURE_TRACKED_EVENTS = ['message_created', 'message_updated'];

export interface DeliveryFailure {
  event: string;
  payload: JsonObject;
  error: string;
  /** True when the failed delivery was itself the message_updated caused by an earlier failure. */
  cascade: boolean;
}

/** lib/webhooks/trigger.rb#request_headers: signature over "<timestamp>.<raw body>". */
export function signatureHeaders(secret: string, rawBody: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
  return { 'X-Chatwoot-Timestamp': String(timestamp), 'X-Chatwoot-Signature': `sha256=${digest}` };
}

/**
 * Delivers webhooks one at a time in creation order (a single Sidekiq worker, in effect), with one attempt
 * and the WEBHOOK_TIMEOUT, like API-inbox webhooks in 4.13.
 */
export class WebhookDispatcher {
  private log: WebhookDelivery[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private pending = 0;
  private readonly inflight = new Set<AbortController>();
  private closed = false;

  constructor(
    private config: WebhookConfig | undefined,
    private readonly timeoutMs: number,
    private readonly onFailure: (f: DeliveryFailure) => void,
  ) {}

  /** The bridge's port is often known only after the fake started. */
  configure(config: WebhookConfig | undefined): void {
    this.config = config;
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  deliveries(): WebhookDelivery[] {
    return this.log.map((d) => ({ ...d, headers: { ...d.headers }, payload: structuredClone(d.payload) }));
  }

  reset(): void {
    this.log = [];
  }

  /**
   * Payloads are built by the caller at event time, so later changes never leak into an earlier webhook.
   * `target`: the inbox's own webhook (an inbox created through the API has its webhook_url and secret).
   */
  enqueue(event: string, payload: JsonObject, cascade = false, target?: WebhookConfig): Promise<WebhookDelivery | null> {
    const to = target ?? this.config;
    if (!to) return Promise.resolve(null);
    return this.schedule(() => this.sendTracked(event, JSON.stringify(payload), payload, cascade, to));
  }

  /** Chatwoot firing the same event twice: identical body, freshly signed, with a new delivery id. */
  redeliver(event: string): Promise<WebhookDelivery> {
    const last = [...this.log].reverse().find((d) => d.event === event && d.payload.event === event);
    if (!last) return Promise.reject(new Error(`no ${event} webhook was delivered yet`));
    return this.schedule(() => this.sendTracked(event, last.body, last.payload, false, { url: last.url, secret: this.config?.secret }));
  }

  private async sendTracked(
    event: string,
    body: string,
    payload: JsonObject,
    cascade: boolean,
    to: WebhookConfig,
  ): Promise<WebhookDelivery> {
    const d = await this.send(event, body, this.signedHeaders(body, to.secret), to.url);
    if (d.error !== null && !this.closed && FAILURE_TRACKED_EVENTS.includes(event)) {
      this.onFailure({ event, payload, error: d.error, cascade });
    }
    return d;
  }

  /** Sends exactly what the test gives (no signing), through the same queue and log. */
  sendRaw(body: unknown, headers: Record<string, string>): Promise<WebhookDelivery> {
    if (!this.config) return Promise.reject(new Error('no webhook configured'));
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    let event = 'raw';
    try {
      const parsed = JSON.parse(raw) as { event?: unknown };
      if (typeof parsed.event === 'string') event = parsed.event;
    } catch {
      /* not JSON: logged as raw */
    }
    const base: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    const url = this.config.url;
    return this.schedule<WebhookDelivery>(() => this.send(event, raw, { ...base, ...headers }, url));
  }

  /** Resolves once nothing is queued, including deliveries queued while waiting. */
  async idle(): Promise<void> {
    while (this.pending > 0) await this.queue;
  }

  /** After close() nothing more goes out (queued jobs are logged as not sent), so stop() never waits on a receiver. */
  close(): void {
    this.closed = true;
    for (const c of this.inflight) c.abort();
  }

  open(): void {
    this.closed = false;
  }

  private signedHeaders(body: string, secret: string | undefined): Record<string, string> {
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      Accept: 'application/json',
      'X-Chatwoot-Delivery': randomUUID(),
    };
    if (secret) Object.assign(headers, signatureHeaders(secret, body));
    return headers;
  }

  private schedule<T>(job: () => Promise<T>): Promise<T> {
    this.pending += 1;
    const run = this.queue.then(job).finally(() => {
      this.pending -= 1;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(event: string, body: string, headers: Record<string, string>, url: string): Promise<WebhookDelivery> {
    const started = Date.now();
    const { status, error } = this.closed ? { status: null, error: 'not sent: the fake was stopped' } : await this.post(url, body, headers);
    const delivery: WebhookDelivery = {
      event,
      deliveryId: Object.entries(headers).find(([k]) => k.toLowerCase() === 'x-chatwoot-delivery')?.[1] ?? '',
      url,
      headers,
      body,
      payload: safeParse(body),
      status,
      error,
      durationMs: Date.now() - started,
      sentAt: started,
    };
    this.log.push(delivery);
    return delivery;
  }

  private async post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number | null; error: string | null }> {
    const controller = new AbortController();
    this.inflight.add(controller);
    try {
      const res = await axios.post(url, body, {
        headers,
        timeout: this.timeoutMs,
        signal: controller.signal,
        maxRedirects: 0,
        transformRequest: [(data: unknown) => data],
        validateStatus: () => true,
        responseType: 'text',
      });
      // RestClient raises for anything but 2xx, and the exception message becomes external_error.
      const ok = res.status >= 200 && res.status < 300;
      return { status: res.status, error: ok ? null : `${res.status} ${STATUS_CODES[res.status] ?? ''}`.trim() };
    } catch (e) {
      return { status: null, error: describeError(e, url) };
    } finally {
      this.inflight.delete(controller);
    }
  }
}

function describeError(e: unknown, url: string): string {
  const err = e as { code?: string; message?: string };
  if (err.code === 'ECONNABORTED' || err.code === 'ETIMEDOUT') return 'Timed out reading data from server';
  if (err.code === 'ECONNREFUSED') {
    const u = new URL(url);
    return `Failed to open TCP connection to ${u.hostname}:${u.port} (Connection refused - connect(2) for "${u.hostname}" port ${u.port})`;
  }
  return err.message ?? String(e);
}

function safeParse(body: string): JsonObject {
  try {
    const v = JSON.parse(body) as unknown;
    return typeof v === 'object' && v !== null ? (v as JsonObject) : { value: v };
  } catch {
    return { raw: body };
  }
}
