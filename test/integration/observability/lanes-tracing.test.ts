import Redis from 'ioredis';
import pino from 'pino';
import { trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { DeadLetters } from '../../../src/queue/dead-letters';
import { RetryableError } from '../../../src/queue/errors';
import { Lanes, type LanePolicy } from '../../../src/queue/lanes';
import { Keys } from '../../../src/store/keys';
import { inSpan } from '../../../src/observability/tracing';
import { startTracing, type Tracing } from '../../../src/observability/tracing-setup';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait';

interface Item {
  v: string;
}

const POLICY: LanePolicy = { concurrency: 4, maxAttempts: 3, baseMs: 10, maxMs: 40, maxAgeMs: 3_600_000, lockTtlMs: 300 };
const named = (spans: ReadableSpan[], name: string) => spans.filter((s) => s.name === name);

describe('lanes carry a trace through Redis (real redis-server)', () => {
  let server: TestRedis;
  let redis: Redis;
  let exporter: InMemorySpanExporter;
  let tracing: Tracing | undefined;
  const open: Array<Lanes<Item>> = [];
  let n = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  beforeEach(() => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'ponte-test', sampleRatio: 1 }, { exporter });
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((l) => l.close(1000)));
    await tracing?.shutdown();
  });
  afterAll(async () => {
    redis.disconnect();
    await server.stop();
  });

  /** One process's lanes: each its own connection, the same queue and key prefix. */
  function lanesOf(keys: Keys, events: { onWait?: (lane: string, s: number) => void; drainsHere?: (lane: string) => boolean } = {}) {
    const conn = new Redis(server.url);
    const lanes = new Lanes<Item>({
      name: 't',
      redis: conn,
      redisUrl: server.url,
      keys,
      deadLetters: new DeadLetters(conn, keys),
      policy: POLICY,
      logger: pino({ level: 'silent' }),
      events,
    });
    open.push(lanes);
    const close = lanes.close.bind(lanes);
    lanes.close = async (ms) => {
      await close(ms);
      conn.disconnect();
    };
    return lanes;
  }

  test('a job pushed by one process and drained by another continues the pusher trace: push, wait, attempt, the handler work', async () => {
    const keys = new Keys(`tr${++n}:`);
    // The pusher never drains (its lanes run elsewhere): the wake-up goes through the shared queue.
    const pusher = lanesOf(keys, { drainsHere: () => false });
    const drainer = lanesOf(keys);
    const handled: string[] = [];
    drainer.start(async (data) => {
      await inSpan('work', {}, async () => {
        handled.push(data.v);
      });
    });
    let origin = '';
    await inSpan('origin', {}, async (span) => {
      origin = span.spanContext().traceId;
      await pusher.push('main|351912345678@c.us', { v: 'a' });
    });
    await waitFor(() => handled.length === 1, 5000);
    const spans = await waitFor(() => {
      const got = exporter.getFinishedSpans();
      return named(got, 'lane.attempt').length ? got : undefined;
    }, 2000);
    const [push] = named(spans, 'lane.push');
    const [wait] = named(spans, 'lane.wait');
    const [attempt] = named(spans, 'lane.attempt');
    const [work] = named(spans, 'work');
    for (const s of [push, wait, attempt, work]) expect(s.spanContext().traceId).toBe(origin);
    expect(wait.parentSpanContext?.spanId).toBe(push.spanContext().spanId);
    expect(attempt.parentSpanContext?.spanId).toBe(push.spanContext().spanId);
    expect(work.parentSpanContext?.spanId).toBe(attempt.spanContext().spanId);
    expect(attempt.attributes).toMatchObject({ 'ponte.queue': 't', 'ponte.outcome': 'ok' });
    // The chat's phone never goes into a span unmasked.
    expect(push.attributes['ponte.lane']).toBe('main|•••5678@c.us');
    expect(JSON.stringify(spans.map((s) => s.attributes))).not.toContain('351912345678');
  });

  test('a retried head is waited for once: one lane.wait and one wait observed, an attempt span per attempt with its outcome', async () => {
    const keys = new Keys(`tr${++n}:`);
    const waits: number[] = [];
    const lanes = lanesOf(keys, { onWait: (_lane, s) => waits.push(s) });
    let calls = 0;
    lanes.start(async () => {
      calls += 1;
      if (calls === 1) throw new RetryableError('Chatwoot answered 502');
    });
    await lanes.push('main|1', { v: 'x' });
    await waitFor(() => calls === 2 && named(exporter.getFinishedSpans(), 'lane.attempt').length === 2, 5000);
    const attempts = named(exporter.getFinishedSpans(), 'lane.attempt');
    expect(attempts.map((s) => s.attributes['ponte.outcome'])).toEqual(['retry', 'ok']);
    expect(attempts[0].status.message).toBe('Chatwoot answered 502');
    expect(named(exporter.getFinishedSpans(), 'lane.wait')).toHaveLength(1);
    expect(waits).toHaveLength(1);
  });

  test('off (no provider registered): no span, and the job in Redis carries no traceparent', async () => {
    await tracing?.shutdown();
    const keys = new Keys(`tr${++n}:`);
    const lanes = lanesOf(keys);
    await inSpan('origin', {}, async () => {
      await lanes.push('main|2', { v: 'quiet' });
    });
    const [raw] = await redis.lrange(keys.lane('t', 'main|2'), 0, -1);
    expect(JSON.parse(raw)).toEqual({ id: expect.any(String), enqueuedAt: expect.any(Number), data: { v: 'quiet' } });
    expect(exporter.getFinishedSpans()).toEqual([]);
    expect(trace.getActiveSpan()).toBeUndefined();
  });

  test('on: the job in Redis carries the push span as its W3C traceparent', async () => {
    const keys = new Keys(`tr${++n}:`);
    const lanes = lanesOf(keys);
    await lanes.push('main|3', { v: 'traced' });
    const [raw] = await redis.lrange(keys.lane('t', 'main|3'), 0, -1);
    const [push] = named(exporter.getFinishedSpans(), 'lane.push');
    const { traceId, spanId } = push.spanContext();
    expect((JSON.parse(raw) as { tp: string }).tp).toBe(`00-${traceId}-${spanId}-01`);
  });
});
