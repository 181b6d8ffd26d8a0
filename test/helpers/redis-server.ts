import { spawn } from 'node:child_process';
import net from 'node:net';
import { exitOf, freePort, isAlive, track } from './processes';
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

/** Sends PING over a raw socket: true on +PONG. */
export function ping(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write('*1\r\n$4\r\nPING\r\n'));
    socket.on('data', (b) => {
      data += b.toString();
      if (data.includes('\r\n')) done(data.startsWith('+PONG'));
    });
    socket.on('error', () => done(false));
  });
}

/** A real redis-server on a free loopback port (or `port`), working in a temp dir (or `dir`). */
export async function startRedisServer(options: { port?: number; dir?: string; appendonly?: boolean } = {}): Promise<TestRedis> {
  const port = options.port ?? (await freePort());
  const ownDir = !options.dir;
  const dir = options.dir ?? tempDir('ponte-redis-');
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', options.appendonly ? 'yes' : 'no', '--daemonize', 'no', '--logfile', ''];
  const child = track(spawn(REDIS_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let output = '';
  child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined); // only awaited while starting
  const deadline = Date.now() + 10000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited during start (port ${port}): ${output.trim().slice(-500)}`);
    if (await Promise.race([ping(port), spawnError])) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s: ${output.trim().slice(-500)}`);
    }
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
