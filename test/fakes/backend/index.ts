import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { Request, Response } from 'express';
import type {
  BackendFakeOptions,
  BackendRejection,
  BackendRequestLog,
  DecideOptions,
  DecisionBody,
  DecisionCall,
  RejectionKind,
  StoredDriver,
} from './types';
import { validateBody } from './validate-body';
import type { DrfErrors } from './validate-body';

export * from './types';

const DEFAULT_PATH = '/drivers/register-typebot/';
const DEFAULT_FILE_VARIABLES = ['cnh_frente', 'cnh_verso', 'comprovante_morada'];
const DEFAULT_REQUIRED = ['nome_completo', 'nif', 'telefone', 'email', 'morada', 'codigo_postal', 'cidade', ...DEFAULT_FILE_VARIABLES];

/**
 * The Django endpoint `POST /drivers/register-typebot/` over real HTTP: checks the signature (written here
 * independently of src/registration/signature.ts, so a mistake there is caught, not mirrored), honours
 * Idempotency-Key, validates the body like the DRF serializer, stores drivers, and fails on demand. A
 * corrected registration (meta.round 2, 3, ...) updates the driver that was asked for changes. `decide()`
 * is the backend's own call back to Ponte, signed the same way.
 */
export class BackendFake {
  readonly drivers: StoredDriver[] = [];
  readonly rejections: BackendRejection[] = [];
  readonly requests: BackendRequestLog[] = [];
  readonly decisions: DecisionCall[] = [];

  private server: Server | undefined;
  private port: number;
  private readonly path: string;
  private readonly required: string[];
  private readonly fileVariables: string[];
  private readonly hung = new Set<ServerResponse>();
  private failures: Array<{ status: number; body: unknown; headers: Record<string, string> }> = [];
  private hangs: Array<number | true> = [];
  private rejects: Array<{ status: number; errors: DrfErrors }> = [];
  private nextId = 1;

  private constructor(private readonly opts: BackendFakeOptions) {
    this.port = opts.port ?? 0;
    this.path = opts.path ?? DEFAULT_PATH;
    this.fileVariables = opts.fileVariables ?? DEFAULT_FILE_VARIABLES;
    this.required = opts.requiredVariables ?? DEFAULT_REQUIRED;
  }

  static async start(opts: BackendFakeOptions): Promise<BackendFake> {
    const fake = new BackendFake(opts);
    await fake.up();
    return fake;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The endpoint to configure in Ponte. */
  get url(): string {
    return `${this.baseUrl}${this.path}`;
  }

  get isUp(): boolean {
    return this.server !== undefined;
  }

  driverByKey(idempotencyKey: string): StoredDriver | undefined {
    return this.drivers.find((d) => d.idempotencyKey === idempotencyKey || d.corrections.some((c) => c.idempotencyKey === idempotencyKey));
  }

  /** The driver Ponte's registration became (meta.registrationId). */
  driverOf(registrationId: string): StoredDriver | undefined {
    return this.drivers.find((d) => d.meta.registrationId === registrationId);
  }

  /**
   * The backend's decision on a registration, posted to Ponte as the real backend posts it: JSON, signed
   * with the shared secret over "<timestamp>.<body>" (or `?token=` with options.token). On a 2xx the
   * driver takes the decision's status. Ponte's answer comes back and is logged in `decisions`.
   */
  async decide(
    ponteUrl: string,
    registrationId: string,
    body: DecisionBody | Record<string, unknown>,
    options: DecideOptions = {},
  ): Promise<{ status: number; body: any }> {
    const raw = options.raw ?? JSON.stringify(body);
    const ts = options.timestampS ?? Math.floor(Date.now() / 1000);
    const signature = `sha256=${createHmac('sha256', options.secret ?? this.opts.secret)
      .update(`${ts}.`)
      .update(raw)
      .digest('hex')}`;
    const url = `${ponteUrl}/hooks/registrations/${encodeURIComponent(registrationId)}/decision${options.token !== undefined ? `?token=${encodeURIComponent(options.token)}` : ''}`;
    const headers: Record<string, string> = {
      'Content-Type': 'application/json',
      ...(options.token !== undefined ? {} : { 'X-Ponte-Timestamp': String(ts), 'X-Ponte-Signature': signature }),
    };
    const res = await fetch(url, { method: 'POST', headers, body: raw });
    const text = await res.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON: kept as text, so a test sees what came back.
    }
    this.decisions.push({ registrationId, body, status: res.status, answer });
    const driver = this.driverOf(registrationId);
    const decision = (body as { decision?: unknown }).decision;
    if (
      driver &&
      res.status >= 200 &&
      res.status < 300 &&
      (decision === 'approved' || decision === 'rejected' || decision === 'needs_changes')
    )
      driver.status = decision;
    return { status: res.status, body: answer };
  }

