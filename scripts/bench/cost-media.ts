/**
 * The daemon's peak memory while relaying big files, each way: 8 videos of 16 MB sent to the number at
 * once (WhatsApp -> Chatwoot), then 8 PDFs of 16 MB attached by agents at once (Chatwoot -> WhatsApp). The
 * daemon runs in its own process; its peak RSS (VmHWM, reset before each run) is read from /proc.
 *
 * The simulated phone lives in the daemon's process: the files it holds (the videos it received, the PDFs
 * it sent) are counted in the daemon's memory, as "the files themselves".
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { EmbeddedRedis } from '../../src/store/embedded-redis';
import { startChildDaemon, type ChildDaemon } from './child-daemon';
import { BENCH_SECRET, BENCH_TOKEN, startFakeProcess } from './common';

export const FILES = Number(process.env.BENCH_FILES ?? 8);
export const FILE_BYTES = Number(process.env.BENCH_FILE_MB ?? 16) * 1024 * 1024;

export interface MediaRun {
  files: number;
  fileBytes: number;
  /** RSS with everything in place and nothing relayed yet (the inbound files on the simulated phone). */
  atRest: number;
  peak: number;
  /** RSS once the run is over and the garbage collected. */
  after: number;
  peakExact: boolean;
}

export interface MediaCost {
  inbound: MediaRun;
  outbound: MediaRun;
  /** queue.filesInFlight when the run set it (BENCH_FILES_IN_FLIGHT), else the daemon's default. */
  inFlight?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`bench: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** Peak RSS over `run`: VmHWM after a reset when the kernel allows it, else the highest RSS sampled. */
async function peakOver(
  daemon: ChildDaemon,
  run: () => Promise<void>,
): Promise<{ atRest: number; peak: number; after: number; exact: boolean }> {
  const atRest = Number((await daemon.call<{ rss: number }>('gc')).rss);
  const exact = daemon.resetPeak();
  let sampled = daemon.memory().rss;
  const sampler = setInterval(() => (sampled = Math.max(sampled, daemon.memory().rss)), 5);
  try {
    await run();
  } finally {
    clearInterval(sampler);
  }
  const peak = exact ? daemon.memory().peak : sampled;
  const after = Number((await daemon.call<{ rss: number }>('gc')).rss);
  return { atRest, peak: Math.max(peak, sampled), after, exact };
}

/** One direction on a daemon of its own: what the simulated phone keeps of one run is not counted in the other. */
async function measure(direction: 'inbound' | 'outbound', inFlight: number | undefined): Promise<MediaRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-bench-media-'));
  const embedded = new EmbeddedRedis({ dataDir: dir, binary: 'redis-server', logger: pino({ level: 'silent' }) });
  const redisUrl = await embedded.start();
  const chatwoot = await startFakeProcess();
  const daemon = await startChildDaemon({
    http: { port: 0, host: '127.0.0.1', adminToken: BENCH_TOKEN },
    redis: { url: redisUrl },
    log: { level: 'silent' },
    sessions: [
      {
        id: 'bench',
        engine: 'simulator',
        inboxId: 1,
        maxMediaMB: 64,
        simulator: { ackIntervalMs: 60000 },
        pacing: { minGapMs: 0, jitterMs: 0, typing: false },
      },
    ],
    chatwoot: {
      baseUrl: chatwoot.url,
      accountId: 1,
      apiToken: chatwoot.token,
      webhookSecret: BENCH_SECRET,
      timeoutMs: 60000,
      statusConversation: false,
    },
    catchup: { minIntervalMs: 60000, maxIntervalMs: 300000 },
    ...(inFlight ? { queue: { filesInFlight: inFlight } } : {}),
  });
  try {
    await chatwoot.post('/webhook', { url: `http://127.0.0.1:${daemon.port}/webhooks/chatwoot`, secret: BENCH_SECRET });
    const tally = () => chatwoot.get<{ withFiles: number }>('/tally');
    const sent = async () => Number((await daemon.call<{ count: number }>('sent')).count);
    const video = { kind: 'video', mimetype: 'video/mp4', ext: 'mp4' };
    // Warm-up: the conversations exist and the code paths ran once, with a small file each way.
    await daemon.call('prepare-media', { count: FILES, bytes: 64 * 1024, ...video });
    await daemon.call('emit-media');
    await until(async () => (await tally()).withFiles >= FILES, 60_000, 'warm-up files relayed');
    const convs = (await chatwoot.get<number[]>('/conversations')).slice(0, FILES);
    const attach = (bytes: number) => ({ attachments: [{ filename: 'contrato.pdf', content_type: 'application/pdf', bytes }] });
    await Promise.all(convs.map((c) => chatwoot.post(`/agent/${c}`, attach(64 * 1024))));
    await until(async () => (await sent()) >= FILES, 60_000, 'warm-up attachments sent');
    await sleep(500);

    let r;
    if (direction === 'inbound') {
      await daemon.call('prepare-media', { count: FILES, bytes: FILE_BYTES, ...video });
      r = await peakOver(daemon, async () => {
        await daemon.call('emit-media');
        await until(async () => (await tally()).withFiles >= 2 * FILES, 300_000, 'videos relayed');
      });
    } else {
      const s0 = await sent();
      r = await peakOver(daemon, async () => {
        await Promise.all(convs.map((c) => chatwoot.post(`/agent/${c}`, attach(FILE_BYTES))));
        await until(async () => (await sent()) >= s0 + FILES, 300_000, 'PDFs sent');
      });
    }
    return { files: FILES, fileBytes: FILE_BYTES, atRest: r.atRest, peak: r.peak, after: r.after, peakExact: r.exact };
  } finally {
    await daemon.stop();
    await chatwoot.stop();
    await embedded.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export async function mediaCost(): Promise<MediaCost> {
  const inFlight = process.env.BENCH_FILES_IN_FLIGHT ? Number(process.env.BENCH_FILES_IN_FLIGHT) : undefined;
  return { inbound: await measure('inbound', inFlight), outbound: await measure('outbound', inFlight), inFlight };
}
