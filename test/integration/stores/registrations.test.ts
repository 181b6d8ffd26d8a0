import Redis from 'ioredis';
import { Keys } from '../../../src/store/keys';
import { RegistrationStore, type RegistrationRecord, type RegistrationStatus } from '../../../src/store/registrations';
import pino from 'pino';
import { requeueStranded } from '../../../src/registration/stranded';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';

function record(
  id: string,
  createdAt: number,
  status: RegistrationStatus = 'queued',
  over: Partial<RegistrationRecord> = {},
): RegistrationRecord {
  return {
    id,
    source: 'flow',
    session: 'main',
    target: { session: 'main', inboxId: 3, chatKey: '351912345678@c.us', waChatId: '351912345678@c.us', isGroup: false, reopen: 'reuse' },
    conversationId: 42,
    phone: '+351912345678',
    resultId: `res-${id}`,
    status,
    fields: { name: 'Maria', nif: '123456789' },
    files: [{ field: 'cc', mediaId: 'm-1', filename: 'cc.pdf', mimetype: 'application/pdf', size: 10 }],
    createdAt,
    updatedAt: createdAt,
    ...over,
  };
}

describe('RegistrationStore (real redis-server)', () => {
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

  function make() {
    const keys = new Keys(`rs${++n}:`);
    return { store: new RegistrationStore(redis, keys), keys };
  }

  test('create is NX: the same id a second time returns false and overwrites nothing', async () => {
    const { store, keys } = make();
    const first = record('r-abc', 1000, 'fixing', { fixing: ['nif'] });
    expect(await store.create(first)).toBe(true);
    expect(await store.get('r-abc')).toEqual(first);
    expect(Number(await redis.zscore(keys.registrationIndex(), 'r-abc'))).toBe(1000);

    const again = record('r-abc', 5000, 'queued', { fields: { name: 'Someone else' } });
    expect(await store.create(again)).toBe(false);
    expect(await store.get('r-abc')).toEqual(first);
    // the index keeps one entry, at the first creation time
    expect(await redis.zcard(keys.registrationIndex())).toBe(1);
    expect(Number(await redis.zscore(keys.registrationIndex(), 'r-abc'))).toBe(1000);
    expect(await store.list()).toEqual([first]);

    expect(await store.get('unknown')).toBeUndefined();
  });

  test('create under concurrency: exactly one of several simultaneous creates wins', async () => {
    const { store, keys } = make();
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((i) => store.create(record('r-race', 1000 + i, 'queued', { fields: { attempt: String(i) } }))),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true) + 1;
    expect((await store.get('r-race'))!.fields).toEqual({ attempt: String(winner) });
    expect(await redis.zcard(keys.registrationIndex())).toBe(1);
  });

  test('save replaces the record and stamps updatedAt', async () => {
    const { store } = make();
    const rec = record('r-1', 1000, 'fixing', { fixing: ['nif', 'cc'] });
    await store.create(rec);
    const before = Date.now();
    await store.save({ ...rec, status: 'queued', fixing: undefined, submittedAt: '2024-01-01T00:00:00.000Z' });
    const got = (await store.get('r-1'))!;
    expect(got.status).toBe('queued');
    expect(got.fixing).toBeUndefined();
    expect(got.submittedAt).toBe('2024-01-01T00:00:00.000Z');
    expect(got.createdAt).toBe(1000);
    expect(got.updatedAt).toBeGreaterThanOrEqual(before);
  });

  test('list is newest first, honours the limit, and filters by status across the whole index', async () => {
    const { store } = make();
    const recs = [
      record('r-a', 1000, 'failed'),
      record('r-b', 2000, 'queued'),
      record('r-c', 3000, 'delivered'),
      record('r-d', 4000, 'queued'),
      record('r-e', 5000, 'fixing'),
      record('r-f', 6000, 'queued'),
    ];
    // created out of order: the order comes from createdAt, not from creation
    for (const r of [recs[3], recs[0], recs[5], recs[1], recs[4], recs[2]]) expect(await store.create(r)).toBe(true);

    const ids = (rs: RegistrationRecord[]) => rs.map((r) => r.id);
    expect(ids(await store.list())).toEqual(['r-f', 'r-e', 'r-d', 'r-c', 'r-b', 'r-a']);
    expect(await store.list()).toEqual([...recs].reverse());
    expect(ids(await store.list(2))).toEqual(['r-f', 'r-e']);
    expect(ids(await store.list(1))).toEqual(['r-f']);
    expect(ids(await store.list(100))).toHaveLength(6);

    expect(ids(await store.list(50, 'queued'))).toEqual(['r-f', 'r-d', 'r-b']);
    expect(ids(await store.list(2, 'queued'))).toEqual(['r-f', 'r-d']);
    // the only failed one is the oldest, beyond the first `limit` entries of the index
    expect(ids(await store.list(1, 'failed'))).toEqual(['r-a']);
    expect(ids(await store.list(10, 'fixing'))).toEqual(['r-e']);
    expect(await store.list(10, 'rejected')).toEqual([]);

    // a status change through save moves it between filters
    await store.save({ ...recs[1], status: 'delivered', deliveredAt: 7000 });
    expect(ids(await store.list(50, 'queued'))).toEqual(['r-f', 'r-d']);
    expect(ids(await store.list(50, 'delivered'))).toEqual(['r-c', 'r-b']);
    // and keeps its place (the index is by creation)
    expect(ids(await store.list())).toEqual(['r-f', 'r-e', 'r-d', 'r-c', 'r-b', 'r-a']);
  });

  test('list skips index entries whose record is gone', async () => {
    const { store, keys } = make();
    await store.create(record('r-1', 1000));
    await store.create(record('r-2', 2000));
    await store.create(record('r-3', 3000));
    await redis.del(keys.registration('r-2'));
    expect((await store.list()).map((r) => r.id)).toEqual(['r-3', 'r-1']);
    expect((await store.list(50, 'queued')).map((r) => r.id)).toEqual(['r-3', 'r-1']);
  });

  test('fixingIn / setFixing: per session and chat, set with a week TTL, cleared with undefined', async () => {
    const { store, keys } = make();
    const chat = '351912345678@c.us';
    expect(await store.fixingIn('main', chat)).toBeUndefined();

    await store.setFixing('main', chat, 'r-fix-1');
    expect(await store.fixingIn('main', chat)).toBe('r-fix-1');
    expect(await store.fixingIn('sales', chat)).toBeUndefined();
    expect(await store.fixingIn('main', '351900000000@c.us')).toBeUndefined();

    const key = (await redis.keys(`${keys.prefix}*`)).find((k) => k.endsWith(`:main:${chat}`))!;
    expect(key).toBeDefined();
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(7 * 24 * 3600 - 5);
    expect(ttl).toBeLessThanOrEqual(7 * 24 * 3600);

    // the fixing pointer is not a registration: list and get do not see it
    expect(await store.list()).toEqual([]);

    // a newer registration in the same chat replaces the pointer
    await store.setFixing('main', chat, 'r-fix-2');
    expect(await store.fixingIn('main', chat)).toBe('r-fix-2');

    await store.setFixing('main', chat, undefined);
    expect(await store.fixingIn('main', chat)).toBeUndefined();
    // clearing twice is harmless
    await expect(store.setFixing('main', chat, undefined)).resolves.toBeUndefined();
  });

  test('listing walks the index in pages: newest first with a limit, by status across pages, oldest first for withStatus', async () => {
    const { store } = make();
    for (let i = 0; i < 450; i++) await store.create(record(`r${i}`, 1_000 + i, i % 3 === 0 ? 'queued' : 'delivered'));
    const newest = await store.list(250);
    expect(newest).toHaveLength(250);
    expect(newest[0].id).toBe('r449');
    expect(newest[249].id).toBe('r200');
    const queued = await store.list(1000, 'queued');
    expect(queued).toHaveLength(150);
    expect(queued.every((r) => r.status === 'queued')).toBe(true);
    const oldest: string[] = [];
    for await (const rec of store.withStatus('queued')) oldest.push(rec.id);
    expect(oldest).toHaveLength(150);
    expect(oldest.slice(0, 2)).toEqual(['r0', 'r3']);
    expect(oldest[149]).toBe('r447');
  });

  test('requeueStranded hands on a queued registration whose lane is empty and leaves one that is in its lane', async () => {
    const { store } = make();
    await store.create(record('stranded', 1));
    await store.create(record('waiting', 2));
    await store.create(record('done', 3, 'delivered'));
    const inLane = new Map<string, number>([['waiting', 1]]);
    const pushed: string[] = [];
    const lanes = {
      length: async (lane: string) => inLane.get(lane) ?? 0,
      push: async (lane: string, job: { id: string }) => {
        pushed.push(`${lane}:${job.id}`);
        return 'x';
      },
    };
    expect(await requeueStranded(store, lanes, pino({ level: 'silent' }))).toBe(1);
    expect(pushed).toEqual(['stranded:stranded']);
  });
});
