import Redis from 'ioredis';
import { startRelayHarness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import { injectBurst, NUMBERS, PER_NUMBER } from './burst-helpers';
test('stats', async () => {
  const h = await startRelayHarness({ webhook: false });
  await waitFor(() => h.sim().state() === 'CONNECTED');
  const r = new Redis(h.redis.url);
  await r.config('RESETSTAT');
  const t = Date.now();
  injectBurst(h, 'S');
  await waitFor(() => h.chatwoot.messages().length >= NUMBERS * PER_NUMBER, 25_000, 250);
  const took = Date.now() - t;
  const info = await r.info('commandstats');
  const lines = info.split('\n').filter((l) => l.startsWith('cmdstat')).map((l) => { const m = /cmdstat_(\w+):calls=(\d+),usec=(\d+)/.exec(l)!; return [m[1], Number(m[2]), Number(m[3])] as const; }).sort((a, b) => b[1] - a[1]);
  const reqs = h.chatwoot.requests();
  const byEp = new Map<string, number>();
  for (const q of reqs) { const k = `${q.method} ${q.path.replace(/\d+/g, ':id')}`; byEp.set(k, (byEp.get(k) ?? 0) + 1); }
  process.stdout.write(`took ${took}\n${lines.map((l) => l.join(' ')).join('\n')}\nTOTAL ${lines.reduce((a, l) => a + l[1], 0)}\n${[...byEp].map((e) => e.join(' ')).join('\n')}\n`);
  r.disconnect();
  await h.stop();
});
