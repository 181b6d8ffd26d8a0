/**
 * `npm run bench:intake`: latency from an agent's reply in Chatwoot to the WhatsApp send, per intake mode
 * (chatwoot.intake webhook | websocket | poll, and websocket while its socket is down). Each mode gets
 * its own daemon, Redis and Chatwoot fake (in this process, with its /cable); pacing is off so only the
 * intake is measured. Replies are spread at random moments so the poll is met at every phase.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { validate } from '../../src/config/load';
import type { SimulatorEngine } from '../../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../../src/engines/simulator/simulator-customer';
import { startDaemon } from '../../src/main';
import { EmbeddedRedis } from '../../src/store/embedded-redis';
import { ChatwootFake } from '../../test/fakes/chatwoot';
import { BENCH_SECRET, BENCH_TOKEN, line, percentile, until } from './common';

const CHATS = 5;
const FAST_REPLIES = Number(process.env.BENCH_REPLIES ?? 200);
const POLL_REPLIES = Number(process.env.BENCH_POLL_REPLIES ?? 40);
/** Poll mode as an operator would tune it (the defaults, 2 s to 5 min, suit a safety net, not an intake). */
const POLL_MIN_MS = Number(process.env.BENCH_POLL_MIN_MS ?? 1000);
const POLL_MAX_MS = Number(process.env.BENCH_POLL_MAX_MS ?? 10000);

type Mode = 'webhook' | 'websocket' | 'websocket-down' | 'poll';

interface Run {
  mode: Mode;
  latencies: number[];
  note: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(mode: Mode): Promise<Run> {
  const logger = pino({ level: 'silent' });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-intake-'));
  const redis = new EmbeddedRedis({ dataDir: dir, binary: 'redis-server', logger });
  const redisUrl = await redis.start();
  const chatwoot = new ChatwootFake({ inboxes: [{ id: 1 }], emitApiEvents: false });
  const cable = mode.startsWith('websocket') ? chatwoot.cable() : undefined;
  const baseUrl = await chatwoot.start();
  const intake = mode === 'websocket-down' ? 'websocket' : mode;
  const catchup = mode === 'poll' ? { minIntervalMs: POLL_MIN_MS, maxIntervalMs: POLL_MAX_MS } : {};
  const config = validate(
    {
      http: { port: 0, host: '127.0.0.1', adminToken: BENCH_TOKEN },
      redis: { url: redisUrl },
      log: { level: 'silent' },
      sessions: [
        {
          id: 'bench',
          engine: 'simulator',
          inboxId: 1,
          simulator: { ackIntervalMs: 60000 },
          pacing: { minGapMs: 0, jitterMs: 0, typing: false },
        },
      ],
      chatwoot: {
        baseUrl,
        accountId: 1,
        apiToken: chatwoot.apiToken,
        intake,
        statusConversation: false,
        ...(intake === 'webhook' ? { webhookSecret: BENCH_SECRET } : {}),
      },
      catchup,
    },
    'bench',
  );
  const daemon = await startDaemon(config, logger);
  try {
    if (mode === 'webhook') chatwoot.setWebhook({ url: `http://127.0.0.1:${daemon.http.port}/webhooks/chatwoot`, secret: BENCH_SECRET });
    const sim = daemon.sessions.get('bench') as SimulatorEngine;
    await until(() => sim.state() === 'CONNECTED', 5000, 'session connected');
    const realtime = daemon.relay!.outbound.realtime;
    if (realtime) await until(() => realtime.live(), 10000, 'realtime subscribed');

    // One conversation per chat, opened by the customer as in life.
    const conversations: number[] = [];
    for (let i = 0; i < CHATS; i++) {
      const waId = sim.inject(inboundSchema.parse({ from: `+35191300000${i}`, type: 'text', text: 'Olá' }));
      let conv: number | undefined;
      await until(
        () => (conv = chatwoot.messages().find((m) => m.source_id === `WAID:${waId}`)?.conversation_id) !== undefined,
        10000,
        'conversation opened',
      );
      conversations.push(conv!);
    }
    if (mode === 'websocket-down') {
      cable!.refuse(true);
      cable!.dropAll();
      await until(() => !realtime!.live(), 5000, 'socket down');
    }

    const replies = mode === 'poll' || mode === 'websocket-down' ? POLL_REPLIES : FAST_REPLIES;
    const started = new Map<string, number>();
    const latencies: number[] = [];
    let seen = 0;
    const collect = () => {
      const sent = sim.sent();
      for (; seen < sent.length; seen++) {
        const text = (sent[seen].message as { text?: string }).text ?? '';
        const t0 = started.get(text);
        if (t0 !== undefined) latencies.push(sent[seen].at - t0);
      }
    };
    const collector = setInterval(collect, 2);
    for (let i = 0; i < replies; i++) {
      // Random gaps: up to 2 s where a poll is involved, up to 50 ms otherwise.
      await sleep(Math.random() * (replies === POLL_REPLIES ? 2000 : 50));
      const text = `bench ${mode} ${i}`;
      started.set(text, Date.now());
      await chatwoot.agentMessage(conversations[i % CHATS], { content: text });
    }
    await until(() => (collect(), latencies.length >= replies), 120000, `${mode}: every reply sent`);
    clearInterval(collector);
    const note =
      mode === 'poll'
        ? `${replies} replies, catchup ${POLL_MIN_MS}-${POLL_MAX_MS} ms`
        : mode === 'websocket-down'
          ? `${replies} replies, adaptive poll ${config.catchup.minIntervalMs}-${config.catchup.maxIntervalMs} ms`
          : `${replies} replies`;
    return { mode, latencies, note };
  } finally {
    await daemon.stop();
    await chatwoot.stop();
    await cable?.close();
    await redis.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.env.BENCH_MODES?.split(',') as Mode[] | undefined;
  const modes: Mode[] = only ?? ['webhook', 'websocket', 'websocket-down', 'poll'];
  const runs: Run[] = [];
  for (const mode of modes) runs.push(await measure(mode));
  line('agent reply -> WhatsApp send, by intake', 'p50 / p99 / max');
  for (const r of runs) {
    const fmt = (v: number) => `${v.toFixed(0)} ms`;
    line(
      `  ${r.mode}`,
      `${fmt(percentile(r.latencies, 50))} / ${fmt(percentile(r.latencies, 99))} / ${fmt(Math.max(...r.latencies))}  (${r.note})`,
    );
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
