import type { Attributes, HrTime, SpanContext, SpanKind, SpanStatus } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult, type InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, SpanExporter, TimedEvent } from '@opentelemetry/sdk-trace-base';

/**
 * A finished span as a worker thread posts it (structured-clone safe): the front thread's spans leave
 * through the main thread's exporter, so a daemon has one OTLP connection and tests one in-memory exporter.
 */
export interface SpanRecord {
  name: string;
  kind: SpanKind;
  context: SpanContext;
  parent?: SpanContext;
  startTime: HrTime;
  endTime: HrTime;
  duration: HrTime;
  status: SpanStatus;
  attributes: Attributes;
  events: TimedEvent[];
  scope: InstrumentationScope;
}

/** The thread's side: spans leave in one message per turn of the loop. */
export class PostingSpanExporter implements SpanExporter {
  private pending: SpanRecord[] = [];

  constructor(private readonly post: (spans: SpanRecord[]) => void) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    if (!this.pending.length) setImmediate(() => this.flush());
    for (const s of spans) this.pending.push(recordOf(s));
    done({ code: ExportResultCode.SUCCESS });
  }

  private flush(): void {
    const spans = this.pending;
    this.pending = [];
    if (spans.length) this.post(spans);
  }

  shutdown(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }

  forceFlush(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }
}

function recordOf(s: ReadableSpan): SpanRecord {
  return {
    name: s.name,
    kind: s.kind,
    context: plain(s.spanContext()),
    parent: s.parentSpanContext ? plain(s.parentSpanContext) : undefined,
    startTime: s.startTime,
    endTime: s.endTime,
    duration: s.duration,
    status: s.status,
    attributes: s.attributes,
    events: s.events,
    scope: s.instrumentationScope,
  };
}

/** Without the trace state: a class instance, which a thread message would not carry as one. */
function plain(c: SpanContext): SpanContext {
  return { traceId: c.traceId, spanId: c.spanId, traceFlags: c.traceFlags, isRemote: c.isRemote };
}

/** The main thread's side: the spans again, under this daemon's resource. */
export function reviveSpans(records: SpanRecord[], resource: Resource): ReadableSpan[] {
  return records.map((r) => ({
    name: r.name,
    kind: r.kind,
    spanContext: () => r.context,
    parentSpanContext: r.parent,
    startTime: r.startTime,
    endTime: r.endTime,
    duration: r.duration,
    status: r.status,
    attributes: r.attributes,
    links: [],
    events: r.events,
    ended: true,
    resource,
    instrumentationScope: r.scope,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
}
