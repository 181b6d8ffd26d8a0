/**
 * What Redis keeps per relayed message, both directions: `used_memory` before and after 3,000 texts from
 * 300 numbers (WhatsApp -> Chatwoot), then 3,000 agent replies to them (Chatwoot -> WhatsApp, ticks
 * included), on a daemon in its own process with warm caches. Two figures per direction: right after the
 * relay, and once what is needed only briefly (keys living an hour or less) has expired: their expiry is
 * played by deleting them, so the run need not wait for it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import pino from 'pino';
import { EmbeddedRedis } from '../../src/store/embedded-redis';
import { startChildDaemon, type ChildDaemon } from './child-daemon';
import { BENCH_SECRET, BENCH_TOKEN, pool, startFakeProcess, type FakeProcess } from './common';

const NUMBERS = 300;
const PER_NUMBER = Number(process.env.BENCH_PER_NUMBER ?? 10);
/** Keys that expire within this long are "needed only briefly". */
const BRIEF_MS = 3600_000;
/**
 * Keys that expire within this long serve diagnosis for a few days (journeys, `journeys.retentionHours`),
 * not dedupe: their cost is bounded by the window, not by the id map's retention (8 days at least).
 */
const WINDOW_MS = 7 * 86400_000;
/** Longer than the briefest keys (a lane's wake-up mark, 5 s), so a settled daemon is compared with a settled one. */
const SETTLE_MS = 6000;
const ACK_INTERVAL_MS = 100;

export interface DirectionCost {
  messages: number;
  /** used_memory added per message right after the relay. */
  rightAfter: number;
  /** ... once the keys living an hour or less have expired (journeys included). */
  kept: number;
  /** ... once the keys living up to a week (journeys) have expired too: what `redis.idMapRetentionDays` keeps. */
  keptLong: number;
  families: FamilyCost[];
}

export interface FamilyCost {
  family: string;
  keys: number;
  /** MEMORY USAGE summed, per message. */
  bytesPerMessage: number;
  ttl: string;
}

export interface RedisCost {
  inbound: DirectionCost;
  outbound: DirectionCost;
  /** Status updates (ticks) Chatwoot received for the replies, of the 3 per reply the simulator acks. */
  ticks: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function usedMemory(redis: Redis): Promise<number> {
  return Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
}

async function allKeys(redis: Redis): Promise<Set<string>> {
  const out = new Set<string>();
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'COUNT', 1000);
    for (const k of batch) out.add(k);
    cursor = next;
  } while (cursor !== '0');
  return out;
}

/** A key's family: its name without the ids in it (`ponte:map:wa:bench:<id>` -> `map:wa`). */
function familyOf(key: string, prefix: string): string {
  const bare = key.startsWith(prefix) ? key.slice(prefix.length) : key;
  const parts = bare.split(':');
  const named = parts.filter((p, i) => i === 0 || (/^[a-z-]+$/.test(p) && p !== 'bench'));
  return named.slice(0, 3).join(':');
}

/** New keys since `before`, by family; then the brief ones deleted (their expiry, played now). */
async function newKeys(
  redis: Redis,
  before: Set<string>,
  messages: number,
): Promise<{ families: FamilyCost[]; brief: string[]; windowed: string[] }> {
  const fresh = [...(await allKeys(redis))].filter((k) => !before.has(k));
  const byFamily = new Map<string, { keys: number; bytes: number; ttls: number[] }>();
  const brief: string[] = [];
  const windowed: string[] = [];
  for (let i = 0; i < fresh.length; i += 500) {
    const batch = fresh.slice(i, i + 500);
    const info = await Promise.all(batch.map((k) => Promise.all([redis.memory('USAGE', k), redis.pttl(k)])));
    for (const [j, [usage, pttl]] of info.entries()) {
      const fam = familyOf(batch[j], 'ponte:');
      const f = byFamily.get(fam) ?? { keys: 0, bytes: 0, ttls: [] };
      f.keys += 1;
      f.bytes += Number(usage ?? 0);
      f.ttls.push(Number(pttl));
      byFamily.set(fam, f);
      if (Number(pttl) > 0 && Number(pttl) <= BRIEF_MS) brief.push(batch[j]);
      else if (Number(pttl) > 0 && Number(pttl) <= WINDOW_MS) windowed.push(batch[j]);
    }
  }
  const families = [...byFamily.entries()]
    .map(([family, f]) => ({ family, keys: f.keys, bytesPerMessage: f.bytes / messages, ttl: describeTtl(f.ttls) }))
    .sort((a, b) => b.bytesPerMessage - a.bytesPerMessage);
  return { families, brief, windowed };
}

function describeTtl(ttls: number[]): string {
  const max = Math.max(...ttls);
  if (ttls.some((t) => t === -1)) return 'no expiry';
  if (max <= 60_000) return `${Math.round(max / 1000)} s`;
  if (max <= 2 * 3600_000) return `${Math.round(max / 60_000)} min`;
  if (max <= 2 * 86400_000) return `${Math.round(max / 3600_000)} h`;
  return `${Math.round(max / 86400_000)} days`;
}

