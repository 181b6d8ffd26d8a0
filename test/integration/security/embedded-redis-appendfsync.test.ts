import Redis from 'ioredis';
import pino from 'pino';
import { configSchema } from '../../../src/config/schema';
import { EmbeddedRedis } from '../../../src/store/embedded-redis';
import { removeTempDirs, tempDir } from '../../helpers/temp';

const logger = pino({ level: 'silent' });
const started: EmbeddedRedis[] = [];
const clients: Redis[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const e of started.splice(0)) await e.stop();
});
afterAll(() => removeTempDirs());

async function flushPolicyOf(options: { appendfsync?: 'always' | 'everysec' }): Promise<{ policy: string; aofOn: boolean }> {
  const e = new EmbeddedRedis({ dataDir: tempDir('ponte-fsync-'), binary: 'redis-server', logger, ...options });
  started.push(e);
  const c = new Redis(await e.start());
  clients.push(c);
  await c.set('k', 'v');
  const [, policy] = (await c.config('GET', 'appendfsync')) as string[];
  const aofOn = /aof_enabled:1/.test(await c.info('persistence'));
  return { policy, aofOn };
}

describe("the embedded Redis's append-only file flush policy", () => {
  test('redis.appendfsync: always makes the embedded redis-server flush every write to disk', async () => {
    expect(await flushPolicyOf({ appendfsync: 'always' })).toEqual({ policy: 'always', aofOn: true });
  });

  test('the default is everysec, and the configuration says so', async () => {
    expect(await flushPolicyOf({})).toEqual({ policy: 'everysec', aofOn: true });
    const config = configSchema.parse({ http: { adminToken: 'an-admin-token-long-enough-0123' }, sessions: [] });
    expect(config.redis.appendfsync).toBe('everysec');
    expect(
      configSchema.safeParse({ http: { adminToken: 'an-admin-token-long-enough-0123' }, sessions: [], redis: { appendfsync: 'no' } })
        .success,
    ).toBe(false);
  });
});
