/**
 * `npm run bench:cost`: what Ponte keeps and holds as the work grows. Redis bytes kept per relayed message,
 * both directions (target <= 400 B for the id map's retention, <= 2 KB for the journeys' 72 h), and the daemon's peak memory while relaying 8 files of 16 MB at once,
 * each way (target < 400 MB), printed against the bytes of the files themselves.
 */
import { line } from './common';
import { redisCost, type DirectionCost } from './cost-redis';
import { mediaCost, type MediaRun } from './cost-media';

const REDIS_TARGET_B = 400;
/** Journeys live `journeys.retentionHours` (72 h): their cost is bounded by that window, not by the id map's days. */
const JOURNEY_TARGET_B = 2048;
const MEMORY_TARGET_MB = 400;
const MB = 1024 * 1024;

function printMedia(label: string, r: MediaRun): void {
  const files = r.files * r.fileBytes;
  line(`${label}: files`, `${r.files} x ${(r.fileBytes / MB).toFixed(0)} MB = ${(files / MB).toFixed(0)} MB`);
  line(`${label}: daemon RSS at rest / after`, `${(r.atRest / MB).toFixed(0)} MB / ${(r.after / MB).toFixed(0)} MB`);
  line(
    `${label}: daemon peak RSS`,
    `${(r.peak / MB).toFixed(0)} MB = ${(r.peak / files).toFixed(2)} x the files (target < ${MEMORY_TARGET_MB} MB)${r.peakExact ? '' : ' (sampled every 5 ms)'}`,
  );
}

function printDirection(label: string, d: DirectionCost): void {
  line(`${label}: Redis used_memory right after`, `${d.rightAfter.toFixed(0)} B per message (${d.messages} messages)`);
  line(`${label}: kept once brief keys expired`, `${d.kept.toFixed(0)} B per message, journeys included`);
  line(`${label}: of which journeys (72 h)`, `${(d.kept - d.keptLong).toFixed(0)} B per message (target <= ${JOURNEY_TARGET_B} B)`);
  line(`${label}: kept for the id map's retention`, `${d.keptLong.toFixed(0)} B per message (target <= ${REDIS_TARGET_B} B)`);
  for (const f of d.families) line(`  ${f.family}`, `${f.keys} keys, ${f.bytesPerMessage.toFixed(0)} B/message (MEMORY USAGE), ${f.ttl}`);
}

async function main(): Promise<void> {
  const which = process.argv[2] ?? 'all';
  const verdicts: string[] = [];
  if (which === 'all' || which === 'redis') {
    const r = await redisCost();
    line('Redis per message', '3,000 texts from 300 numbers, then 3,000 agent replies to them (ticks included)');
    printDirection('WhatsApp -> Chatwoot', r.inbound);
    printDirection('Chatwoot -> WhatsApp', r.outbound);
    line('ticks relayed for the replies', `${r.ticks} status updates (3 acks per reply)`);
    const worst = Math.max(r.inbound.keptLong, r.outbound.keptLong);
    verdicts.push(
      `Redis per message ${worst <= REDIS_TARGET_B ? 'met' : 'NOT met'} (<= ${REDIS_TARGET_B} B kept for the id map's days, both directions)`,
    );
    const journeys = Math.max(r.inbound.kept - r.inbound.keptLong, r.outbound.kept - r.outbound.keptLong);
    verdicts.push(
      `journeys per message ${journeys <= JOURNEY_TARGET_B ? 'met' : 'NOT met'} (<= ${JOURNEY_TARGET_B} B for 72 h, both directions)`,
    );
  }
  if (which === 'all' || which === 'media') {
    const m = await mediaCost();
    line(
      'Memory per file',
      `8 videos WhatsApp -> Chatwoot at once, then 8 PDFs Chatwoot -> WhatsApp at once${m.inFlight ? ` (queue.filesInFlight ${m.inFlight})` : ''}`,
    );
    printMedia('WhatsApp -> Chatwoot', m.inbound);
    printMedia('Chatwoot -> WhatsApp', m.outbound);
    const worst = Math.max(m.inbound.peak, m.outbound.peak) / MB;
    verdicts.push(
      `memory per file ${worst < MEMORY_TARGET_MB ? 'met' : 'NOT met'} (peak RSS < ${MEMORY_TARGET_MB} MB both ways: ${worst.toFixed(0)} MB)`,
    );
  }
  for (const v of verdicts) line('target', v);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
