/**
 * The one trap only a real browser shows: a failed whatsapp-web.js start leaves Chromium (11-12
 * processes) running. These tests launch the real Debian Chromium through the production code path
 * (no injected client) with every host name resolving to nothing or to a silent loopback port, so
 * nothing ever reaches WhatsApp, and check no process is left on the session's profile.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { browserSchema, sessionSchema } from '../../../../src/config/schema';
import { WwebjsEngine } from '../../../../src/engines/wwebjs/wwebjs-engine';
import { createLogger } from '../../../../src/observability/logger';
import { EventLog } from '../../../conformance/engine-conformance';
import { isAlive, safeKill } from '../../../helpers/processes';
import { removeTempDir, tempDir } from '../../../helpers/temp';

/** Independent of the adapter's own helper: every live process whose command line names `dir`. */
function processesOn(dir: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').includes(dir) && isAlive(Number(name))) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function untilNone(dir: string, ms = 5000): Promise<number[]> {
  const deadline = Date.now() + ms;
  let left = processesOn(dir);
  while (left.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = processesOn(dir);
  }
  return left;
}

let dataDir: string;
let engine: WwebjsEngine;
const extra: number[] = [];

function start(extraArgs: string[]): { engine: WwebjsEngine; log: EventLog; profile: string; sawChromium: () => boolean } {
  dataDir = tempDir('ponte-wwebjs-chromium-');
  const session = sessionSchema.parse({ id: 'nonet', engine: 'wwebjs' });
  engine = new WwebjsEngine(session, {
    browser: browserSchema.parse({ extraArgs, launchTimeoutMs: 15_000 }),
    dataDir,
    pairingTimeoutMs: 60_000,
    logger: createLogger({ level: 'silent', pretty: false }),
  });
  const profile = path.join(dataDir, 'session-nonet');
  let seen = false;
  const watch = setInterval(() => {
    if (processesOn(profile).length) seen = true;
  }, 20);
  engine.onEvent((e) => {
    if (e.type === 'state' && e.change.state !== 'CONNECTING') clearInterval(watch);
  });
  return { engine, log: new EventLog(engine, 20_000), profile, sawChromium: () => seen };
}

afterEach(async () => {
  await engine?.disconnect();
  for (const pid of extra.splice(0)) safeKill(pid, 'SIGKILL');
  if (dataDir) {
    const left = await untilNone(dataDir, 3000);
    for (const pid of left) safeKill(pid, 'SIGKILL');
    removeTempDir(dataDir);
  }
});

test('a start that fails (no DNS: net::ERR_NAME_NOT_RESOLVED) leaves no Chromium on the session profile', async () => {
  const { engine, log, profile, sawChromium } = start(['--host-resolver-rules=MAP * ~NOTFOUND']);
  await engine.connect();
  const failed = await log.until(
    () => log.events.find((e) => e.type === 'state' && e.change.state === 'TRANSIENT_DISCONNECT'),
    'TRANSIENT_DISCONNECT',
  );
  expect(failed).toMatchObject({ change: { reason: expect.stringMatching(/net::ERR_NAME_NOT_RESOLVED.*no network or DNS/) } });
  expect(sawChromium()).toBe(true);
  expect(await untilNone(profile, 5000)).toEqual([]);
  expect(fs.existsSync(profile)).toBe(true); // the login data stays
});

test('disconnect during a start that hangs (a silent loopback server) leaves no Chromium', async () => {
  const silent = net.createServer(() => undefined);
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const port = (silent.address() as net.AddressInfo).port;
  try {
    const { engine, profile } = start([`--host-resolver-rules=MAP * 127.0.0.1:${port}`]);
    await engine.connect();
    const deadline = Date.now() + 10_000;
    while (!processesOn(profile).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(processesOn(profile).length).toBeGreaterThan(0);
    expect(engine.state()).toBe('CONNECTING');
    await engine.disconnect();
    expect(await untilNone(profile, 5000)).toEqual([]);
    expect(engine.state()).toBe('TRANSIENT_DISCONNECT');
  } finally {
    silent.close();
  }
});

test('a profile locked by a Chromium of another host (a re-created container) is unlocked and the browser starts', async () => {
  const { engine, log, profile, sawChromium } = start(['--host-resolver-rules=MAP * ~NOTFOUND']);
  fs.mkdirSync(profile, { recursive: true });
  fs.symlinkSync('old-container-1f2e3d-4242', path.join(profile, 'SingletonLock'));
  await engine.connect();
  const failed = await log.until(
    () => log.events.find((e) => e.type === 'state' && e.change.state === 'TRANSIENT_DISCONNECT'),
    'TRANSIENT_DISCONNECT',
  );
  // It got as far as loading WhatsApp Web (no DNS here), not stopped at a profile "in use on another computer".
  expect(failed).toMatchObject({ change: { reason: expect.stringMatching(/ERR_NAME_NOT_RESOLVED/) } });
  expect(sawChromium()).toBe(true);
});

test('a Chromium left on the profile by a crashed daemon is killed before the next start', async () => {
  const { engine, log, profile } = start(['--host-resolver-rules=MAP * ~NOTFOUND']);
  fs.mkdirSync(profile, { recursive: true });
  const orphan = spawn(
    browserSchema.parse({}).executablePath,
    ['--headless=new', '--no-sandbox', '--disable-gpu', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: 'ignore', detached: true },
  );
  extra.push(orphan.pid!);
  const deadline = Date.now() + 10_000;
  // SingletonLock is a symlink to "<host>-<pid>": lstat, since exists() follows it into nothing.
  const locked = () => fs.lstatSync(path.join(profile, 'SingletonLock'), { throwIfNoEntry: false }) !== undefined;
  while (!locked() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  expect(locked()).toBe(true);
  expect(isAlive(orphan.pid!)).toBe(true);
  await engine.connect();
  const failed = await log.until(
    () => log.events.find((e) => e.type === 'state' && e.change.state === 'TRANSIENT_DISCONNECT'),
    'TRANSIENT_DISCONNECT',
  );
  // the launch itself went ahead (it failed on DNS, not on a locked profile)
  expect(failed).toMatchObject({ change: { reason: expect.stringMatching(/ERR_NAME_NOT_RESOLVED/) } });
  expect(isAlive(orphan.pid!)).toBe(false);
  expect(await untilNone(profile, 5000)).toEqual([]);
});