  /**
   * The next `n` requests answer `status` before any check (a proxy or the app falling over). Not recorded
   * in rejections. Any status works, so odd answers (a 201 without an id) can be staged too.
   */
  failNext(n: number, status = 500, answer: { body?: unknown; headers?: Record<string, string> } = {}): void {
    for (let i = 0; i < n; i++)
      this.failures.push({ status, body: answer.body ?? { detail: 'Injected failure' }, headers: answer.headers ?? {} });
  }

  /**
   * The next request gets no answer: for `ms`, after which it is handled normally (the backend was slow,
   * the work still happened), or for good with `true` (until down() or stop()).
   */
  hang(ms: number | true = true): void {
    this.hangs.push(ms);
  }

  /** The next correctly signed request is refused with 400 and these DRF-style field errors. */
  rejectNext(errors: DrfErrors, status = 400): void {
    this.rejects.push({ status, errors });
  }

  /** Connection refused from now on: the listener closes and open connections drop. */
  async down(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    // Lets clients see their pooled sockets close, so the next request is refused rather than reset.
    await new Promise((r) => setTimeout(r, 10));
  }

  /** Listens again, on the same port as before. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer(this.app());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  stop(): Promise<void> {
    return this.down();
  }

  /** Forgets drivers, logs and pending faults and drops hung requests; the listener stays as it is. */
  reset(): void {
    for (const res of this.hung) res.socket?.destroy();
    this.hung.clear();
    this.drivers.length = 0;
    this.decisions.length = 0;
    this.rejections.length = 0;
    this.requests.length = 0;
    this.failures = [];
    this.hangs = [];
    this.rejects = [];
    this.nextId = 1;
  }

  private app(): express.Express {
    const app = express();
    app.disable('x-powered-by');
    app.disable('etag');
    app.post(this.path, express.raw({ type: () => true, limit: '200mb' }), (req, res) => {
      void this.handle(req, res);
    });
    app.use((req, res) => {
      res.status(404).json({ detail: 'Not found.' });
    });
    return app;
  }

