import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TimeInput,
} from '@opentelemetry/api';
import { maskPhoneLike } from './logger';

export { SpanKind };
export type { Context, Span };

/**
 * Ponte's spans, by hand at the points a message passes (engine event, lane push, wait, attempt, Chatwoot
 * and Typebot calls, engine send). Off unless tracing-setup.ts registered a provider in this thread:
 * then every helper here returns at once, without allocating a span or touching the context.
 */
let on = false;

/** Set by tracing-setup.ts when this thread exports spans. */
export function setTracingOn(value: boolean): void {
  on = value;
}

export function tracingOn(): boolean {
  return on;
}

const NOOP_SPAN = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });

function tracer() {
  return trace.getTracer('ponte');
}

export interface SpanOptions {
  kind?: SpanKind;
  /** The parent (default: the active span). */
  parent?: Context;
  startTime?: TimeInput;
}

/**
 * Runs `fn` in a new span, the active one while it runs, ended when `fn` settles; a failure is recorded
 * with its message (never a body). `fn` may set an `outcome` attribute on its own.
 */
export function inSpan<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, opts: SpanOptions = {}): Promise<T> {
  return on ? spanned(name, attributes, fn, opts) : fn(NOOP_SPAN);
}

async function spanned<T>(name: string, attributes: Attributes, fn: (span: Span) => Promise<T>, opts: SpanOptions): Promise<T> {
  const span = tracer().startSpan(name, { kind: opts.kind ?? SpanKind.INTERNAL, attributes, startTime: opts.startTime }, opts.parent);
  try {
    // Success leaves the status unset, as OpenTelemetry asks: fn may have marked a handled failure.
    return await context.with(trace.setSpan(opts.parent ?? context.active(), span), () => fn(span));
  } catch (err) {
    failed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** A span that already happened (the wait of an item in its lane), from `start` to now. */
export function pastSpan(name: string, attributes: Attributes, start: TimeInput, parent?: Context): void {
  if (!on) return;
  tracer()
    .startSpan(name, { attributes, startTime: start }, parent ?? context.active())
    .end();
}

export function failed(span: Span, err: unknown): void {
  if (!on) return;
  const message = err instanceof Error ? err.message : String(err);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute('error.type', err instanceof Error ? err.name : typeof err);
}

/** The active context's W3C `traceparent`, to carry with a job through Redis; undefined when off or none. */
export function currentTraceparent(): string | undefined {
  if (!on) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** The context a job's `traceparent` names (the root context without one). */
export function contextOf(traceparent: string | undefined): Context {
  if (!on || !traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, { traceparent });
}

/** A lane name (`<session>|<chat id>`) as a span may carry it: the chat's phone masked as in the logs. */
export function maskedLane(lane: string): string {
  return maskPhoneLike(lane);
}
