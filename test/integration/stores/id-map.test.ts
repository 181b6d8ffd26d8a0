import Redis from 'ioredis';
import { IdMap } from '../../../src/store/id-map';
import { Keys } from '../../../src/store/keys';
import { pushToLane } from '../../../src/queue/lane-push';
import { decodeWhatsApp, encodeWhatsApp } from '../../../src/store/id-map-codec';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';

let server: TestRedis;
let redis: Redis;
let n = 0;
const fresh = () => {
  const keys = new Keys(`idmap${++n}:`);
  return { keys, idMap: new IdMap(redis, keys, { retentionDays: 2 }) };
};

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

describe('IdMap (compact layout)', () => {
  test('a mapping is one key and one field of a packed hash, kept redis.idMapRetentionDays, and its marks leave with it', async () => {
    const { keys, idMap } = fresh();
    const waId = 'true_351912345678@c.us_3EB0AAAA';
    await idMap.markKnown('main', [waId, 'cw:1234']);
    expect(await idMap.claim('main', waId)).toEqual({ fresh: true });
    await redis.set(keys.cursor('cw-part:main:1234:0'), 'x');
    await idMap.record('main', { chatId: '351912345678@c.us', waId }, { conversationId: 7, messageId: 1234 }, [
      keys.cursor('cw-part:main:1234:0'),
    ]);

    expect(await idMap.byWa('main', waId)).toEqual({ conversationId: 7, messageId: 1234 });
    expect(await idMap.byCw('main', 1234)).toEqual({ chatId: '351912345678@c.us', waId });
    expect(await redis.get(keys.waToCw('main', waId))).toBe('7:1234');
    expect(await redis.hget(keys.cwBucket('main', 12), '1234')).toBe(waId);
    expect(await redis.object('ENCODING', keys.cwBucket('main', 12))).toBe('listpack');
    for (const key of [keys.waToCw('main', waId), keys.cwBucket('main', 12)]) {
      const ttl = await redis.ttl(key);
      expect(ttl).toBeGreaterThan(2 * 86400 - 10);
      expect(ttl).toBeLessThanOrEqual(2 * 86400);
    }
    // The in-flight mark, the Chatwoot id's taken-in mark and the cursor are gone.
    expect(await redis.exists(keys.inflight('main', waId), keys.waToCw('main', 'cw:1234'), keys.cursor('cw-part:main:1234:0'))).toBe(0);
    expect(await idMap.claim('main', waId)).toEqual({ done: { conversationId: 7, messageId: 1234 } });
  });

  test('a taken-in mark (a lane push or markKnown) never overwrites a mapping; handled never overwrites a relayed one', async () => {
    const { keys, idMap } = fresh();
    await idMap.record('main', { chatId: 'c@c.us', waId: 'A' }, { conversationId: 1, messageId: 10 });
    await pushToLane(redis, keys, 'inbound', 'lane', { x: 1 }, { mark: idMap.knownMark('main', 'A') });
    await idMap.markKnown('main', ['A']);
    await idMap.recordHandled('main', 'A');
    expect(await idMap.byWa('main', 'A')).toEqual({ conversationId: 1, messageId: 10 });

    await pushToLane(redis, keys, 'inbound', 'lane', { x: 2 }, { mark: idMap.knownMark('main', 'B') });
    expect(await idMap.isKnown('main', 'B')).toBe(true);
    expect(await idMap.byWa('main', 'B')).toBeUndefined();
    expect(await idMap.claim('main', 'B')).toEqual({ fresh: true });
    await idMap.recordHandled('main', 'B');
    expect(await idMap.byWa('main', 'B')).toBe('handled');
    expect(await idMap.claim('main', 'B')).toEqual({ done: 'handled' });
  });

  test('the chat is kept beside the WhatsApp id only when the id does not name it', () => {
    const own = { chatId: '351912345678@c.us', waId: 'true_351912345678@c.us_3EB0AB' };
    const other = { chatId: '351912345678@c.us', waId: 'true_123456789@lid_3EB0AB' };
    const bare = { chatId: '120363@g.us', waId: 'SIM123' };
    expect(encodeWhatsApp(own)).toBe(own.waId);
    for (const ref of [own, other, bare]) expect(decodeWhatsApp(encodeWhatsApp(ref))).toEqual(ref);
  });
});
