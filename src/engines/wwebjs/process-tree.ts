import fs from 'node:fs';
import { killProcessTree, processTree } from '../browser/process-tree';

/**
 * Chromium leftovers of whatsapp-web.js. A failed start leaves its browser running (nobody holds a
 * client to close it), and a crashed daemon leaves an orphan that keeps the profile locked, so the next
 * launch fails. Both are found by pid or by the session's own --user-data-dir, never by process name.
 * Linux only (/proc); elsewhere these are no-ops and Chromium's own exit hook is all there is.
 */

export const isRunning = (pid: number): boolean => processTree([pid]).length > 0;

/** Live processes started with exactly `--user-data-dir=<dir>`: the Chromium of this one session. */
export function processesUsingProfile(dir: string): number[] {
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  const flag = `--user-data-dir=${dir}`;
  const found: number[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').includes(flag)) found.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found.filter(isRunning);
}

/** Kills what still runs on `dir`'s profile (with its children), waiting until it is gone. */
export async function killProfileProcesses(dir: string, waitMs = 3000): Promise<number[]> {
  const found = processesUsingProfile(dir);
  if (found.length) await killProcessTree(found, waitMs);
  return found;
}

/** Kills a browser and everything it started, waiting until it is gone. */
export async function killBrowser(pid: number, waitMs = 3000): Promise<void> {
  await killProcessTree([pid], waitMs);
}
