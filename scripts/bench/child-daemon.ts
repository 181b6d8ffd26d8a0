/**
 * Runs daemon-child.ts as a process of its own and talks to it over IPC; reads its memory from
 * /proc/<pid>/status (VmRSS now, VmHWM the peak since the last reset).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';

export interface ChildDaemon {
  pid: number;
  port: number;
  call<T extends Record<string, unknown>>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  /** Resident and peak resident memory in bytes. */
  memory(): { rss: number; peak: number };
  /** Starts the peak over from the current RSS (Linux clear_refs 5); false where the kernel refuses. */
  resetPeak(): boolean;
  stop(): Promise<void>;
}

export async function startChildDaemon(config: Record<string, unknown>): Promise<ChildDaemon> {
  const child: ChildProcess = fork(path.join(__dirname, 'daemon-child.js'), [], {
    env: { ...process.env, PONTE_BENCH_CONFIG: JSON.stringify(config) },
    execArgv: ['--expose-gc', ...(process.env.BENCH_CHILD_ARGS ? process.env.BENCH_CHILD_ARGS.split(' ') : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let seq = 0;
  child.on('message', (raw) => {
    const msg = raw as { id: number; ok: boolean; error?: string };
    const w = waiting.get(msg.id);
    if (!w) return;
    waiting.delete(msg.id);
    if (msg.ok) w.resolve(msg);
    else w.reject(new Error(msg.error));
  });
  child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`bench daemon exited with ${code}`));
    waiting.clear();
  });
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => waiting.set(0, { resolve, reject }));
  const pid = child.pid!;
  const status = (field: string): number => {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  };
  const call = <T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> => {
    const id = ++seq;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (v: Record<string, unknown>) => void, reject });
      child.send({ id, cmd, ...args });
    });
  };
  return {
    pid,
    port: Number(ready.port),
    call,
    memory: () => ({ rss: status('VmRSS'), peak: status('VmHWM') }),
    resetPeak() {
      try {
        fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
        return true;
      } catch {
        return false;
      }
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call('stop').catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