async function measure(redis: Redis, daemon: ChildDaemon, messages: number, relay: () => Promise<void>): Promise<DirectionCost> {
  const idle = async () => {
    const d = await daemon.call<{ inbound: number; outbound: number }>('depth');
    return d.inbound === 0 && d.outbound === 0;
  };
  await until(idle, 60_000, 'idle lanes');
  await sleep(SETTLE_MS);
  const before = await allKeys(redis);
  const m0 = await usedMemory(redis);
  await relay();
  await until(idle, 120_000, 'lanes drained');
  await sleep(SETTLE_MS);
  const m1 = await usedMemory(redis);
  const { families, brief, windowed } = await newKeys(redis, before, messages);
  for (let i = 0; i < brief.length; i += 500) await redis.del(...brief.slice(i, i + 500));
  const m2 = await usedMemory(redis);
  for (let i = 0; i < windowed.length; i += 500) await redis.del(...windowed.slice(i, i + 500));
  const m3 = await usedMemory(redis);
  return { messages, rightAfter: (m1 - m0) / messages, kept: (m2 - m0) / messages, keptLong: (m3 - m0) / messages, families };
}

export async function redisCost(): Promise<RedisCost> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-cost-'));
  const embedded = new EmbeddedRedis({ dataDir: dir, binary: 'redis-server', logger: pino({ level: 'silent' }) });
  const redisUrl = await embedded.start();
  const redis = new Redis(redisUrl, { lazyConnect: false });
  const chatwoot: FakeProcess = await startFakeProcess();
  const daemon = await startChildDaemon({
    http: { port: 0, host: '127.0.0.1', adminToken: BENCH_TOKEN },
    redis: { url: redisUrl },
    log: { level: 'silent' },
    sessions: [
      {
        id: 'bench',
        engine: 'simulator',
        inboxId: 1,
        simulator: { ackIntervalMs: ACK_INTERVAL_MS },
        pacing: { minGapMs: 0, jitterMs: 0, typing: false },
      },
    ],
    // The relay alone: no status conversation posting into Chatwoot meanwhile.
    chatwoot: { baseUrl: chatwoot.url, accountId: 1, apiToken: chatwoot.token, webhookSecret: BENCH_SECRET, statusConversation: false },
    catchup: { minIntervalMs: 60000, maxIntervalMs: 300000 },
  });
  try {
    await chatwoot.post('/webhook', { url: `http://127.0.0.1:${daemon.port}/webhooks/chatwoot`, secret: BENCH_SECRET });
    const messages = async () => (await chatwoot.get<{ messages: number }>('/count')).messages;
    const sent = async () => (await daemon.call<{ count: number }>('sent')).count;

    // Warm-up: every number has its contact and conversation, and has had an agent's reply.
    await sleep(1000);
    await daemon.call('texts', { numbers: NUMBERS, perNumber: 1, offset: 0 });
    await until(async () => (await messages()) >= NUMBERS, 60_000, 'warm-up relayed');
    const convs = await chatwoot.get<number[]>('/conversations');
    await pool(convs, 16, async (c) => void (await chatwoot.post(`/agent/${c}`, { content: 'warm-up' })));
    await until(async () => (await sent()) >= convs.length, 60_000, 'warm-up replies sent');

    const total = NUMBERS * PER_NUMBER;
    const m0 = await messages();
    const inbound = await measure(redis, daemon, total, async () => {
      await daemon.call('texts', { numbers: NUMBERS, perNumber: PER_NUMBER, offset: NUMBERS });
      await until(async () => (await messages()) >= m0 + total, 120_000, 'texts relayed');
    });

    const ticksBefore = (await chatwoot.get<{ statusUpdates: number }>('/tally')).statusUpdates;
    const s0 = await sent();
    const replies = Array.from({ length: total }, (_, i) => convs[i % convs.length]);
    const outbound = await measure(redis, daemon, total, async () => {
      await pool(replies, 16, async (c) => void (await chatwoot.post(`/agent/${c}`, { content: `Resposta **${c}**` })));
      await until(async () => (await sent()) >= s0 + total, 120_000, 'replies sent');
    });
    // Every reply is acked sent, delivered and read, ACK_INTERVAL_MS apart: wait for the last ticks.
    const ticksNow = async () => (await chatwoot.get<{ statusUpdates: number }>('/tally')).statusUpdates - ticksBefore;
    await until(async () => (await sleep(500), (await ticksNow()) >= 3 * total), 10_000, 'every tick relayed').catch(() => undefined);
    const ticks = await ticksNow();
    return { inbound, outbound, ticks };
  } finally {
    await daemon.stop();
    await chatwoot.stop();
    redis.disconnect();
    await embedded.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
