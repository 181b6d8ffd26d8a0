/**
 * A profile locked by a Chromium that died on another host (a re-created container) blocks every later
 * start until the lock goes: shown with Debian's real Chromium, and the lock cleared only when nothing
 * of ours can still hold it.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserSchema } from '../../../src/config/schema';
import { chromiumArgs } from '../../../src/engines/browser/chromium';
import { clearStaleProfileLock, readProfileLock } from '../../../src/engines/browser/profile-lock';
import { exitOf, removeTempDirs, tempDir, track } from '../../helpers';

const config = browserSchema.parse({});
const haveChromium = fs.existsSync(config.executablePath) ? test : test.skip;

afterAll(removeTempDirs);

function lockAs(dir: string, owner: string): void {
  fs.symlinkSync(owner, path.join(dir, 'SingletonLock'));
  fs.symlinkSync(path.join(os.tmpdir(), 'gone-socket'), path.join(dir, 'SingletonSocket'));
  fs.symlinkSync('1234567890', path.join(dir, 'SingletonCookie'));
}

/** What a headless Chromium prints of a tiny page on this profile ('' when it refused to start). */
function renderWith(profile: string): Promise<string> {
  const args = [
    ...chromiumArgs(config),
    '--headless=new',
    `--user-data-dir=${profile}`,
    '--dump-dom',
    'data:text/html,<p>ponte-profile-ok</p>',
  ];
  return new Promise((resolve) => {
    execFile(config.executablePath, args, { timeout: 30_000 }, (_err, stdout) => resolve(String(stdout)));
  });
}

haveChromium(
  'a lock left by a Chromium of another host blocks the profile; once cleared, Chromium starts on it',
  async () => {
    const profile = tempDir('ponte-lock-');
    lockAs(profile, 'old-container-7f3a-4242');
    expect(await renderWith(profile)).not.toContain('ponte-profile-ok');

    expect(clearStaleProfileLock(profile, [])).toEqual({ host: 'old-container-7f3a', pid: 4242 });
    expect(fs.readdirSync(profile).filter((f) => f.startsWith('Singleton'))).toEqual([]);
    expect(await renderWith(profile)).toContain('ponte-profile-ok');
  },
  60_000,
);

test('a lock stays while a process of ours runs on the profile', () => {
  const profile = tempDir('ponte-lock-');
  lockAs(profile, 'old-container-4242');
  expect(clearStaleProfileLock(profile, [process.pid])).toBeUndefined();
  expect(readProfileLock(profile)).toEqual({ host: 'old-container', pid: 4242 });
});

test('a lock of this host whose pid is no Chromium (pids restart in a new container) is removed', () => {
  const profile = tempDir('ponte-lock-');
  lockAs(profile, `${os.hostname()}-${process.pid}`);
  expect(clearStaleProfileLock(profile, [])).toEqual({ host: os.hostname(), pid: process.pid });
  expect(readProfileLock(profile)).toBeUndefined();
});

test('a lock of this host held by a live Chromium stays', async () => {
  const bin = path.join(tempDir('ponte-lock-bin-'), 'chromium');
  fs.copyFileSync('/bin/sleep', bin);
  fs.chmodSync(bin, 0o755);
  const proc = track(spawn(bin, ['30'], { stdio: 'ignore' }));
  try {
    const profile = tempDir('ponte-lock-');
    lockAs(profile, `${os.hostname()}-${proc.pid}`);
    expect(clearStaleProfileLock(profile, [])).toBeUndefined();
    expect(readProfileLock(profile)?.pid).toBe(proc.pid);
  } finally {
    proc.kill('SIGKILL');
    await exitOf(proc);
  }
});

test('a profile without a lock is left alone', () => {
  const profile = tempDir('ponte-lock-');
  expect(clearStaleProfileLock(profile, [])).toBeUndefined();
});
