/**
 * One trace per message across the daemon: a WhatsApp message from the engine event to its Chatwoot post,
 * an agent's reply from the front thread's webhook to the main thread's send. The daemon runs in-process
 * on a real redis-server with the in-memory exporter; the front thread's spans come home to it.
 */
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { startTracing, type Tracing } from '../../../src/observability/tracing-setup';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

const PEER = '+351912300077';
const PEER_JID = '351912300077@c.us';

/** The span's ancestors, nearest first, within the finished spans. */
function ancestors(span: ReadableSpan, spans: ReadableSpan[]): ReadableSpan[] {
  const byId = new Map(spans.map((s) => [s.spanContext().spanId, s]));
  const out: ReadableSpan[] = [];
  for (let p = span.parentSpanContext?.spanId; p && byId.has(p); p = byId.get(p)!.parentSpanContext?.spanId) out.push(byId.get(p)!);
  return out;
}

describe('traces through a running daemon (tracing on, in-memory exporter)', () => {
  let h: Harness;
  let exporter: InMemorySpanExporter;
  let tracing: Tracing | undefined;

  beforeAll(async () => {
    exporter = new InMemorySpanExporter();
    tracing = startTracing({ serviceName: 'ponte', sampleRatio: 1 }, { exporter });
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
    await tracing?.shutdown();
  });

  test('a WhatsApp message is one trace: engine event -> lane push -> wait and attempt -> the Chatwoot post', async () => {
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá, preciso de ajuda', pushName: 'Cliente' });
    await h.waitMessage(waId);
    // Parents end after their children: the attempt once the post is recorded.
    const post = await waitFor(
      () => {
        const spans = exporter.getFinishedSpans();
        return spans.find((s) => s.name === 'chatwoot messages.create' && ancestors(s, spans).length === 3);
      },
      20_000, // a bound on a loaded 2-core CI box, not a speed target
      20,
      'the span of the Chatwoot post, its parents ended',
    );
    const spans = exporter.getFinishedSpans();
    expect(ancestors(post, spans).map((s) => s.name)).toEqual(['lane.attempt', 'lane.push', 'whatsapp.event']);
    const [attempt, push, event] = ancestors(post, spans);
    const trace = spans.filter((s) => s.spanContext().traceId === post.spanContext().traceId);
    const wait = trace.find((s) => s.name === 'lane.wait');
    expect(wait?.parentSpanContext?.spanId).toBe(push.spanContext().spanId);
    expect(event.attributes).toMatchObject({ 'ponte.session': 'main', 'ponte.event': 'message' });
    expect(push.attributes).toMatchObject({ 'ponte.queue': 'inbound', 'ponte.outcome': 'wake' });
    expect(attempt.attributes).toMatchObject({ 'ponte.queue': 'inbound', 'ponte.outcome': 'ok' });
    expect(post.attributes).toMatchObject({ 'ponte.endpoint': 'messages.create', 'http.response.status_code': 200 });
    // Neither the text nor the phone number is in any span.
    const seen = JSON.stringify(trace.map((s) => [s.name, s.attributes, s.status]));
    expect(seen).not.toContain('ajuda');
    expect(seen).not.toContain('912300077');
    // The same wait, for the dashboard: by queue and session.
    expect(await h.metric('ponte_lane_wait_seconds_count', { queue: 'inbound', session: 'main' })).toBeGreaterThan(0);
  });

  test("an agent's reply is one trace from the front thread's webhook to the main thread's WhatsApp send", async () => {
    const waId = h.inject({ from: PEER, type: 'text', text: 'Bom dia', pushName: 'Cliente' });
    const { conversation_id: conversationId } = await h.waitMessage(waId);
    await h.chatwoot.agentMessage(conversationId, { content: 'Bom dia, em que posso ajudar?' });
    const trace = await waitFor(
      () => {
        const spans = exporter.getFinishedSpans();
        const send = spans.find((s) => s.name === 'whatsapp.send');
        const id = send?.spanContext().traceId;
        const inTrace = spans.filter((s) => s.spanContext().traceId === id);
        return send && ancestors(send, inTrace).length === 3 ? inTrace : undefined;
      },
      20_000, // a bound on a loaded 2-core CI box, not a speed target
      20,
      "the webhook's span and the send's in one trace",
    );
    const send = trace.find((s) => s.name === 'whatsapp.send')!;
    expect(ancestors(send, trace).map((s) => s.name)).toEqual(['lane.attempt', 'lane.push', 'chatwoot.webhook']);
    const webhook = trace.find((s) => s.name === 'chatwoot.webhook')!;
    expect(webhook.attributes).toMatchObject({ 'http.response.status_code': 200 });
    expect(webhook.parentSpanContext).toBeUndefined();
    expect(send.attributes).toMatchObject({ 'ponte.session': 'main', 'ponte.kind': 'text', 'ponte.outcome': 'sent' });
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .some((s) => s.message.chatId === PEER_JID),
      20_000, // a bound on a loaded 2-core CI box, not a speed target
    );
  });
});
