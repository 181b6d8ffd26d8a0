import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startRelayHarness, WEBHOOK_SECRET, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

const PEER = '+351912300077';
const PEER_JID = '351912300077@c.us';
const sentTo = (h: Harness, chatId: string) =>
  h
    .sim()
    .sent()
    .filter((s) => s.message.chatId === chatId);

/**
 * Posts one signed webhook from another process after `delayMs` and prints `{status, ms}`: the test's own
 * thread (the daemon's main thread) is to be busy meanwhile, so it cannot be the client.
 */
function postLater(url: string, body: string, delayMs: number): Promise<{ status: number; ms: number }> {
  const script = `
    const { createHmac } = require('node:crypto');
    const { URL: url, BODY: body, SECRET: secret, DELAY: delay } = process.env;
    setTimeout(async () => {
      const ts = String(Math.floor(Date.now() / 1000));
      const sig = 'sha256=' + createHmac('sha256', secret).update(ts + '.' + body).digest('hex');
      const t0 = Date.now();
      const res = await fetch(url, { method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Chatwoot-Timestamp': ts, 'X-Chatwoot-Signature': sig } });
      await res.text();
      process.stdout.write(JSON.stringify({ status: res.status, ms: Date.now() - t0 }));
    }, Number(delay));`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, URL: url, BODY: body, SECRET: WEBHOOK_SECRET, DELAY: String(delayMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => (code === 0 && out ? resolve(JSON.parse(out)) : reject(new Error(`client exited with ${code}: ${out}`)))),
  );
}

function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

describe("the front thread answers Chatwoot's webhook", () => {
  let h: Harness;
  const lines: Array<Record<string, unknown>> = [];
  let conversationId: number;

  beforeAll(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as Record<string, unknown>);
        done();
      },
    });
    h = await startRelayHarness({ logger: pino({ level: 'info' }, capture) });
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá', pushName: 'Cliente' });
    conversationId = (await waitFor(() => h.chatwoot.messages().find((x) => x.source_id === `WAID:${waId}`), 5000)).conversation_id;
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('while the main thread is stuck for 2.5 s, the webhook is answered at once and the reply goes out when it is free', async () => {
    // A real agent reply in the fake, its webhook held back: the test posts it itself, from another process.
    const first = await h.chatwoot.agentMessage(conversationId, { content: 'primeira' });
    await waitFor(() => sentTo(h, PEER_JID).length === 1, 5000);
    const template = h.chatwoot.webhookDeliveries().find((d) => d.payload.id === first.id)!;
    h.chatwoot.setWebhook(undefined);
    const second = await h.chatwoot.agentMessage(conversationId, { content: 'segunda' });
    h.chatwoot.setWebhook({ url: `${h.url()}/webhooks/chatwoot`, secret: WEBHOOK_SECRET });
    const body = JSON.stringify({ ...template.payload, id: second.id, content: 'segunda' });

    const answer = postLater(`${h.url()}/webhooks/chatwoot`, body, 600);
    // What a big media decode, a long garbage collection or a slow browser call does to the main thread.
    busy(2500);
    const { status, ms } = await answer;
    expect(status).toBe(200);
    // Answered by the front thread during the stall, not after it (Chatwoot gives up after 5 s).
    expect(ms).toBeLessThan(1000);
    const sent = await waitFor(() => sentTo(h, PEER_JID)[1], 5000);
    expect(sent.message).toMatchObject({ kind: 'text', text: 'segunda' });
  });

  test('its log lines reach the daemon log, redacted, and its counters and answer times reach /metrics', async () => {
    // Answer times come home about once a second: those of the last test first.
    await new Promise((r) => setTimeout(r, 1200));
    const answered = await h.metric('ponte_webhook_answer_seconds_count');
    expect(answered).toBeGreaterThanOrEqual(2);
    const before = await h.metric('ponte_webhook_rejected_total', { reason: 'signature' });
    const res = await fetch(`${h.url()}/webhooks/chatwoot`, {
      method: 'POST',
      body: '{"event":"message_created"}',
      headers: {
        'Content-Type': 'application/json',
        'X-Chatwoot-Timestamp': String(Math.floor(Date.now() / 1000)),
        'X-Chatwoot-Signature': 'sha256=00',
      },
    });
    expect(res.status).toBe(401);
    expect(await h.metric('ponte_webhook_rejected_total', { reason: 'signature' })).toBe(before + 1);
    const refused = await waitFor(() => lines.find((l) => l.msg === 'webhook refused'), 2000);
    // The thread reports about once a second on its own timer, which a starved CPU (a loaded CI box) delays.
    await waitFor(
      async () => (await h.metric('ponte_webhook_answer_seconds_count')) === answered + 1,
      10_000,
      50,
      'the refused webhook timed too',
    );
    expect(await h.metric('ponte_webhook_answer_seconds_bucket', { le: '5' })).toBe(answered + 1);
    expect(refused).toMatchObject({ level: 40, module: 'webhooks', thread: 'front', reason: 'signature' });
    expect(JSON.stringify(lines)).not.toContain(WEBHOOK_SECRET);
  });

  test('a webhook body over 5 MB gets 413, and a request that is not a webhook POST is not taken for one', async () => {
    const big = await fetch(`${h.url()}/webhooks/chatwoot`, {
      method: 'POST',
      body: 'x'.repeat(5 * 1024 * 1024 + 1),
      headers: { 'Content-Type': 'application/json' },
    });
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'too_large' } });
    const get = await fetch(`${h.url()}/webhooks/chatwoot`);
    expect(get.status).toBe(404);
    const slash = await fetch(`${h.url()}/webhooks/chatwoot/?token=x`, {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'application/json' },
    });
    expect(slash.status).toBe(401);
    expect(await slash.json()).toMatchObject({ error: { code: 'unauthorized' } });
  });

  test('every other route is passed to the main thread untouched', async () => {
    const unauth = await fetch(`${h.url()}/admin/sessions`);
    expect(unauth.status).toBe(401);
    const health = await fetch(`${h.url()}/healthz`);
    expect(health.status).toBe(200);
    const missing = await fetch(`${h.url()}/nothing-here`, { method: 'PUT', body: 'x'.repeat(200_000) });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
  });

  test('a front thread that dies comes back on the same port, and the webhook works again', async () => {
    const port = h.daemon.http.port;
    await h.daemon.http.front!.kill();
    await waitFor(() => h.metric('ponte_http_front_restarts_total'), 5000, 50, 'the front thread restarted');
    expect(h.daemon.http.port).toBe(port);
    expect(lines.some((l) => l.msg === 'the front thread stopped: the HTTP port is closed until it restarts' && l.level === 50)).toBe(true);
    const before = sentTo(h, PEER_JID).length;
    await h.chatwoot.agentMessage(conversationId, { content: 'depois' });
    const sent = await waitFor(() => sentTo(h, PEER_JID)[before], 5000);
    expect(sent.message).toMatchObject({ text: 'depois' });
  });
});
