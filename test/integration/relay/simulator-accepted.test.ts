/**
 * "Accepted means persisted" at the simulator route: `POST /admin/simulator/:session/inbound` answers 202
 * only once the event is in Redis, and 503 `not_persisted` when Redis does not take it. The crash itself is
 * test/e2e/relay-accepted-kill9.test.ts; here Redis is made to hold writes, or is gone, to see the order.
 */
import Redis from 'ioredis';
import { IdMap } from '../../../src/store/id-map';
import { request } from '../../helpers/http';
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait';

const DEDUPED = ['ponte_dedupe_hits_total', { direction: 'inbound' }] as const;
const DEPTH = ['ponte_queue_depth', { queue: 'inbound' }] as const;

describe('the simulator route acknowledges what is persisted', () => {
  let redis: TestRedis;
  let h: Harness;
  let probe: Redis;
  /** Reads Redis on a connection of its own: the daemon's might hold a read behind its own write. */
  let known: (id: string) => Promise<boolean>;
  const inject = (json: Record<string, unknown>) =>
    request('POST', `${h.url()}/admin/simulator/main/inbound`, { token: ADMIN_TOKEN, json });

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await startRelayHarness({ redis });
    probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const ids = new IdMap(probe, h.daemon.relay!.inbound.keys);
    known = (id) => ids.isKnown('main', id);
  });
  afterAll(async () => {
    probe?.disconnect();
    await h?.stop();
    await redis?.stop();
  });

  test('with Redis holding writes, the 202 waits for them: when it comes, the message is in Redis', async () => {
    // Redis serves reads but holds every write (scripts included) for the next 300 ms.
    await probe.call('CLIENT', 'PAUSE', '300', 'WRITE');
    const res = await inject({ id: 'ACK-PAUSED', from: '+351912800001', type: 'text', text: 'held by Redis' });
    expect(res.status).toBe(202);
    expect(await known('ACK-PAUSED')).toBe(true);
    await h.waitMessage('ACK-PAUSED');
    expect(h.messagesFor('ACK-PAUSED')).toHaveLength(1);
  });

  test('Redis gone: 503 not_persisted; once Redis is back the held event arrives, and sending it again with its id does not double it', async () => {
    const port = redis.port;
    await redis.stop();
    const res = await inject({ id: 'ACK-DOWN', from: '+351912800002', type: 'text', text: 'while Redis is down' });
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('not_persisted');
    expect(res.body.error.message).not.toContain('while Redis is down'); // no message body in answers or logs

    redis = await startRedisServer({ port });
    await h.waitMessage('ACK-DOWN', 20_000);
    expect((await inject({ id: 'ACK-DOWN', from: '+351912800002', type: 'text', text: 'while Redis is down' })).status).toBe(202);
    // The second copy was in its lane at the 202: an empty lane means it was handled.
    await waitFor(async () => (await h.metric(...DEPTH)) === 0, 10_000, 50, 'the inbound lanes empty');
    expect(h.messagesFor('ACK-DOWN')).toHaveLength(1);
    expect(await h.metric(...DEDUPED)).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
