import type Redis from 'ioredis';
import { createLogger } from '../../../src/observability/logger';
import { connectRedis, redisReady } from '../../../src/store/redis';
import { isAlive, liveChildren, removeTempDirs, startRedisServer, waitFor, type TestRedis } from '../../helpers';

const logLines: Array<Record<string, any>> = [];
const logger = createLogger({ level: 'info', pretty: false }, { write: (s: string) => void logLines.push(JSON.parse(s)) });
const servers: TestRedis[] = [];
let client: Redis | undefined;

afterAll(async () => {
  try {
    client?.disconnect();
    for (const s of servers) await s.stop();
    for (const s of servers) expect(isAlive(s.pid)).toBe(false);
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

test('connectRedis reconnects by itself after the server is killed and comes back on the same port', async () => {
  const first = await startRedisServer();
  servers.push(first);
  client = connectRedis(first.url, logger);
  expect(redisReady(client)).toBe(false); // lazy: nothing happens before connect()
  await client.connect();
  expect(redisReady(client)).toBe(true);
  await client.set('before', '1');

  await first.kill('SIGKILL');
  await waitFor(() => !redisReady(client!), 5000, 10, 'the client to notice the server is gone');

  const second = await startRedisServer({ port: first.port });
  servers.push(second);
  await waitFor(() => redisReady(client!), 10000, 20, 'the client to be ready again');
  await client.set('after', '2');
  expect(await client.get('after')).toBe('2');
  // a new, empty server: nothing from before the crash (no persistence configured)
  expect(await client.get('before')).toBeNull();

  const msgs = logLines.map((l) => l.msg);
  expect(msgs.filter((m) => m === 'redis ready')).toHaveLength(2);
  expect(msgs).toContain('redis reconnecting');
});
