import fs from 'node:fs';

/**
 * Chromium leftovers. A failed whatsapp-web.js start leaves its browser running (nobody holds a client
 * to close it), and a crashed daemon leaves an orphan that keeps the profile locked, so the next launch
 * fails. Both are found by pid or by the session's own --user-data-dir, never by process name. Linux
 * only (/proc); elsewhere these are no-ops and Chromium's own exit hook is all there is.
 */

const hasProc = (): boolean => fs.existsSync('/proc/self/stat');

/** "<pid> (<comm>) <state> <ppid> <pgrp> ...": comm may hold spaces and parentheses, so split after the last ')'. */
function statOf(pid: number): { state: string; ppid: number; pgrp: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: rest[0], ppid: Number(rest[1]), pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

/** A zombie waiting to be reaped counts as gone. */
export function isAlive(pid: number): boolean {
  if (hasProc()) {
    const s = statOf(pid);
    return Boolean(s && s.state !== 'Z' && s.state !== 'X');
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function allPids(): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number);
  } catch {
    return [];
  }
}

/** Every process below `root` (children, grandchildren, ...). */
export function descendantsOf(root: number): number[] {
  if (!hasProc()) return [];
  const children = new Map<number, number[]>();
  for (const pid of allPids()) {
    const s = statOf(pid);
    if (!s) continue;
    const list = children.get(s.ppid) ?? [];
    list.push(pid);
    children.set(s.ppid, list);
  }
  const out: number[] = [];
  const queue = [...(children.get(root) ?? [])];
  while (queue.length) {
    const pid = queue.shift()!;
    out.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Live processes started with exactly `--user-data-dir=<dir>`: the Chromium of this one session. */
export function processesUsingProfile(dir: string): number[] {
  if (!hasProc()) return [];
  const flag = `--user-data-dir=${dir}`;
  const found: number[] = [];
  for (const pid of allPids()) {
    if (pid === process.pid) continue;
    try {
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes(flag) && isAlive(pid)) found.push(pid);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * SIGKILLs `pid`, its process group when it leads one (puppeteer starts Chromium detached) and every
 * descendant found before the kill. Returns the pids it signalled.
 */
export function killTree(pid: number): number[] {
  if (!(pid > 1) || pid === process.pid || !isAlive(pid)) return [];
  const targets = [pid, ...descendantsOf(pid)];
  if (statOf(pid)?.pgrp === pid) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // group already gone
    }
  }
  for (const p of targets) kill(p);
  return targets;
}

/** Kills what still runs on `dir`'s profile, then waits (bounded) until it is gone. */
export async function killProfileProcesses(dir: string, waitMs = 3000): Promise<number[]> {
  const found = processesUsingProfile(dir);
  for (const pid of found) killTree(pid);
  const deadline = Date.now() + waitMs;
  while (found.some(isAlive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  return found;
}