  private async handle(req: Request, res: Response): Promise<void> {
    const raw: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const key = req.get('Idempotency-Key') || undefined;
    const entry: BackendRequestLog = { method: req.method, path: req.path, idempotencyKey: key, bytes: raw.length, status: 0 };
    this.requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    const hang = this.hangs.shift();
    if (hang !== undefined) {
      entry.fault = 'hang';
      if (hang === true) {
        this.hung.add(res);
        res.on('close', () => this.hung.delete(res));
        return;
      }
      await new Promise((r) => setTimeout(r, hang));
    }
    const failure = this.failures.shift();
    if (failure) {
      entry.fault = 'fail';
      res.status(failure.status).set(failure.headers).json(failure.body);
      return;
    }

    const auth = this.checkSignature(req, raw);
    if (auth) return this.reject(res, 401, auth.kind, auth.reason, { detail: auth.reason }, key);
    if (!key)
      return this.reject(res, 400, 'idempotency_key', 'Idempotency-Key header missing', {
        'Idempotency-Key': ['This header is required.'],
      });
    const injected = this.rejects.shift();
    if (injected) return this.reject(res, injected.status, 'injected', 'rejectNext()', injected.errors, key);

    // A replay answers what the first request got, before looking at the body again (like idempotency middleware).
    const existing = this.driverByKey(key);
    if (existing) {
      existing.replays++;
      res.status(200).json(this.answer(existing));
      return;
    }

    const type = (req.get('Content-Type') ?? '').toLowerCase();
    if (!type.startsWith('application/json')) {
      const detail = `Unsupported media type "${type}" in request.`;
      return this.reject(res, 415, 'content_type', detail, { detail }, key);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch (e) {
      const detail = `JSON parse error - ${(e as Error).message}`;
      return this.reject(res, 400, 'body', detail, { detail }, key);
    }
    const correction = correctionOf(body);
    // A correction carries every text field but only the files the backend asked for again.
    const required = correction
      ? this.required.filter((v) => !this.fileVariables.includes(v) || correction.changed.includes(v))
      : this.required;
    const parsed = validateBody(body, required, this.fileVariables);
    if (!parsed.ok) return this.reject(res, 400, 'body', JSON.stringify(parsed.errors), parsed.errors, key);
    if (correction) {
      const driver = this.driverOf(String(parsed.value.meta.registrationId));
      if (!driver || driver.status !== 'needs_changes') {
        const detail = driver ? `Driver ${driver.id} is ${driver.status}, not awaiting changes.` : 'No registration to correct.';
        return this.reject(res, 409, 'not_awaiting_changes', detail, { detail }, key);
      }
      driver.fields = parsed.value.fields;
      driver.files = { ...driver.files, ...parsed.value.files };
      driver.meta = parsed.value.meta;
      driver.status = 'pending_approval';
      driver.corrections.push({ idempotencyKey: key, round: correction.round, changed: correction.changed, at: Date.now() });
      res.status(200).json(this.answer(driver));
      return;
    }

    const driver: StoredDriver = {
      id: this.nextId++,
      idempotencyKey: key,
      status: 'pending_approval',
      ...parsed.value,
      createdAt: Date.now(),
      replays: 0,
      corrections: [],
    };
    this.drivers.push(driver);
    res.status(201).json(this.answer(driver));
  }

  private answer(driver: StoredDriver): Record<string, unknown> {
    return { driver_id: driver.id, status: driver.status };
  }

  private checkSignature(req: Request, raw: Buffer): { kind: RejectionKind; reason: string } | undefined {
    const signature = req.get('X-Ponte-Signature');
    const timestamp = req.get('X-Ponte-Timestamp');
    if (!signature || !timestamp) return { kind: 'missing_signature', reason: 'X-Ponte-Signature and X-Ponte-Timestamp are required.' };
    const skew = Math.abs(Date.now() / 1000 - Number(timestamp));
    if (!/^\d+$/.test(timestamp) || skew > (this.opts.toleranceS ?? 300))
      return { kind: 'stale', reason: 'Timestamp outside the allowed window.' };
    const expected = Buffer.from(
      `sha256=${createHmac('sha256', this.opts.secret)
        .update(Buffer.concat([Buffer.from(`${timestamp}.`), raw]))
        .digest('hex')}`,
    );
    const given = Buffer.from(signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { kind: 'signature', reason: 'Invalid signature.' };
    return undefined;
  }

  private reject(res: Response, status: number, kind: RejectionKind, reason: string, errors: unknown, key?: string): void {
    this.rejections.push({ status, kind, reason, idempotencyKey: key, errors });
    res.status(status).json(errors);
  }
}

/** meta.round above 1 (with meta.changed): a registration corrected after the backend asked for changes. */
function correctionOf(body: unknown): { round: number; changed: string[] } | undefined {
  const meta = (body as { meta?: { round?: unknown; changed?: unknown } } | undefined)?.meta;
  if (typeof meta?.round !== 'number' || meta.round < 2) return undefined;
  return { round: meta.round, changed: Array.isArray(meta.changed) ? meta.changed.filter((c): c is string => typeof c === 'string') : [] };
}
