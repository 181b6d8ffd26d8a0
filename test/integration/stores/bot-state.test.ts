import Redis from 'ioredis';
import type { ChatTarget } from '../../../src/core/ports';
import { BotStateStore, type BotChatState, type HumanMark } from '../../../src/store/bot-state';
import { Keys } from '../../../src/store/keys';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';

const TTL_S = 600;

function target(chatKey: string, session = 'main'): ChatTarget {
  return { session, inboxId: 3, chatKey, waChatId: chatKey, isGroup: chatKey.endsWith('@g.us'), reopen: 'reuse' };
}

function state(over: Partial<BotChatState> = {}): BotChatState {
  return {
    bot: 'onboarding',
    flowSessionId: 'fs-1',
    resultId: 'res-1',
    flowId: 'flow-1',
    conversationId: 42,
    target: target('351912345678@c.us'),
    startedAt: 1_700_000_000_000,
    lastActivity: 1_700_000_005_000,
    input: { type: 'text input', text: true, files: false, state: { variable: 'name' } },
    answers: [{ type: 'text input', answer: 'Maria' }],
    outbox: {
      cause: 'wa-msg-1',
      outputs: [
        { kind: 'text', text: 'Olá!' },
        { kind: 'wait', ms: 500 },
        { kind: 'media', mediaKind: 'image', url: 'https://typebot.example/x.png', caption: 'veja' },
      ],
      next: 1,
      sent: { 2: 'wa-sent-2' },
    },
    ...over,
  };
}

function mark(over: Partial<HumanMark> = {}): HumanMark {
  return { reason: 'agent', conversationId: 42, at: 1_700_000_000_000, target: target('351912345678@c.us'), ...over };
}

