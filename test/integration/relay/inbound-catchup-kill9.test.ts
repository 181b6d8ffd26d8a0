/**
 * Real engines acknowledge nothing to WhatsApp: a message WhatsApp Web delivered in the last second before
 * a `kill -9`, whose persist never reached Redis, is still on the phone, and catch-up on the next start
 * (engine `activeChats`/`recentMessages`, core/inbound-catchup.ts) must find it. Shown with both adapters
 * driving their real libraries over the fake WhatsApp Web pages, a whole daemon each time (startDaemon,
 * real Redis, the strict Chatwoot fake). The first daemon's Redis connections pass through a gate that
 * swallows its last writes and then cuts them, as the process dying would; the second daemon starts on the
 * same Redis and the same session data, with a new engine over the same WhatsApp account.
 */
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import pino from 'pino';
import { browserSchema, type SessionConfig } from '../../../src/config/schema';
import { validate } from '../../../src/config/load';
import type { EngineContext } from '../../../src/engines/factory';
import type { EngineSession } from '../../../src/engines/types';
import { realCreate } from '../../../src/engines/wppconnect/library';
import { WppconnectEngine } from '../../../src/engines/wppconnect/wppconnect-engine';
import { WwebjsEngine } from '../../../src/engines/wwebjs/wwebjs-engine';
import { startDaemon, type Daemon } from '../../../src/main';
import { IdMap } from '../../../src/store/id-map';
import { ChatwootFake } from '../../fakes/chatwoot';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { metricValue } from '../../helpers/relay-harness';
import { removeTempDir, tempDir } from '../../helpers/temp';
import { waitFor } from '../../helpers/wait';
import { FakeWhatsAppWeb as WppconnectWorld } from '../../unit/engines/wppconnect/fake-whatsapp-web';
import { FakeWhatsAppWeb as WwebjsWorld } from '../../unit/engines/wwebjs/fake-wa-web';
import { RedisGate } from './redis-gate';

/** One WhatsApp account behind fake pages: engines for it (one per daemon start), and people writing to it. */
interface Account {
  engine(session: SessionConfig, ctx: EngineContext): EngineSession;
  /** `from` (digits) sends a text; resolves with its WhatsApp id. */
  send(from: string, text: string): string;
  close(): Promise<void>;
}

function wppconnectAccount(): Account {
  const world = new WppconnectWorld({ paired: true });
  return {
    // Any existing file will do as Chromium: the fake launcher never runs it.
    engine: (session, ctx) =>
      new WppconnectEngine(
        session,
        { ...ctx, browser: browserSchema.parse({ executablePath: process.execPath, launchTimeoutMs: 10_000 }) },
        { launchBrowser: world.launcher.launch, createClient: realCreate },
      ),
    send: (from, text) => world.incoming(from, { type: 'chat', body: text }).id as string,
    close: () => world.close(),
  };
}

function wwebjsAccount(): Account {
  const wa = new WwebjsWorld({ me: '351910000001', ackIntervalMs: 10 });
  return {
    engine: (session, ctx) => {
      // The login LocalAuth stored when the phone was paired.
      fs.mkdirSync(path.join(ctx.dataDir, `session-${session.id}`), { recursive: true });
      fs.writeFileSync(path.join(ctx.dataDir, `session-${session.id}`, 'ponte-fake-paired'), 'yes');
      return new WwebjsEngine(session, { ...ctx, browser: browserSchema.parse({}) }, { createClient: wa.createClient });
    },
    send: (from, text) => wa.injectText(from, text),
    close: async () => wa.dispose(),
  };
}

const A = '351912900001';
const B = '351912900002';
const C = '351912900003';

let redis: TestRedis;
let chatwoot: ChatwootFake;
let probe: Redis;

beforeAll(async () => {
  redis = await startRedisServer();
  chatwoot = new ChatwootFake({ inboxes: [{ id: 1 }] });
  await chatwoot.start();
  probe = new Redis(redis.url);
});
afterAll(async () => {
  probe?.disconnect();
  await chatwoot?.stop();
  await redis?.stop();
});

