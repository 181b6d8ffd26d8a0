import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../observability/logger';
import { freePort } from './free-port';
import { lostPortRace, redisProcessId } from './redis-probe';

const PORT_ATTEMPTS = 5;

export class RedisBinaryMissingError extends Error {
  constructor(binary: string) {
    super(
      `cannot start the embedded Redis: "${binary}" was not found. Install it (sudo apt-get install redis-server, ` +
        `or run scripts/setup.sh) or point Ponte at a Redis server with redis.url (PONTE_REDIS__URL=redis://host:6379).`,
    );
    this.name = 'RedisBinaryMissingError';
  }
}

export interface EmbeddedRedisOptions {
  dataDir: string;
  binary: string;
  logger: Logger;
  startTimeoutMs?: number;
  /** Where ports come from (tests hand out a taken one to reproduce the race). */
  pickPort?: () => Promise<number>;
  /** When the AOF is flushed to disk: every write (`always`) or once a second (`everysec`, the default). */
  appendfsync?: AppendFsync;
}

export type AppendFsync = 'always' | 'everysec';
export const DEFAULT_APPENDFSYNC: AppendFsync = 'everysec';

/** A private redis-server child on a free loopback port, data under `dataDir` with AOF on (flushed per `appendfsync`). */
export class EmbeddedRedis {
  private child?: ChildProcess;
  private port = 0;
  private exited?: Promise<void>;

  constructor(private readonly options: EmbeddedRedisOptions) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<string> {
    const { dataDir, binary, logger } = this.options;
    if (!binaryExists(binary)) throw new RedisBinaryMissingError(binary);
    fs.mkdirSync(dataDir, { recursive: true });
    const pidFile = path.resolve(dataDir, 'redis.pid');
    killStale(pidFile, logger);
    // Another program may bind the free port before our child does; then we try another one.
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.spawnOn(await (this.options.pickPort ?? freePort)(), pidFile);
      if (outcome === 'ready') break;
      if (attempt >= PORT_ATTEMPTS)
        throw new Error(`embedded redis-server could not get a free port after ${PORT_ATTEMPTS} attempts (${outcome})`);
      logger.warn({ port: this.port, attempt }, 'the free port was taken before the embedded redis-server bound it; trying another');
    }
    fs.writeFileSync(pidFile, String(this.child!.pid));
    logger.info({ port: this.port, dataDir }, 'embedded redis-server started');
    return this.url;
  }

  /** 'ready' once our own child answers on `port`; a string naming the race when the port was taken. */
  private async spawnOn(port: number, pidFile: string): Promise<string> {
    const { dataDir, binary } = this.options;
    this.port = port;
    const args = [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      path.resolve(dataDir),
      '--appendonly',
      'yes',
      '--appendfsync',
      this.options.appendfsync ?? DEFAULT_APPENDFSYNC,
      '--save',
      '',
      '--daemonize',
      'no',
      '--protected-mode',
      'yes',
      '--pidfile',
      pidFile,
      '--logfile',
      '',
    ];
    // A process group of its own: Ctrl-C in a terminal signals Ponte's whole group, and Redis must outlive
    // the relays' last writes; Ponte stops it itself, last (stop() below).
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    this.child = child;
    let output = '';
    const keep = (b: Buffer) => {
      output = (output + b.toString()).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
    // 'close', not 'exit': redis-server's last words (why it quit) may still be in the pipe at 'exit'.
    const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
    const exitedEarly = closed.then(() =>
      lostPortRace(output)
        ? `port ${port} already in use`
        : Promise.reject(new Error(`redis-server exited during start: ${output.trim().split('\n').slice(-3).join(' | ')}`)),
    );
    try {
      const outcome = await Promise.race([this.waitForOwnServer(child), spawnError, exitedEarly]);
      if (outcome !== 'ready') await this.stop();
      return outcome;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private async waitForOwnServer(child: ChildProcess): Promise<string> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 10000);
    // Stop probing once the child is gone: the exit decides what start() does.
    while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
      const pid = await redisProcessId(this.port);
      if (pid === child.pid) return 'ready';
      if (pid !== undefined) return `port ${this.port} answered by another redis-server (pid ${pid})`;
      await new Promise((r) => setTimeout(r, 50));
    }
    if (child.exitCode !== null || child.signalCode !== null) return new Promise<never>(() => undefined); // exitedEarly settles it
    throw new Error(`embedded redis-server did not answer (its own, ready) within ${this.options.startTimeoutMs ?? 10000} ms`);
  }

  /** SIGTERM makes redis-server flush the AOF and exit; it is killed if it does not within 5 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await this.exited;
    clearTimeout(timer);
    this.options.logger.info('embedded redis-server stopped');
  }
}

function binaryExists(binary: string): boolean {
  if (binary.includes('/')) return fs.existsSync(binary);
  return spawnSync('sh', ['-c', `command -v ${JSON.stringify(binary)}`]).status === 0;
}

/** A daemon killed with SIGKILL leaves its redis-server running on the same data dir: stop it first. */
function killStale(pidFile: string, logger: Logger): void {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return;
  }
  if (!pid) return;
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes('redis-server')) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      spawnSync('sleep', ['0.05']);
    }
    logger.warn({ pid }, 'stopped a redis-server left behind by an earlier run on the same data directory');
  } catch {
    // not running any more
  }
}
