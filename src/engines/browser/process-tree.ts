import fs from 'node:fs';

/**
 * A process as seen at one moment. The start time (clock ticks since boot) tells a live process from
 * a later one that got the same pid, so a stale snapshot never kills a stranger.
 */
export interface ProcessRef {
  pid: number;
  startTicks: number;
}

interface Stat {
  ppid: number;
  state: string;
  startTicks: number;
}

/** Fields of /proc/<pid>/stat after the command name, which may itself hold spaces and parentheses. */
function readStat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // After the name: state(3) ppid(4) ... starttime(22), numbered as in proc(5).
  return { state: fields[0], ppid: Number(fields[1]), startTicks: Number(fields[19]) };
}

function alive(stat: Stat | undefined): stat is Stat {
  return !!stat && stat.state !== 'Z' && stat.state !== 'X';
}

/** `roots` that are alive and all their descendants (Linux /proc); [] elsewhere or when none runs. */
export function processTree(roots: number[]): ProcessRef[] {
  const wanted = roots.filter((p) => Number.isInteger(p) && p > 0);
  if (!wanted.length) return [];
  const children = new Map<number, number[]>();
  const stats = new Map<number, Stat>();
  let names: string[];
  try {
    names = fs.readdirSync('/proc');
  } catch {
    return [];
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const stat = readStat(pid);
    if (!alive(stat)) continue;
    stats.set(pid, stat);
    const list = children.get(stat.ppid) ?? [];
    list.push(pid);
    children.set(stat.ppid, list);
  }
  const out: ProcessRef[] = [];
  const seen = new Set<number>();
  const queue = wanted.filter((p) => stats.has(p));
  while (queue.length) {
    const pid = queue.shift()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    out.push({ pid, startTicks: stats.get(pid)!.startTicks });
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** True while the process of the snapshot still runs (not a zombie, not a reused pid). */
export function stillRunning(ref: ProcessRef): boolean {
  const stat = readStat(ref.pid);
  return alive(stat) && stat.startTicks === ref.startTicks;
}

/**
 * Signals every process of a snapshot that still runs. Take the snapshot before anything dies: an
 * orphaned Chromium child is re-parented and no longer found from the browser's pid.
 * Returns the pids signalled.
 */
export function signalProcesses(refs: ProcessRef[], signal: NodeJS.Signals = 'SIGKILL'): number[] {
  const hit: number[] = [];
  for (const ref of refs) {
    if (!stillRunning(ref)) continue;
    try {
      process.kill(ref.pid, signal);
      hit.push(ref.pid);
    } catch {
      // gone meanwhile, or not ours
    }
  }
  return hit;
}

/**
 * Kills a browser with everything it started and waits (up to `timeoutMs`) until none of it runs.
 * For a failed start, a hung browser that ignores close(), or leftovers after a close. Resolves with
 * the processes still running at the deadline ([] when all are gone).
 */
export async function killProcessTree(roots: number[], timeoutMs = 5000): Promise<ProcessRef[]> {
  return killProcesses(processTree(roots), timeoutMs);
}

/**
 * SIGKILLs the processes of a snapshot that still run and waits (up to `timeoutMs`) until they are
 * gone: a new browser on the same profile refuses to start while the old one holds its lock.
 * Resolves with those still running at the deadline.
 */
export async function killProcesses(refs: ProcessRef[], timeoutMs = 5000): Promise<ProcessRef[]> {
  signalProcesses(refs, 'SIGKILL');
  const deadline = Date.now() + timeoutMs;
  let left = refs.filter(stillRunning);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    left = left.filter(stillRunning);
  }
  return left;
}
