import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** Every child a helper spawned, so a test can assert none survives and a crash cannot leak one. */
const children = new Set<ChildProcess>();
let hooked = false;

export function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!hooked) {
    hooked = true;
    // Last resort outside jest (jest does not run 'exit' hooks): tests must stop what they start and
    // can assert it with liveChildren().
    process.once('exit', () => {
      for (const c of children) if (c.pid) safeKill(c.pid, 'SIGKILL');
    });
  }
  return child;
}

/** Children spawned by helpers that have not exited yet. */
export function liveChildren(): ChildProcess[] {
  return [...children].filter((c) => c.exitCode === null && c.signalCode === null);
}

export function safeKill(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/** True while `pid` is a running process (a zombie waiting to be reaped counts as gone). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "<pid> (<comm>) <state> ...": the state follows the last ')'.
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    if (fs.existsSync('/proc/self/stat')) return false;
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

/**
 * Pids of redis-server processes working in `dir` (redis chdirs into its --dir, and rewrites its
 * command line, so the working directory is what identifies it). Linux only.
 */
export function redisServersIn(dir: string): number[] {
  const want = fs.realpathSync(dir);
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const comm = fs.readFileSync(`/proc/${name}/comm`, 'utf8').trim();
      if (!comm.startsWith('redis-server')) continue;
      if (fs.readlinkSync(`/proc/${name}/cwd`) === want && isAlive(Number(name))) found.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

export { freePort } from '../../src/store/free-port';

/** Resolves with the exit code and signal of `child` (immediately when it already exited). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Resolves once the child's stdout and stderr are drained and closed ('exit' can come before the last output). */
export async function drained(child: ChildProcess, timeoutMs = 5000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const closed = Promise.all(
    [child.stdout, child.stderr].map((s) =>
      !s || s.destroyed || s.readableEnded ? Promise.resolve() : new Promise<void>((r) => s.once('close', () => r())),
    ),
  );
  // A grandchild holding the pipe open must not hang the test.
  await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)))]);
  clearTimeout(timer);
}
