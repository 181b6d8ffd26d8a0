/**
 * `npm run bench:inbound`: WhatsApp -> Chatwoot throughput and latency against a floor measured in the
 * same run (the same Chatwoot POSTs made directly with the same HTTP client, same concurrency).
 */
import { inboundSchema } from '../../src/engines/simulator/simulator-customer';
import type { SimulatorEngine } from '../../src/engines/simulator/simulator-engine';
import { benchEnv, line, percentile, pool, until } from './common';

const CHATS = 200;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const RATE = 200;
const RATE_SECONDS = 5;
/** BENCH_APPENDFSYNC=always|everysec: the embedded Redis's AOF flush policy for this run (redis.appendfsync). */
const APPENDFSYNC = process.env.BENCH_APPENDFSYNC;

/** Commands the Redis server has executed so far (all clients). */
async function redisCommands(redis: { info(section: string): Promise<string> }): Promise<number> {
  const info = await redis.info('stats');
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0);
}

async function main(): Promise<void> {
  const env = await benchEnv();
  if (APPENDFSYNC) {
    if (APPENDFSYNC !== 'always' && APPENDFSYNC !== 'everysec') throw new Error('BENCH_APPENDFSYNC must be always or everysec');
    await env.daemon.redis.config('SET', 'appendfsync', APPENDFSYNC);
  }
  const appendfsync = ((await env.daemon.redis.config('GET', 'appendfsync')) as string[])[1];
  const sim = env.daemon.sessions.get('bench') as SimulatorEngine;
  await until(() => sim.state() === 'CONNECTED', 5000, 'session connected');
  const phone = (i: number) => `+3519${String(10000000 + i).padStart(8, '0')}`;
  const inject = (i: number, text: string) => sim.inject(inboundSchema.parse({ from: phone(i), type: 'text', text }));
  let count = 0;
  let requests = 0;
  const poll = setInterval(
    () =>
      void env.chatwoot.get<{ messages: number; requests: number }>('/count').then((c) => {
        count = c.messages;
        requests = c.requests;
      }),
    25,
  );
  const posted = () => count;

  // Warm caches: every chat has its contact and conversation before measuring.
  for (let i = 0; i < CHATS; i++) inject(i, 'warm-up');
  await until(() => posted() >= CHATS, 60000, 'warm-up relayed');

  // Throughput.
  const commandsBefore = await redisCommands(env.daemon.redis);
  const base = posted();
  const requestsBefore = requests;
  const t0 = Date.now();
  // CPU of this process (the daemon, all its threads) per message: on a busy box steadier than the rate.
  const cpu0 = process.cpuUsage();
  for (let n = 0; n < MESSAGES; n++) inject(n % CHATS, `message ${n}`);
  await until(() => posted() >= base + MESSAGES, 120000, 'burst relayed');
  const relayRate = MESSAGES / ((Date.now() - t0) / 1000);
  const cpu = process.cpuUsage(cpu0);
  const cpuPerMessage = (cpu.user + cpu.system) / 1000 / MESSAGES;
  const perMessage = ((await redisCommands(env.daemon.redis)) - commandsBefore) / MESSAGES;
  const chatwootPerMessage = (requests - requestsBefore) / MESSAGES;

  // Floor: the same POSTs straight to Chatwoot with the daemon's own client.
  const client = env.daemon.relay!.inbound.client;
  const convs = await env.chatwoot.get<number[]>('/conversations');
  const concurrency = env.daemon.config.queue.concurrency;
  const f0 = Date.now();
  await pool(
    Array.from({ length: MESSAGES }, (_, n) => n),
    concurrency,
    async (n) => {
      await client.createMessage(convs[n % convs.length], { content: `floor ${n}`, messageType: 'incoming', sourceId: `WAID:FLOOR${n}` });
    },
  );
  const floorRate = MESSAGES / ((Date.now() - f0) / 1000);

  // Latency at a steady 200 messages/s: relay vs direct POST at the same rate.
  const sentAt = new Map<string, number>();
  const pacedBase = posted();
  for (let s = 0; s < RATE * RATE_SECONDS; s++) {
    const id = inject(s % CHATS, `paced ${s}`);
    sentAt.set(`WAID:${id}`, Date.now());
    if (s % 10 === 9) await new Promise((r) => setTimeout(r, 1000 / (RATE / 10)));
  }
  await until(() => posted() >= pacedBase + RATE * RATE_SECONDS, 60000, 'paced relayed');
  const answered = await env.chatwoot.get<Record<string, number>>('/answered');
  const relayLat = [...sentAt].filter(([src]) => answered[src]).map(([src, at]) => answered[src] - at);
  const directLat: number[] = [];
  for (let s = 0; s < RATE * RATE_SECONDS; s += 10) {
    const batch = Array.from({ length: 10 }, (_, k) => s + k);
    await Promise.all(
      batch.map(async (k) => {
        const t = Date.now();
        await client.createMessage(convs[k % convs.length], {
          content: `direct ${k}`,
          messageType: 'incoming',
          sourceId: `WAID:DIRECT${k}`,
        });
        directLat.push(Date.now() - t);
      }),
    );
    await new Promise((r) => setTimeout(r, 1000 / (RATE / 10)));
  }
  clearInterval(poll);
  await env.stop();

  line('inbound burst (warm caches)', `${MESSAGES} messages from ${CHATS} chats`);
  line('Redis AOF appendfsync', appendfsync);
  line('relay throughput', `${relayRate.toFixed(0)} messages/s`);
  line('floor: direct Chatwoot POSTs, same client', `${floorRate.toFixed(0)} messages/s`);
  line('ratio relay/floor', `${((relayRate / floorRate) * 100).toFixed(0)}% (target >= 60%)`);
  line(`relay latency at ${RATE}/s p50 / p99`, `${percentile(relayLat, 50)} ms / ${percentile(relayLat, 99)} ms`);
  line(`direct POST latency at ${RATE}/s p50 / p99`, `${percentile(directLat, 50)} ms / ${percentile(directLat, 99)} ms`);
  line('added p99 latency', `${(percentile(relayLat, 99) - percentile(directLat, 99)).toFixed(0)} ms (target < 25 ms)`);
  line('Redis commands per relayed message', perMessage.toFixed(1));
  line('daemon CPU per relayed message (burst)', `${cpuPerMessage.toFixed(3)} ms`);
  line('Chatwoot requests per relayed message', chatwootPerMessage.toFixed(2));
  line('throughput target', `${relayRate >= 1000 ? 'met' : 'NOT met'} (>= 1000 messages/s)`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
