import Redis from 'ioredis';
import { Keys } from '../../../src/store/keys';
import { Journeys, type JourneySettings } from '../../../src/store/journeys';
import { luaScript } from '../../../src/store/lua';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { sleep } from '../../helpers/wait';

const PHONE = '+351912345678';
const CHAT = '351912345678@c.us';
const WA_ID = `false_${CHAT}_3EB0AAAA`;

describe('journeys (store/journeys.ts, real redis-server)', () => {
  let server: TestRedis;
  let redis: Redis;
  let n = 0;
  let clock = 1_700_000_000_000;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url, { enableAutoPipelining: true });
    // Loaded up front: the very first note on a fresh server falls back to EVAL after its reply.
    await redis.script('LOAD', luaScript('journey-note'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  /** A store on its own key prefix, so tests do not see each other's chats. */
  function store(settings: Partial<JourneySettings> = {}): { journeys: Journeys; keys: Keys } {
    const keys = new Keys(`j${++n}:`);
    const full = { enabled: true, maxSteps: 50, retentionHours: 72, maxPerChat: 500, ...settings };
    return { journeys: new Journeys(redis, keys, full, undefined, () => clock), keys };
  }
  const tick = (ms = 10) => (clock += ms);

  test('a message from WhatsApp retried twice, then posted: found by either id, both failures with their reasons', async () => {
    const { journeys } = store();
    const wa = { side: 'wa' as const, id: WA_ID };
    journeys.note(wa, { step: 'received', via: 'engine', session: 'main', kind: 'text', chat: CHAT, lane: 'inbound' });
    tick();
    journeys.note(wa, { step: 'attempt-failed', attempt: 1, reason: 'Chatwoot answered 503 for POST messages', retryInMs: 500 });
    tick();
    journeys.note(wa, { step: 'attempt-failed', attempt: 2, reason: 'Chatwoot timed out after 10000 ms', retryInMs: 1000 });
    tick();
    journeys.note(wa, { step: 'posted', chatwoot: 4711, conversation: 12, phone: PHONE });

    const byWa = await journeys.show(WA_ID);
    expect(byWa).toMatchObject({
      direction: 'from-whatsapp',
      session: 'main',
      chat: '•••5678@c.us',
      status: 'posted',
      ids: { whatsapp: [WA_ID], chatwoot: ['4711'] },
    });
    expect(byWa!.steps.map((s) => s.step)).toEqual(['received', 'attempt-failed', 'attempt-failed', 'posted']);
    expect(byWa!.steps.filter((s) => s.step === 'attempt-failed')).toEqual([
      expect.objectContaining({ attempt: 1, reason: 'Chatwoot answered 503 for POST messages', retryInMs: 500 }),
      expect.objectContaining({ attempt: 2, reason: 'Chatwoot timed out after 10000 ms', retryInMs: 1000 }),
    ]);
    const byCw = await journeys.show('4711');
    expect(byCw!.steps).toEqual(byWa!.steps);
    expect(byCw!.direction).toBe('from-whatsapp');
    expect(await journeys.show(`wa:${WA_ID}`)).toMatchObject({ status: 'posted' });
    // A number is tried as a WhatsApp id too; one that names nothing is not listed.
    expect(byCw!.ids).toEqual({ whatsapp: [WA_ID], chatwoot: ['4711'] });
  });

  test("an agent's message in two parts: each part's id finds the whole journey, ticks included", async () => {
    const { journeys } = store();
    const cw = { side: 'cw' as const, id: '900' };
    journeys.note(cw, {
      step: 'received',
      via: 'webhook',
      session: 'main',
      kind: 'attachment',
      chat: CHAT,
      phone: PHONE,
      lane: 'outbound',
    });
    tick();
    journeys.note(cw, { step: 'sent', whatsapp: 'true_351912345678@c.us_A', part: 0, chat: CHAT });
    tick();
    journeys.note(cw, { step: 'sent', whatsapp: 'true_351912345678@c.us_B', part: 1, chat: CHAT });
    tick();
    journeys.note(cw, { step: 'tick', status: 'delivered', whatsapp: 'true_351912345678@c.us_B' });
    tick();
    journeys.note(cw, { step: 'tick', status: 'read', whatsapp: 'true_351912345678@c.us_A' });

    const byPart = await journeys.show('true_351912345678@c.us_A');
    expect(byPart).toMatchObject({ direction: 'from-agents', status: 'read', session: 'main' });
    expect(byPart!.ids.chatwoot).toEqual(['900']);
    expect(byPart!.ids.whatsapp.sort()).toEqual(['true_351912345678@c.us_A', 'true_351912345678@c.us_B']);
    expect(byPart!.steps.map((s) => s.step)).toEqual(['received', 'sent', 'sent', 'tick', 'tick']);
    // The part's id in the step is masked: the phone never sits in a journey's steps.
    expect(byPart!.steps[1]).toMatchObject({ step: 'sent', whatsapp: 'true_•••5678@c.us_A', part: 0 });
    expect(byPart!.steps[4]).toMatchObject({ step: 'tick', status: 'read', whatsapp: 'true_•••5678@c.us_A', journey: 'cw:900' });
    expect((await journeys.show('900'))!.steps).toEqual(byPart!.steps);
    expect((await journeys.show('true_351912345678@c.us_B'))!.steps).toEqual(byPart!.steps);
  });

  test('what is stored holds no full phone number and no message text', async () => {
    const { journeys, keys } = store();
    const wa = { side: 'wa' as const, id: 'msg-1' };
    journeys.note(wa, { step: 'received', via: 'catch-up', session: 's', kind: 'text', chat: CHAT, lane: 'inbound' });
    journeys.note(wa, { step: 'attempt-failed', attempt: 1, reason: `no contact for ${PHONE} in inbox 3`, retryInMs: 500 });
    journeys.note(wa, { step: 'posted', chatwoot: 5, conversation: 6, phone: PHONE });
    const raw = (await redis.lrange(keys.journey('wa', 'msg-1'), 0, -1)).join('\n');
    expect(raw).not.toContain('912345678');
    expect(raw).toContain('no contact for •••5678 in inbox 3');
    expect(raw).not.toMatch(/"(text|body|caption)":/);
  });

  test('a journey keeps its last maxSteps steps', async () => {
    const { journeys } = store({ maxSteps: 5 });
    const wa = { side: 'wa' as const, id: 'capped' };
    journeys.note(wa, { step: 'received', via: 'engine', session: 's', lane: 'inbound' });
    for (let i = 1; i <= 7; i++) {
      tick();
      journeys.note(wa, { step: 'attempt-failed', attempt: i, reason: `failure ${i}`, retryInMs: 100 });
    }
    const shown = await journeys.show('capped');
    expect(shown!.steps.map((s) => (s.step === 'attempt-failed' ? s.attempt : s.step))).toEqual([3, 4, 5, 6, 7]);
  });

  test('every key expires retentionHours after the last step; an expired journey is not found', async () => {
    const { journeys, keys } = store({ retentionHours: 2 });
    const wa = { side: 'wa' as const, id: 'kept' };
    journeys.note(wa, { step: 'received', via: 'engine', session: 's', chat: CHAT, lane: 'inbound' });
    journeys.note(wa, { step: 'posted', chatwoot: 31, conversation: 1 });
    for (const key of [
      keys.journey('wa', 'kept'),
      keys.journeyLinks('wa', 'kept'),
      keys.journeyLinks('cw', '31'),
      keys.journeyChat('351912345678'),
    ]) {
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(2 * 3600_000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(2 * 3600_000);
    }

    const short = store({ retentionHours: 0.5 / 3600 }).journeys;
    short.note({ side: 'wa', id: 'gone' }, { step: 'received', via: 'engine', session: 's', chat: CHAT, lane: 'inbound' });
    expect(await short.show('gone')).toBeDefined();
    await sleep(700);
    expect(await short.show('gone')).toBeUndefined();
    expect(await short.find(PHONE, 0)).toEqual([]);
  });

  test("find lists a chat's journeys since a time, the most recent first, whatever way the number is written", async () => {
    const { journeys } = store();
    const start = clock;
    journeys.note({ side: 'wa', id: 'old' }, { step: 'received', via: 'engine', session: 's', kind: 'text', chat: CHAT, lane: 'inbound' });
    tick(3600_000);
    journeys.note(
      { side: 'wa', id: 'in-1' },
      { step: 'received', via: 'engine', session: 's', kind: 'image', chat: CHAT, lane: 'inbound' },
    );
    tick();
    journeys.note({ side: 'wa', id: 'in-1' }, { step: 'attempt-failed', attempt: 1, reason: 'Chatwoot answered 500', retryInMs: 500 });
    tick();
    journeys.note(
      { side: 'cw', id: '77' },
      { step: 'received', via: 'websocket', session: 's', kind: 'text', phone: PHONE, lane: 'outbound' },
    );
    tick();
    journeys.note({ side: 'cw', id: '77' }, { step: 'sent', whatsapp: 'true_x_1', part: 0, chat: CHAT });
    journeys.note(
      { side: 'wa', id: 'elsewhere' },
      { step: 'received', via: 'engine', session: 's', chat: '4915112345678@c.us', lane: 'inbound' },
    );

    const recent = await journeys.find('+351 912 345 678', start + 1000);
    expect(recent.map((j) => [j.id, j.direction, j.status])).toEqual([
      ['77', 'from-agents', 'sent'],
      ['in-1', 'from-whatsapp', 'attempt-failed'],
    ]);
    expect(recent[1]).toMatchObject({ kind: 'image', session: 's', reason: 'Chatwoot answered 500' });
    expect((await journeys.find(CHAT, start)).map((j) => j.id)).toEqual(['77', 'in-1', 'old']);
    expect(await journeys.find('+1 555 0100', start)).toEqual([]);
  });

  test('a chat lists its maxPerChat most recent journeys', async () => {
    const { journeys } = store({ maxPerChat: 3 });
    for (let i = 1; i <= 5; i++) {
      tick();
      journeys.note({ side: 'wa', id: `m${i}` }, { step: 'received', via: 'engine', session: 's', chat: CHAT, lane: 'inbound' });
    }
    expect((await journeys.find(PHONE, 0)).map((j) => j.id)).toEqual(['m5', 'm4', 'm3']);
  });

  test('with journeys.enabled false nothing is written', async () => {
    const { journeys, keys } = store({ enabled: false });
    journeys.note({ side: 'wa', id: 'off' }, { step: 'received', via: 'engine', session: 's', chat: CHAT, lane: 'inbound' });
    expect(await journeys.show('off')).toBeUndefined();
    expect(await redis.keys(`${keys.prefix}*`)).toEqual([]);
  });
});
