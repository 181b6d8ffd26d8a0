import Redis from 'ioredis';
import { FromAgentsIntake, OUTBOUND_QUEUE } from '../../../src/from-agents/intake';
import { pushToLane } from '../../../src/queue/lane-push';
import { DeliveryClaims } from '../../../src/store/delivery-claims';
import { IdMap } from '../../../src/store/id-map';
import { Keys } from '../../../src/store/keys';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { agentReply, answer, conversation, nestedJson } from '../../unit/security/webhook-support';

let server: TestRedis;
let redis: Redis;
let intake: FromAgentsIntake;
const keys = new Keys('hostile:');

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
  intake = new FromAgentsIntake({
    push: (lane, job, opts) => pushToLane(redis, keys, OUTBOUND_QUEUE, lane, job, opts),
    deliveries: new DeliveryClaims(keys),
    idMap: new IdMap(redis, keys),
    sessionForInbox: (id) => (id === 3 ? 'main' : undefined),
    wake: () => undefined,
  });
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

describe('hostile webhooks against the real intake (Redis lanes)', () => {
  test('bodies that used to fail in the lane push are refused before it; the next genuine reply is queued', async () => {
    const deepId = JSON.stringify({
      event: 'conversation_typing_on',
      is_private: false,
      conversation: { ...conversation, id: '__X__' },
    }).replace('"__X__"', nestedJson(100_000));
    const deepKey = JSON.stringify({
      event: 'conversation_typing_on',
      is_private: false,
      conversation: { ...conversation, contact_inbox: { source_id: '__X__' } },
    }).replace('"__X__"', nestedJson(5_000));
    for (const raw of [deepId, deepKey]) {
      const res = await answer(raw, intake);
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body)).not.toMatch(/could not persist/);
    }
    const ok = await answer(agentReply({ id: 777 }), intake);
    expect(ok).toEqual({ status: 200, body: { status: 'queued' } });
    const lane = await redis.lrange(keys.lane('outbound', 'main|42'), 0, -1);
    expect(lane.map((item) => (JSON.parse(item) as { data: { event: { type: string; message?: { id: number } } } }).data.event)).toEqual([
      expect.objectContaining({ type: 'send', message: expect.objectContaining({ id: 777 }) }),
    ]);
  });
});
