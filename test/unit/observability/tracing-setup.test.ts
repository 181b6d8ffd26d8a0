import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { validate } from '../../../src/config/load';
import { inSpan, tracingOn } from '../../../src/observability/tracing';
import { PostingSpanExporter, reviveSpans, type SpanRecord } from '../../../src/observability/tracing-handover';
import { startTracing, tracesUrl } from '../../../src/observability/tracing-setup';

const base = { http: { adminToken: 'a'.repeat(32) }, sessions: [{ id: 'main', engine: 'simulator' }] };

describe('tracing setup', () => {
  test('off by default: the configuration names no collector and nothing is registered', async () => {
    const config = validate(base, 'test');
    expect(config.tracing).toEqual({ serviceName: 'ponte', sampleRatio: 1 });
    expect(startTracing(config.tracing)).toBeUndefined();
    expect(tracingOn()).toBe(false);
    // The helpers run the work as it is, with a span that records nothing.
    await expect(inSpan('x', {}, async (span) => span.isRecording())).resolves.toBe(false);
  });

  test('a collector URL that is not http(s), or a ratio outside 0..1, is refused with the reason', () => {
    expect(() => validate({ ...base, tracing: { otlpUrl: 'collector:4318' } }, 'test')).toThrow(/tracing\.otlpUrl.*http\(s\) URL/s);
    expect(() => validate({ ...base, tracing: { otlpUrl: 'http://c:4318', sampleRatio: 2 } }, 'test')).toThrow(
      /tracing\.sampleRatio.*from 0 to 1/s,
    );
  });

  test('the collector is named by its base URL or the full traces URL', () => {
    expect(tracesUrl('http://otel:4318')).toBe('http://otel:4318/v1/traces');
    expect(tracesUrl('https://otel.example.com/v1/traces')).toBe('https://otel.example.com/v1/traces');
  });

  test("a thread's spans, posted as plain data, reach the main thread's exporter as they were", async () => {
    const posted: SpanRecord[][] = [];
    const inThread = startTracing({ serviceName: 'ponte', sampleRatio: 1 }, { exporter: new PostingSpanExporter((s) => posted.push(s)) })!;
    await inSpan('chatwoot.webhook', { 'http.response.status_code': 200 }, () => inSpan('lane.push', {}, async () => undefined));
    await new Promise((r) => setImmediate(r));
    await inThread.shutdown();
    expect(posted).toHaveLength(1);
    // What a worker's postMessage carries: a structured clone.
    const records = structuredClone(posted[0]);
    const memory = new InMemorySpanExporter();
    const main = startTracing({ serviceName: 'ponte', sampleRatio: 1 }, { exporter: memory })!;
    main.accept(reviveSpans(records, main.resource));
    await new Promise((r) => setImmediate(r));
    const [push, webhook] = memory.getFinishedSpans();
    await main.shutdown();
    expect([push.name, webhook.name]).toEqual(['lane.push', 'chatwoot.webhook']);
    expect(push.parentSpanContext?.spanId).toBe(webhook.spanContext().spanId);
    expect(push.spanContext().traceId).toBe(webhook.spanContext().traceId);
    expect(webhook.attributes).toEqual({ 'http.response.status_code': 200 });
  });
});
