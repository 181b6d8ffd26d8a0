/**
 * deploy/systemd/ponte.service, for a machine without Docker: systemd itself accepts it, and it runs what
 * Ponte expects (its CLI, the configuration and data root it names, a stop that outlasts the daemon's own
 * shutdown).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { configSchema } from '../../../src/config/schema';
import { loadConfig } from '../../../src/config/load';
import { removeTempDirs, tempDir, writeFile } from '../../helpers';

const ROOT = path.resolve(__dirname, '../../..');
const UNIT = path.join(ROOT, 'deploy/systemd/ponte.service');
afterAll(removeTempDirs);

/** `Key=value` lines of the unit, by section; repeated keys keep every value. */
function unit(text = fs.readFileSync(UNIT, 'utf8')): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^\[(\w+)\]$/.exec(line.trim());
    if (head) section = head[1];
    const kv = /^(\w+)=(.*)$/.exec(line.trim());
    if (kv && section) ((out[section] ??= {})[kv[1]] ??= []).push(kv[2]);
  }
  return out;
}

function verify(file: string): string {
  const res = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  return `${res.stdout}${res.stderr}`.trim();
}

test('systemd accepts it without a single complaint, and would complain about a misspelt key', () => {
  expect(verify(UNIT)).toBe('');
  const broken = writeFile(
    tempDir('ponte-unit-'),
    'ponte.service',
    fs.readFileSync(UNIT, 'utf8').replace('Restart=on-failure', 'Restat=on-failure'),
  );
  expect(verify(broken)).toContain("Unknown key 'Restat'");
});

test("runs Ponte's CLI as an unprivileged user, restarts it on failure, and gives it more time to stop than it takes", () => {
  const s = unit().Service;
  const bin = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: { ponte: string } }).bin.ponte;
  expect(s.ExecStart[0]).toBe(`/usr/bin/node /opt/ponte/${bin} start`);
  expect(s.WorkingDirectory[0]).toBe('/opt/ponte');
  expect(s.User[0]).not.toBe('root');
  expect(s.Restart[0]).toBe('on-failure');
  expect(s.KillMode[0]).toBe('mixed');
  const defaults = configSchema.parse({ http: { adminToken: 'f3a9c1e07b2d4e6f8a1c3e5b7d9f0a2c' }, sessions: [] });
  expect(Number(s.TimeoutStopSec[0]) * 1000).toBeGreaterThan(defaults.shutdownTimeoutMs + 5000);
});

test('the configuration it names and the data root it creates are the ones Ponte uses', () => {
  const s = unit().Service;
  const env = Object.fromEntries(s.Environment.map((e) => e.split('=', 2) as [string, string]));
  expect(env.PONTE_CONFIG).toBe('/etc/ponte/ponte.yaml');
  // StateDirectory=ponte is /var/lib/ponte, owned by the service's user: the data root.
  expect(path.join('/var/lib', s.StateDirectory[0])).toBe(env.PONTE_DATADIR);
  const file = writeFile(tempDir('ponte-unit-'), 'ponte.yaml', 'http:\n  adminToken: f3a9c1e07b2d4e6f8a1c3e5b7d9f0a2c\nsessions: []\n');
  const config = loadConfig({ path: file, env: { PONTE_DATADIR: env.PONTE_DATADIR } });
  expect([config.dataDir, config.redis.dataDir, config.sessionStore.dir, config.media.dir]).toEqual([
    '/var/lib/ponte',
    '/var/lib/ponte/redis',
    '/var/lib/ponte/sessions',
    '/var/lib/ponte/media',
  ]);
  // With the system read-only, only the data root is written.
  expect(s.ProtectSystem[0]).toBe('strict');
  expect(s.ReadWritePaths ?? []).toEqual([]);
});

test("hardened, but not in the two ways that would break Node's JIT or Chromium's sandbox", () => {
  const s = unit().Service;
  for (const key of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'RestrictSUIDSGID', 'ProtectKernelTunables'])
    expect({ key, value: s[key]?.[0] }).toEqual({ key, value: 'yes' });
  expect(s.CapabilityBoundingSet).toEqual(['']);
  expect(s.MemoryDenyWriteExecute).toBeUndefined();
  expect(s.RestrictNamespaces).toBeUndefined();
});
