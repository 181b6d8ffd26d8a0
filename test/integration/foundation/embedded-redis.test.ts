import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { createLogger } from '../../../src/observability/logger';
import { EmbeddedRedis, RedisBinaryMissingError } from '../../../src/store/embedded-redis';
import { freePort } from '../../../src/store/free-port';
import { startRedisServer } from '../../helpers/redis-server';
import { exitOf, isAlive, liveChildren, redisServersIn, removeTempDirs, safeKill, tempDir, track, waitFor } from '../../helpers';

const logLines: Array<Record<string, any>> = [];
const logger = createLogger({ level: 'info', pretty: false }, { write: (s: string) => void logLines.push(JSON.parse(s)) });
const started: EmbeddedRedis[] = [];
const pids = new Set<number>();
const clients: Redis[] = [];

function embedded(dataDir: string, binary = 'redis-server'): EmbeddedRedis {
  const e = new EmbeddedRedis({ dataDir, binary, logger, startTimeoutMs: 10000 });
  started.push(e);
  return e;
}

async function client(url: string): Promise<Redis> {
  const c = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  c.on('error', () => undefined);
  clients.push(c);
  await c.connect();
  return c;
}

const pidIn = (dataDir: string) => Number(fs.readFileSync(path.join(dataDir, 'redis.pid'), 'utf8').trim());

afterEach(async () => {
  for (const c of clients.splice(0)) c.disconnect();
  for (const e of started.splice(0)) await e.stop();
});

afterAll(() => {
  try {
    // nothing we started may survive the file
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

describe('EmbeddedRedis', () => {
  test('never settles for a stranger that took its free port first: it starts its own server on another port', async () => {
    const stranger = await startRedisServer();
    try {
      const ports = [stranger.port];
      const dir = tempDir();
      const e = new EmbeddedRedis({
        dataDir: dir,
        binary: 'redis-server',
        logger,
        startTimeoutMs: 10000,
        pickPort: async () => ports.shift() ?? freePort(),
      });
      started.push(e);
      const url = await e.start();
      expect(url).not.toBe(stranger.url);
      const own = pidIn(dir);
      pids.add(own);
      const c = await client(url);
      expect(Number(/process_id:(\d+)/.exec(await c.info('server'))?.[1])).toBe(own);
      expect(own).not.toBe(stranger.pid);
      expect(logLines).toEqual(
        expect.arrayContaining([expect.objectContaining({ msg: expect.stringContaining('free port was taken'), port: stranger.port })]),
      );
    } finally {
      await stranger.stop();
    }
  });

  test('starts a private redis-server on loopback that answers PING, and records its pid', async () => {
    const dir = tempDir();
    const dataDir = path.join(dir, 'nested', 'redis');
    const url = await embedded(dataDir).start();
    expect(url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    const c = await client(url);
    expect(await c.ping()).toBe('PONG');
    expect(await c.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    const pid = pidIn(dataDir);
    pids.add(pid);
    expect(redisServersIn(dataDir)).toEqual([pid]);
    expect(logLines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'embedded redis-server started', dataDir })]));
  });

  test('data survives a stop and a start on the same directory (AOF)', async () => {
    const dataDir = tempDir();
    const first = embedded(dataDir);
    const c1 = await client(await first.start());
    await c1.set('ponte:test:key', 'kept across restarts');
    await c1.hset('ponte:test:hash', { a: '1', b: '2' });
    c1.disconnect();
    await first.stop();
    expect(fs.existsSync(path.join(dataDir, 'appendonlydir'))).toBe(true);

    const second = embedded(dataDir);
    const c2 = await client(await second.start());
    expect(await c2.get('ponte:test:key')).toBe('kept across restarts');
    expect(await c2.hgetall('ponte:test:hash')).toEqual({ a: '1', b: '2' });
  });

  test('stop leaves no process behind, and a second stop is harmless', async () => {
    const dataDir = tempDir();
    const e = embedded(dataDir);
    await e.start();
    const pid = pidIn(dataDir);
    pids.add(pid);
    expect(isAlive(pid)).toBe(true);
    await e.stop();
    expect(isAlive(pid)).toBe(false);
    expect(redisServersIn(dataDir)).toEqual([]);
    await expect(e.stop()).resolves.toBeUndefined();
  });

  test('a redis-server left running by a killed earlier run on the same data dir is stopped first, its data kept', async () => {
    const dataDir = tempDir();
    // What a daemon killed with SIGKILL leaves: a redis-server (no longer our child) with its pid in <dataDir>/redis.pid.
    const port = 20000 + Math.floor(Math.random() * 20000);
    const res = spawnSync('redis-server', [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dataDir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--daemonize',
      'yes',
      '--pidfile',
      path.join(dataDir, 'redis.pid'),
      '--logfile',
      path.join(dataDir, 'stale.log'),
    ]);
    expect(res.status).toBe(0);
    const stalePid = await waitFor(() => fs.existsSync(path.join(dataDir, 'redis.pid')) && pidIn(dataDir), 5000);
    pids.add(stalePid);
    try {
      const stale = await waitFor(async () => {
        const c = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
        c.on('error', () => undefined);
        try {
          await c.connect();
          return c;
        } catch {
          c.disconnect();
          return undefined;
        }
      }, 5000);
      await stale.set('written-by', 'the earlier run');
      stale.disconnect();

      const url = await embedded(dataDir).start();
      expect(isAlive(stalePid)).toBe(false);
      const fresh = pidIn(dataDir);
      pids.add(fresh);
      expect(fresh).not.toBe(stalePid);
      expect(redisServersIn(dataDir)).toEqual([fresh]);
      const c = await client(url);
      expect(await c.get('written-by')).toBe('the earlier run');
      expect(logLines).toEqual(
        expect.arrayContaining([expect.objectContaining({ level: 40, pid: stalePid, msg: expect.stringContaining('left behind') })]),
      );
    } finally {
      safeKill(stalePid, 'SIGKILL');
    }
  });

  test('a pid file naming an unrelated process does not get that process killed', async () => {
    const dataDir = tempDir();
    const bystander = track(spawn('sleep', ['30'], { stdio: 'ignore' }));
    fs.writeFileSync(path.join(dataDir, 'redis.pid'), String(bystander.pid));
    try {
      await embedded(dataDir).start();
      pids.add(pidIn(dataDir));
      expect(isAlive(bystander.pid!)).toBe(true);
    } finally {
      bystander.kill('SIGKILL');
      await exitOf(bystander);
    }
  });

  test.each([['/nonexistent/bin/redis-server'], ['ponte-no-such-redis-server']])(
    'a missing binary (%s) gives RedisBinaryMissingError with the install hint',
    async (binary) => {
      const err = await embedded(tempDir(), binary)
        .start()
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedisBinaryMissingError);
      const message = (err as Error).message;
      expect(message).toContain(`"${binary}" was not found`);
      expect(message).toContain('apt-get install redis-server');
      expect(message).toContain('redis.url');
    },
  );

  test('a binary that exits at once is reported with its exit, not a hang', async () => {
    const dir = tempDir();
    const fake = path.join(dir, 'fake-redis-server');
    fs.writeFileSync(fake, '#!/bin/sh\necho "FATAL: cannot open the data directory" >&2\nexit 1\n', { mode: 0o755 });
    const err = await embedded(path.join(dir, 'data'), fake)
      .start()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('exited during start');
    expect((err as Error).message).toContain('cannot open the data directory');
  });
});
