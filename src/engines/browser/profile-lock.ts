import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Chromium marks a profile in use with `SingletonLock`, a symlink to `<hostname>-<pid>`, next to
 * `SingletonSocket` and `SingletonCookie`. A browser that died without cleaning up (a crash, a container
 * killed and re-created under another hostname) leaves them behind, and every later start on that
 * profile refuses: "The profile appears to be in use by another Chromium process (...) on another
 * computer" (chrome/browser/process_singleton_posix.cc), which headless Chromium turns into an exit.
 */
const SINGLETON_FILES = ['SingletonLock', 'SingletonSocket', 'SingletonCookie'];

export interface StaleLock {
  host: string;
  pid: number;
}

/** The lock's owner as Chromium wrote it, or undefined when the profile is not locked. */
export function readProfileLock(userDataDir: string): StaleLock | undefined {
  let target: string;
  try {
    target = fs.readlinkSync(path.join(userDataDir, 'SingletonLock'));
  } catch {
    return undefined;
  }
  const dash = target.lastIndexOf('-');
  return { host: target.slice(0, dash), pid: Number(target.slice(dash + 1)) };
}

/**
 * Removes a lock no live process of this machine holds. `holders` lists the processes running on the
 * profile (the callers find them by `--user-data-dir`, and have killed their own leftovers first): while
 * one runs the lock is real and stays. Returns the lock that was removed.
 */
export function clearStaleProfileLock(userDataDir: string, holders: readonly number[]): StaleLock | undefined {
  const lock = readProfileLock(userDataDir);
  if (!lock || holders.length) return undefined;
  // Same host: Chromium itself takes over a lock whose pid is not a Chromium (pids restart low in a new
  // container); one that is a Chromium we cannot see in /proc (another user's) keeps it.
  if (lock.host === os.hostname() && isChromium(lock.pid)) return undefined;
  for (const name of SINGLETON_FILES) fs.rmSync(path.join(userDataDir, name), { force: true });
  return lock;
}

function isChromium(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    return /chrom/i.test(fs.readFileSync(`/proc/${pid}/comm`, 'utf8'));
  } catch (err) {
    // Gone, or not ours to read: only a process we may not read can still be someone's browser.
    return (err as NodeJS.ErrnoException).code === 'EACCES';
  }
}
