/**
 * Chromium's sandbox decision for a user other than root, with Debian's real Chromium: where user
 * namespaces work the sandbox stays on and Chromium starts; where they do not (a container under
 * Docker's default seccomp profile, which forbids creating them) the sandbox cannot work at all, and the
 * arguments Ponte chooses there still start Chromium. The container's case is made here with nested user
 * namespaces: an outer one caps user namespaces at one, the inner one runs as uid 1000 and can create
 * none, as a non-root user in such a container.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { browserSchema } from '../../../src/config/schema';
import { chromiumArgs } from '../../../src/engines/browser/chromium';
import { sandboxDecision } from '../../../src/engines/browser/sandbox';
import { removeTempDirs, tempDir } from '../../helpers';

const ROOT = path.resolve(__dirname, '../../..');
const config = browserSchema.parse({});
const canNest = spawnSync('unshare', ['--user', '--map-root-user', 'true']).status === 0 && fs.existsSync(config.executablePath);
const asRootHere = process.getuid?.() === 0;
// Needs Chromium, util-linux's unshare and user namespaces on the machine itself (as on CI and here).
const withNamespaces = canNest ? test : test.skip;

afterAll(removeTempDirs);

/** A shell command run as uid 1000 where no user namespace can be created; its stdout. */
function inContainerLikeUser(command: string): string {
  const inner = `unshare --user --map-user=1000 --map-group=1000 sh -c ${JSON.stringify(command)}`;
  return execFileSync('unshare', ['--user', '--map-root-user', 'sh', '-c', `echo 1 > /proc/sys/user/max_user_namespaces && ${inner}`], {
    encoding: 'utf8',
    timeout: 60_000,
  });
}

/** The page Chromium renders with `args`, or '' when it would not start. */
function renderCommand(args: string[], home: string): string {
  const quoted = [
    ...args,
    '--headless=new',
    `--user-data-dir=${home}/profile-${Math.random().toString(36).slice(2)}`,
    '--dump-dom',
    'data:text/html,<p>sandbox-ok</p>',
  ]
    .map((a) => `'${a}'`)
    .join(' ');
  return `HOME=${home} ${config.executablePath} ${quoted} 2>/dev/null || true`;
}

function worldWritableDir(): string {
  const dir = tempDir('ponte-sandbox-');
  fs.chmodSync(dir, 0o777);
  return dir;
}

test('the decision: root and missing user namespaces turn it off with the reason; otherwise it stays on', () => {
  expect(sandboxDecision('auto', true, () => true)).toMatchObject({ sandbox: false, reason: expect.stringContaining('running as root') });
  expect(sandboxDecision('auto', false, () => false)).toMatchObject({
    sandbox: false,
    reason: expect.stringContaining('user namespaces are not available'),
  });
  expect(sandboxDecision('auto', false, () => true)).toEqual({ sandbox: true, reason: 'user namespaces are available' });
  expect(sandboxDecision('off', false, () => true).sandbox).toBe(false);
  expect(sandboxDecision('on', true, () => false).sandbox).toBe(true);
  expect(chromiumArgs(config, { sandbox: false, reason: '' })).toEqual(expect.arrayContaining(['--no-sandbox']));
  expect(chromiumArgs(config, { sandbox: true, reason: '' })).not.toContain('--no-sandbox');
});

withNamespaces(
  'a non-root user without user namespaces: the sandbox cannot start, and Ponte decides and starts Chromium without it',
  () => {
    const home = worldWritableDir();
    // Ponte's own decision, made inside that environment by the built code (npm test builds first).
    const probe = `node -e "const {chromiumArgs}=require('${ROOT}/dist/src/engines/browser/chromium.js');const {browserSchema}=require('${ROOT}/dist/src/config/schema.js');console.log(JSON.stringify(chromiumArgs(browserSchema.parse({}))))"`;
    const args = JSON.parse(inContainerLikeUser(probe).trim()) as string[];
    expect(args).toContain('--no-sandbox');
    const sandboxed = args.filter((a) => a !== '--no-sandbox' && a !== '--disable-setuid-sandbox');
    expect(inContainerLikeUser(renderCommand(sandboxed, home))).not.toContain('sandbox-ok');
    expect(inContainerLikeUser(renderCommand(args, home))).toContain('sandbox-ok');
  },
  90_000,
);

(canNest && asRootHere ? test : test.skip)(
  'a non-root user with user namespaces keeps the sandbox, and Chromium starts with it',
  () => {
    const home = worldWritableDir();
    const probe = `node -e "const {sandboxDecision}=require('${ROOT}/dist/src/engines/browser/sandbox.js');console.log(JSON.stringify(sandboxDecision('auto')))"`;
    const asNobody = (command: string) =>
      execFileSync('runuser', ['-u', 'nobody', '--', 'sh', '-c', command], { encoding: 'utf8', timeout: 60_000 });
    expect(JSON.parse(asNobody(probe).trim())).toEqual({ sandbox: true, reason: 'user namespaces are available' });
    expect(asNobody(renderCommand(chromiumArgs(config, { sandbox: true, reason: '' }), home))).toContain('sandbox-ok');
  },
  90_000,
);
