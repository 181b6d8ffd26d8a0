import { spawn } from 'node:child_process';
import { lostPortRace, redisProcessId } from '../../src/store/redis-probe';
import { drained, exitOf, freePort, isAlive, track } from './processes';
import { removeTempDir, tempDir } from './temp';
import { sleep } from './wait';

export const REDIS_BINARY = process.env.REDIS_SERVER_BIN ?? 'redis-server';

export interface TestRedis {
  url: string;
  port: number;
  dir: string;
  pid: number;
  /**
   * SIGTERM (redis flushes and exits), SIGKILL after 5 s; resolves once the process is gone. A temp dir
   * the helper made is removed unless `appendonly` was asked for.
   */
  stop(): Promise<void>;
  /** Sends a signal without waiting (SIGKILL to simulate a crash). */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** A real redis-server on a free loopback port (or `port`), working in a temp dir (or `dir`). */
export async function startRedisServer(options: { port?: number; dir?: string; appendonly?: boolean } = {}): Promise<TestRedis> {
  // Parallel test workers pick free ports independently: one may bind the port another just found.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOn(options.port ?? (await freePort()), options);
    } catch (err) {
      if (!(err instanceof PortTakenError) || options.port !== undefined || attempt >= 5) throw err;
    }
  }
}

class PortTakenError extends Error {}

async function startOn(port: number, options: { dir?: string; appendonly?: boolean }): Promise<TestRedis> {
  const ownDir = !options.dir;
  const dir = options.dir ?? tempDir('ponte-redis-');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    options.appendonly ? 'yes' : 'no',
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
  const child = track(spawn(REDIS_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined); // only awaited while starting
  const deadline = Date.now() + 10000;
  const giveUp = async (err: Error) => {
    child.kill('SIGKILL');
    await exitOf(child);
    if (ownDir) removeTempDir(dir);
    return err;
  };
  for (;;) {
    if (child.exitCode !== null) {
      await drained(child); // its last words say why it quit
      const message = `redis-server exited during start (port ${port}): ${output.trim().slice(-500)}`;
      throw await giveUp(lostPortRace(output) ? new PortTakenError(message) : new Error(message));
    }
    // PING alone would accept another worker's redis-server that won the race for this port.
    const answering = await Promise.race([redisProcessId(port), spawnError]);
    if (answering === child.pid) break;
    if (answering !== undefined)
      throw await giveUp(new PortTakenError(`port ${port} is served by another redis-server (pid ${answering})`));
    if (Date.now() > deadline)
      throw await giveUp(new Error(`redis-server on port ${port} did not answer within 10 s: ${output.trim().slice(-500)}`));
    await sleep(30);
  }
  const pid = child.pid!;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exitOf(child);
      clearTimeout(timer);
    }
    // Without persistence nothing in a directory we made is worth keeping.
    if (ownDir && !options.appendonly) removeTempDir(dir);
  };
  const kill = async (signal: NodeJS.Signals = 'SIGKILL') => {
    child.kill(signal);
    await exitOf(child);
    while (isAlive(pid)) await sleep(10);
  };
  return { url: `redis://127.0.0.1:${port}`, port, dir, pid, stop, kill };
}
