import fs from 'node:fs';
import { processTree } from './process-tree';

/**
 * Proportional set size of one process in bytes: its private memory plus its share of pages it
 * shares (Chromium's processes share a lot, so summing RSS would count the same pages many times).
 * Linux 4.14+ has smaps_rollup; older kernels only the per-mapping smaps. Undefined when unreadable.
 */
export function pssBytes(pid: number): number | undefined {
  for (const file of [`/proc/${pid}/smaps_rollup`, `/proc/${pid}/smaps`]) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    let kb = 0;
    let found = false;
    for (const m of text.matchAll(/^Pss:\s+(\d+) kB$/gm)) {
      kb += Number(m[1]);
      found = true;
    }
    if (found) return kb * 1024;
  }
  return undefined;
}

export interface TreeMemory {
  /** Sum of the PSS of every process found. */
  bytes: number;
  /** The processes measured: the roots that are alive and their descendants. */
  pids: number[];
}

/** Memory of a browser: the PSS of its process and everything it started. */
export function processTreeMemory(roots: number[]): TreeMemory {
  const pids = processTree(roots).map((p) => p.pid);
  let bytes = 0;
  for (const pid of pids) bytes += pssBytes(pid) ?? 0;
  return { bytes, pids };
}
