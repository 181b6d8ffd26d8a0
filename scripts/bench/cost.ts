/**
 * `npm run bench:cost`: what Ponte keeps and holds as the work grows. Redis bytes kept per relayed message,
 * both directions (target <= 400 B), and the daemon's peak memory while relaying 8 files of 16 MB at once,
 * each way (target < 400 MB), printed against the bytes of the files themselves.
 */
import { line } from './common';
import { redisCost, type DirectionCost } from './cost-redis';

const REDIS_TARGET_B = 400;

function printDirection(label: string, d: DirectionCost): void {
  line(`${label}: Redis used_memory right after`, `${d.rightAfter.toFixed(0)} B per message (${d.messages} messages)`);
  line(`${label}: kept once brief keys expired`, `${d.kept.toFixed(0)} B per message (target <= ${REDIS_TARGET_B} B)`);
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
    const worst = Math.max(r.inbound.kept, r.outbound.kept);
    verdicts.push(`Redis per message ${worst <= REDIS_TARGET_B ? 'met' : 'NOT met'} (<= ${REDIS_TARGET_B} B kept, both directions)`);
  }
  for (const v of verdicts) line('target', v);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