describe('BotStateStore (real redis-server)', () => {
  let server: TestRedis;
  let redis: Redis;
  let n = 0;

  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  function make(prefix = `bs${++n}:`) {
    const keys = new Keys(prefix);
    return { store: new BotStateStore(redis, keys, TTL_S), keys };
  }

  test('save, get and clear a chat state (with its outbox), which expires after the TTL', async () => {
    const { store, keys } = make();
    const chat = '351912345678@c.us';
    expect(await store.get('main', chat)).toBeUndefined();

    const s = state();
    await store.save('main', chat, s);
    const got = await store.get('main', chat);
    expect(got).toEqual(s);
    // the outbox survives the round trip, with its "sent" map usable by numeric index
    expect(got!.outbox!.sent[2]).toBe('wa-sent-2');
    const ttl = await redis.ttl(keys.botState('main', chat));
    expect(ttl).toBeGreaterThan(TTL_S - 5);
    expect(ttl).toBeLessThanOrEqual(TTL_S);

    // another session or chat is another state
    expect(await store.get('other', chat)).toBeUndefined();
    expect(await store.get('main', '351900000000@c.us')).toBeUndefined();

    // saving again replaces it and refreshes the TTL
    await redis.expire(keys.botState('main', chat), 10);
    const next = state({
      lastActivity: 1_700_000_009_000,
      outbox: undefined,
      answers: [...s.answers, { type: 'choice input', answer: 'Sim' }],
    });
    await store.save('main', chat, next);
    expect(await store.get('main', chat)).toEqual(JSON.parse(JSON.stringify(next)));
    expect(await redis.ttl(keys.botState('main', chat))).toBeGreaterThan(TTL_S - 5);

    await store.clear('main', chat);
    expect(await store.get('main', chat)).toBeUndefined();
    // clearing what is not there is harmless
    await expect(store.clear('main', chat)).resolves.toBeUndefined();
  });

  test('human marks: set, read, clear (true only when one was there), kept 30 days', async () => {
    const { store, keys } = make();
    const chat = '351912345678@c.us';
    expect(await store.human('main', chat)).toBeUndefined();
    const m = mark({ reason: 'keyword' });
    await store.setHuman('main', chat, m);
    expect(await store.human('main', chat)).toEqual(m);
    expect(await store.human('sales', chat)).toBeUndefined();
    const ttl = await redis.ttl(keys.botHuman('main', chat));
    expect(ttl).toBeGreaterThan(30 * 24 * 3600 - 5);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);

    // a human mark and a bot state are independent
    expect(await store.get('main', chat)).toBeUndefined();

    expect(await store.clearHuman('main', chat)).toBe(true);
    expect(await store.human('main', chat)).toBeUndefined();
    expect(await store.clearHuman('main', chat)).toBe(false);
  });

  test('burst: entries come back oldest first, an id is stored once, drop removes only the given ids', async () => {
    const { store, keys } = make();
    const chat = '351912345678@c.us';
    expect(await store.burst('main', chat)).toEqual([]);

    await store.addToBurst('main', chat, { id: 'w3', at: 3000, text: 'three' });
    await store.addToBurst('main', chat, { id: 'w1', at: 1000, text: 'one' });
    await store.addToBurst('main', chat, { id: 'w2', at: 2000, text: 'two' });
    // a re-delivery of the same WhatsApp message replaces, not duplicates
    await store.addToBurst('main', chat, { id: 'w1', at: 1000, text: 'one' });
    expect(await store.burst('main', chat)).toEqual([
      { id: 'w1', at: 1000, text: 'one' },
      { id: 'w2', at: 2000, text: 'two' },
      { id: 'w3', at: 3000, text: 'three' },
    ]);
    const ttl = await redis.ttl(keys.botBurst('main', chat));
    expect(ttl).toBeGreaterThan(TTL_S - 5);
    expect(ttl).toBeLessThanOrEqual(TTL_S);

    // another chat has its own burst
    expect(await store.burst('main', '351900000000@c.us')).toEqual([]);

    await store.dropFromBurst('main', chat, []);
    expect((await store.burst('main', chat)).map((e) => e.id)).toEqual(['w1', 'w2', 'w3']);
    await store.dropFromBurst('main', chat, ['w1', 'w3', 'unknown']);
    expect(await store.burst('main', chat)).toEqual([{ id: 'w2', at: 2000, text: 'two' }]);
    // a message arriving after the drop joins the remaining burst
    await store.addToBurst('main', chat, { id: 'w4', at: 1500, text: 'late but earlier' });
    expect((await store.burst('main', chat)).map((e) => e.id)).toEqual(['w4', 'w2']);
    await store.dropFromBurst('main', chat, ['w2', 'w4']);
    expect(await store.burst('main', chat)).toEqual([]);
    expect(await redis.exists(keys.botBurst('main', chat))).toBe(0);
  });

  test('list finds bot and human chats per session, and nothing else', async () => {
    const { store } = make('ponte:');
    // noise: another daemon's prefix on the same Redis, and other keys of ours
    const { store: neighbour } = make('ponte2:');
    await neighbour.save('main', '351999999999@c.us', state());
    await neighbour.setHuman('main', '351999999998@c.us', mark());

    await store.save('main', '351912345678@c.us', state());
    await store.save('main', '120363012345678901@g.us', state());
    await store.save('sales', '351911111111@c.us', state());
    await store.save('main2', '351933333333@c.us', state());
    await store.setHuman('main', '351922222222@c.us', mark());
    await store.setHuman('sales', '351911111111@c.us', mark({ reason: 'flow_end' }));
    await store.setHuman('main', '123456789012345@lid', mark());
    await store.addToBurst('main', '351944444444@c.us', { id: 'b1', at: 1, text: 'burst only' });

    const sort = (rows: Array<{ session: string; chatKey: string; mode: string }>) =>
      [...rows].sort((a, b) => `${a.mode}|${a.session}|${a.chatKey}`.localeCompare(`${b.mode}|${b.session}|${b.chatKey}`));

    expect(sort(await store.list())).toEqual(
      sort([
        { session: 'main', chatKey: '351912345678@c.us', mode: 'bot' },
        { session: 'main', chatKey: '120363012345678901@g.us', mode: 'bot' },
        { session: 'main2', chatKey: '351933333333@c.us', mode: 'bot' },
        { session: 'main', chatKey: '351922222222@c.us', mode: 'human' },
        // Humans have it, its flow kept for a resume: one row, in human hands.
        { session: 'sales', chatKey: '351911111111@c.us', mode: 'human' },
        { session: 'main', chatKey: '123456789012345@lid', mode: 'human' },
      ]),
    );

    // one session only: "main" must not pick up "main2"
    expect(sort(await store.list('main'))).toEqual(
      sort([
        { session: 'main', chatKey: '351912345678@c.us', mode: 'bot' },
        { session: 'main', chatKey: '120363012345678901@g.us', mode: 'bot' },
        { session: 'main', chatKey: '351922222222@c.us', mode: 'human' },
        { session: 'main', chatKey: '123456789012345@lid', mode: 'human' },
      ]),
    );
    expect(sort(await store.list('sales'))).toEqual(sort([{ session: 'sales', chatKey: '351911111111@c.us', mode: 'human' }]));
    expect(await store.list('main2')).toEqual([{ session: 'main2', chatKey: '351933333333@c.us', mode: 'bot' }]);
    expect(await store.list('nobody')).toEqual([]);

    // cleared chats leave the list
    await store.clear('main', '351912345678@c.us');
    await store.clearHuman('main', '351922222222@c.us');
    expect(sort(await store.list('main'))).toEqual(
      sort([
        { session: 'main', chatKey: '120363012345678901@g.us', mode: 'bot' },
        { session: 'main', chatKey: '123456789012345@lid', mode: 'human' },
      ]),
    );
  });

  test('list walks every SCAN page (more chats than one COUNT)', async () => {
    const { store, keys } = make();
    const chats = Array.from({ length: 1200 }, (_, i) => `3519${String(i).padStart(8, '0')}@c.us`);
    const pipe = redis.pipeline();
    // written directly for speed, in the store's own key layout
    for (const c of chats) pipe.set(keys.botState('main', c), JSON.stringify(state()), 'EX', TTL_S);
    await pipe.exec();
    const rows = await store.list('main');
    expect(new Set(rows.map((r) => r.chatKey))).toEqual(new Set(chats));
    expect(rows.every((r) => r.mode === 'bot' && r.session === 'main')).toBe(true);
  });
});