describe.each([
  ['wppconnect', wppconnectAccount],
  ['wwebjs', wwebjsAccount],
] as const)('%s: kill -9 with the last second of messages not yet in Redis', (engineName, openAccount) => {
  let account: Account;
  let gate: RedisGate;
  const dirs: string[] = [];
  const daemons: Daemon[] = [];
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const config = (redisUrl: string, sessionsDir: string) =>
    validate(
      {
        http: { port: 0, host: '127.0.0.1', adminToken: 'test-admin-token-0123456789' },
        redis: { url: redisUrl, keyPrefix: `kill9-${engineName}:` },
        dataDir: dirs[0],
        sessionStore: { dir: sessionsDir },
        log: { level: 'silent' },
        sessions: [{ id: 'main', engine: engineName, inboxId: 1, pacing: { minGapMs: 0, jitterMs: 0, typing: false } }],
        chatwoot: {
          baseUrl: chatwoot.baseUrl,
          accountId: 1,
          apiToken: chatwoot.apiToken,
          webhookSecret: 'test-webhook-secret-abcdef',
          timeoutMs: 2000,
        },
        queue: { baseDelayMs: 20, maxDelayMs: 200 },
        catchup: { minIntervalMs: 200, maxIntervalMs: 1000 },
        // Both daemons are "this host": the second takes the session's lease the first could not give back.
        lease: { daemonId: `kill9-${engineName}` },
        shutdownTimeoutMs: 1000,
      },
      'test',
    );

  beforeAll(async () => {
    chatwoot.reset();
    account = openAccount();
    gate = await RedisGate.open(redis);
    dirs.push(tempDir('ponte-kill9-data-'), tempDir('ponte-kill9-sessions-'));
  });
  afterAll(async () => {
    for (const d of daemons) await d.stop();
    await gate?.cut();
    await account?.close();
    for (const d of dirs) removeTempDir(d);
  });

  const connected = (d: Daemon) => waitFor(() => d.sessions.get('main')?.state() === 'CONNECTED', 15_000, 25, 'the session CONNECTED');
  const inChatwoot = (id: string) => chatwoot.messages().filter((m) => m.source_id === `WAID:${id}`);
  const arrived = (id: string) => waitFor(() => inChatwoot(id)[0], 15_000, 20, `${id} in Chatwoot`);

  test('the next start finds them by catch-up and relays each once, in order', async () => {
    const emitted: string[] = [];
    const first = await startDaemon(config(gate.url, dirs[1]), logger, {
      createEngine: (session, ctx) => {
        const engine = account.engine(session, ctx);
        engine.onEvent((e) => void (e.type === 'message' && emitted.push(e.message.id)));
        return engine;
      },
    });
    daemons.push(first);
    await connected(first);
    const keys = first.relay!.inbound.keys;
    const ids = new IdMap(probe, keys);

    // Relayed while all is well: two chats, whose catch-up marks reach Redis.
    const a1 = account.send(A, 'a1');
    const b1 = account.send(B, 'b1');
    for (const id of [a1, b1]) await arrived(id);
    await waitFor(
      async () => Object.keys(await probe.hgetall(keys.lastSeen('main'))).length === 2,
      5000,
      25,
      'the catch-up marks in Redis',
    );

    // The last second: WhatsApp Web delivers, the engine hands each message to the relay, and the
    // process dies before any of the writes leaves it.
    gate.hold();
    const lost = [account.send(A, 'a2'), account.send(A, 'a3'), account.send(B, 'b2'), account.send(C, 'c1')];
    await waitFor(() => lost.every((id) => emitted.includes(id)), 10_000, 10, 'the engine delivered the last messages to the relay');
    await new Promise((r) => setImmediate(r));
    await gate.cut();
    expect(gate.swallowed).toBeGreaterThan(0);
    await first.stop();
    daemons.splice(daemons.indexOf(first), 1);
    for (const id of lost) expect(await ids.isKnown('main', id)).toBe(false);
    expect(lost.flatMap(inChatwoot)).toEqual([]);

    // Same Redis, same session data, a new engine over the same account.
    const second = await startDaemon(config(redis.url, dirs[1]), logger, { createEngine: account.engine });
    daemons.push(second);
    await connected(second);
    for (const id of lost) await arrived(id);
    const metrics = async () => (await fetch(`http://127.0.0.1:${second.http.port}/metrics`)).text();
    await waitFor(
      async () => metricValue(await metrics(), 'ponte_queue_depth', { queue: 'inbound' }) === 0,
      10_000,
      50,
      'the inbound lanes empty',
    );
    expect(metricValue(await metrics(), 'ponte_catchup_recovered_total', { direction: 'inbound' })).toBe(lost.length);
    for (const id of [a1, b1, ...lost]) expect(inChatwoot(id)).toHaveLength(1);
    const conversation = (id: string) => chatwoot.messages(inChatwoot(id)[0].conversation_id).map((m) => m.content);
    expect(conversation(a1)).toEqual(['a1', 'a2', 'a3']);
    expect(conversation(b1)).toEqual(['b1', 'b2']);
    expect(conversation(lost[3])).toEqual(['c1']);
  }, 60_000);
});
