import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
  type ReadableSpan,
  type SpanExporter,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import { setTracingOn } from './tracing';

/** The configuration's `tracing` section. */
export interface TracingSettings {
  otlpUrl?: string;
  serviceName: string;
  sampleRatio: number;
}

export interface Tracing {
  /** Hands on spans finished in another thread (the front thread's), as if they had ended here. */
  accept(spans: ReadableSpan[]): void;
  resource: Resource;
  /** Exports what is left and unregisters: the helpers go back to doing nothing. */
  shutdown(): Promise<void>;
}

let current: Tracing | undefined;

/** The tracing this thread runs, if any. */
export function activeTracing(): Tracing | undefined {
  return current;
}

/** `http://collector:4318` or the full traces URL: OTLP over HTTP wants `/v1/traces`. */
export function tracesUrl(otlpUrl: string): string {
  const url = new URL(otlpUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1/traces';
  return url.toString();
}

/**
 * Registers a tracer provider for this thread, exporting over OTLP (`settings.otlpUrl`) in batches, or to
 * `exporter` span by span (tests' in-memory exporter, the front thread's hand-over). Without either,
 * nothing is registered: the spans helpers stay off and cost nothing. One per thread: a second call while
 * one runs returns undefined (tests running several daemons in one process share the first).
 */
export function startTracing(settings: TracingSettings, opts: { exporter?: SpanExporter; version?: string } = {}): Tracing | undefined {
  if (current || (!settings.otlpUrl && !opts.exporter)) return undefined;
  const processor: SpanProcessor = opts.exporter
    ? new SimpleSpanProcessor(opts.exporter)
    : new BatchSpanProcessor(new OTLPTraceExporter({ url: tracesUrl(settings.otlpUrl!) }), {
        // A full buffer drops spans, never holds up a message.
        maxQueueSize: 4096,
        maxExportBatchSize: 512,
        scheduledDelayMillis: 2000,
      });
  const resource = resourceFromAttributes({
    [ATTR_SERVICE_NAME]: settings.serviceName,
    ...(opts.version ? { [ATTR_SERVICE_VERSION]: opts.version } : {}),
  });
  const provider = new BasicTracerProvider({
    resource,
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
    spanProcessors: [processor],
  });
  // The active span follows awaits only with a context manager; async_hooks' costs only while on.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
  setTracingOn(true);
  const tracing: Tracing = {
    resource,
    accept: (spans) => {
      for (const span of spans) processor.onEnd(span);
    },
    shutdown: async () => {
      if (current !== tracing) return;
      current = undefined;
      setTracingOn(false);
      await provider.shutdown().catch(() => undefined);
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  current = tracing;
  return tracing;
}
