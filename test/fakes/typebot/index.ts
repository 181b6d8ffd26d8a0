import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileFlow } from './flow-compiler';
import { createApp } from './http-app';
import { TypebotOpenApi } from './openapi-validator';
import { FakeStore } from './store';
import type { FaultRoute } from './store';
import type { FlowDefinition } from './flow-types';
import type { AnswerRecord, Rejection, RequestLogEntry, ResultView, SessionView, TypebotFakeOptions } from './types';

export * from './flow-builders';
export type * from './flow-types';
export type * from './types';
export type { SlateElement, SlateNode, SlateText, VariableValue } from './rich-text';
export type { FaultRoute } from './store';
export { TypebotOpenApi, SPEC_PATCHES, SPEC_TIGHTENINGS, OPENAPI_PATH } from './openapi-validator';

/**
 * A strict, in-memory Typebot viewer (chat API: startChat / continueChat) plus the builder's results API, over
 * real HTTP on 127.0.0.1. Scripted flows stand in for published bots. Requests and responses are checked against
 * Typebot's own OpenAPI; whatever the real server would refuse is answered like it and listed in `rejections`.
 */
export class TypebotFake {
  readonly resultsToken: string;
  private readonly store = new FakeStore();
  private server: Server | undefined;
  private baseUrl = '';

  private constructor(opts: TypebotFakeOptions) {
    this.resultsToken = opts.resultsToken ?? 'typebot-results-token';
    for (const [publicId, flow] of Object.entries(opts.flows ?? {})) this.addFlow(publicId, flow);
  }

  static async start(opts: TypebotFakeOptions = {}): Promise<TypebotFake> {
    const fake = new TypebotFake(opts);
    const server = createServer(createApp(fake.store, TypebotOpenApi.shared(), fake.resultsToken));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    fake.server = server;
    fake.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  /** Base URL without `/api`: clients call `${url}/api/v1/typebots/{publicId}/startChat`. */
  get url(): string {
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Publishes (or replaces) a bot. Live sessions keep the flow they started with. Throws on a broken flow. */
  addFlow(publicId: string, flow: FlowDefinition): void {
    this.store.flows.set(publicId, compileFlow(publicId, flow));
  }

  /** startChat answers 400 "Typebot is closed"; live sessions go on, as on the real server. */
  closeBot(publicId: string): void {
    this.store.closed.add(publicId);
  }

  openBot(publicId: string): void {
    this.store.closed.delete(publicId);
  }

  /**
   * The next `n` requests (optionally only to one route) get `status` with an oRPC error body and change nothing.
   * `retryAfter` adds a Retry-After header. Typebot's viewer itself never answers 429 (its chat API has no rate
   * limiter at 830ba71) nor 502/503/504: those come from what stands in front of it (a reverse proxy, a CDN,
   * a rate limiter), and a 429 or 503 may carry Retry-After (RFC 6585 §4, RFC 9110 §10.2.3 and §15.6.4).
   */
  failNext(n: number, status = 500, only?: FaultRoute, opts: { retryAfter?: string } = {}): void {
    for (let i = 0; i < n; i++) this.store.failures.push({ status, only, ...opts });
  }

  /**
   * An outage: from now until `up()`, every request (optionally only to one route) gets `status` and changes
   * nothing, as behind a proxy whose Typebot is down (503) or restarting (502). See failNext for Retry-After.
   */
  down(status = 503, only?: FaultRoute, opts: { retryAfter?: string } = {}): void {
    this.store.outage = { status, only, ...opts };
  }

  up(): void {
    this.store.outage = undefined;
  }

  /**
   * The next `n` requests wait `ms` before being handled (failNext faults included). A request whose client
   * gave up meanwhile is still handled, and its changes kept, as on the real server: a timeout is not a refusal.
   */
  delayNext(ms: number, n = 1): void {
    for (let i = 0; i < n; i++) this.store.delays.push(ms);
  }

  /** continueChat on it answers 404 "Session expired…" from now on (Typebot's expiryTimeout having elapsed). */
  expireSession(sessionId: string): void {
    const session = this.store.sessions.get(sessionId);
    if (!session) throw new Error(`TypebotFake.expireSession: no live session '${sessionId}'`);
    session.expired = true;
  }

  get requests(): RequestLogEntry[] {
    return this.store.log.map((e) => structuredClone(e));
  }

  get rejections(): Rejection[] {
    return this.store.rejections.map((r) => structuredClone(r));
  }

  /** Live sessions only: a session whose flow ended is deleted. */
  get sessions(): SessionView[] {
    return [...this.store.sessions.values()].map((s) => ({
      sessionId: s.id,
      publicId: s.publicId,
      resultId: s.resultId,
      awaiting: s.cursor.at,
      stepId: s.cursor.at === 'start' ? undefined : s.flow.steps[s.cursor.step].id,
      expired: s.expired,
    }));
  }

  result(resultId: string): ResultView | undefined {
    const r = this.store.results.get(resultId);
    if (!r) return undefined;
    return {
      id: r.id,
      typebotId: r.typebotId,
      publicId: r.publicId,
      createdAt: r.createdAt,
      variables: Object.fromEntries(structuredClone(r.variables)),
      answers: structuredClone(r.answers),
      isCompleted: r.isCompleted,
      hasStarted: r.hasStarted,
      lastChatSessionId: r.lastChatSessionId,
    };
  }

  /** Accepted answers of a result, or of one session (also after the session was deleted). */
  answersReceived(sessionOrResultId: string): AnswerRecord[] {
    const byResult = this.store.results.get(sessionOrResultId);
    const all = byResult
      ? byResult.answers
      : [...this.store.results.values()].flatMap((r) => r.answers.filter((a) => a.sessionId === sessionOrResultId));
    return structuredClone(all);
  }

  /** Forgets sessions, results, logs, rejections and pending faults; flows and closed bots stay. */
  reset(): void {
    this.store.reset();
  }
}
