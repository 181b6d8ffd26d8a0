import { spawn, type ChildProcess } from 'node:child_process';
import { processTreeMemory } from '../../../src/engines/browser/memory';
import { processTree } from '../../../src/engines/browser/process-tree';
import { exitOf, track, waitFor } from '../../helpers';

export const MIB = 1024 * 1024;

export interface FakeBrowser {
  /** The root process (a shell standing in for Chromium's main process). */
  pid: number;
  proc: ChildProcess;
  /** Every pid of the tree right now. */
  pids(): number[];
  /** SIGKILLs whatever is left of the tree and waits for the root. */
  kill(): Promise<void>;
}

/**
 * A small real process tree standing in for a browser: a shell with two children, a `sleep` and a
 * node process holding `mib` MiB it has written to (so they are resident and count in its PSS).
 * Resolves once all three run and the memory is allocated.
 */
export async function spawnFakeBrowser(mib = 64): Promise<FakeBrowser> {
  const hog = `const b = Buffer.alloc(${mib} * 1024 * 1024, 1); setInterval(() => { b[0]++; }, 1000);`;
  const proc = track(spawn('sh', ['-c', `sleep 300 & ${JSON.stringify(process.execPath)} -e '${hog}' & wait`], { stdio: 'ignore' }));
  const pid = proc.pid!;
  await waitFor(
    () => processTree([pid]).length === 3 && processTreeMemory([pid]).bytes > mib * MIB,
    10000,
    25,
    'the fake browser tree with its memory',
  );
  return {
    pid,
    proc,
    pids: () => processTree([pid]).map((p) => p.pid),
    async kill() {
      const refs = processTree([pid]);
      for (const r of refs) {
        try {
          process.kill(r.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exitOf(proc);
    },
  };
}
