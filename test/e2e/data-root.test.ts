/**
 * The image runs Ponte as a non-root user from a working directory it cannot write (/app, root's), with
 * its data on the compose volume at /data. The same here: the compose configuration's data root mapped
 * into a temporary folder the unprivileged user owns, the daemon started by that user from a root-owned
 * directory. `doctor` passes, and the embedded Redis, the session's login and nothing else land in the
 * data root.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { exitOf, freePort, removeTempDirs, tempDir, track } from '../helpers';
import { request } from '../helpers/http';
import { waitFor } from '../helpers/wait';

const ROOT = path.resolve(__dirname, '../..');
const CLI = path.join(ROOT, 'dist/src/cli/index.js');
const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;
const canSwitchUser =
  asRoot && spawnSync('setpriv', [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', 'test', '-r', CLI]).status === 0;

afterAll(removeTempDirs);

/** Every file and folder under `dir`, relative. */
function tree(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: false }).map(String).sort();
}

(canSwitchUser ? test : test.skip)(
  'an unprivileged user in a root-owned working directory keeps everything under the data root',
  async () => {
    const compose = YAML.parse(fs.readFileSync(path.join(ROOT, 'config/ponte.compose.yaml'), 'utf8')) as { dataDir: string };
    const services = YAML.parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
      services: { ponte: { volumes: string[] } };
    };
    expect(services.services.ponte.volumes).toContain(`ponte_data:${compose.dataDir}`);
    expect(fs.readFileSync(path.join(ROOT, 'docker/Dockerfile'), 'utf8')).toMatch(new RegExp(`chown ponte:ponte ${compose.dataDir}\\b`));

    const machine = tempDir('ponte-data-root-');
    fs.chmodSync(machine, 0o755);
    const workdir = path.join(machine, 'app'); // like /app in the image: root's, read-only for the user
    fs.mkdirSync(workdir, { mode: 0o755 });
    const dataRoot = path.join(machine, compose.dataDir); // the volume, the user's
    fs.mkdirSync(dataRoot);
    fs.chownSync(dataRoot, NOBODY, NOBODY);
    const port = await freePort();
    const config = path.join(machine, 'ponte.yaml');
    fs.writeFileSync(
      config,
      YAML.stringify({
        dataDir: dataRoot,
        http: { port, host: '127.0.0.1', adminToken: 'data-root-admin-token-0123456789' },
        redis: { url: 'embedded' },
        log: { level: 'info' },
        sessions: [{ id: 'main', engine: 'simulator', simulator: { requireQr: true, pairAfterMs: 200, qrRotateMs: 60000 } }],
        shutdownTimeoutMs: 3000,
      }),
      { mode: 0o644 },
    );
    // setpriv execs the daemon itself as that user, so signals reach it and its exit code is its own.
    const asNobody = (args: string[]) => ({
      cmd: 'setpriv',
      args: [`--reuid=${NOBODY}`, `--regid=${NOBODY}`, '--clear-groups', process.execPath, CLI, ...args],
    });

    const doctor = asNobody(['doctor', '--config', config]);
    const report = spawnSync(doctor.cmd, doctor.args, { cwd: workdir, encoding: 'utf8', env: { ...process.env, HOME: dataRoot } });
    expect(report.stdout).toContain('all checks passed');
    expect(report.status).toBe(0);

    const start = asNobody(['start', '--config', config]);
    const daemon = track(
      spawn(start.cmd, start.args, { cwd: workdir, env: { ...process.env, HOME: dataRoot }, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
    let logs = '';
    daemon.stdout!.on('data', (d: Buffer) => (logs += d.toString()));
    daemon.stderr!.on('data', (d: Buffer) => (logs += d.toString()));
    try {
      await waitFor(
        async () => (await request('GET', `http://127.0.0.1:${port}/readyz`).catch(() => ({ status: 0 }))).status === 200,
        20000,
        100,
        `ready (logs: ${logs.slice(-500)})`,
      );
      const admin = { token: 'data-root-admin-token-0123456789' };
      await waitFor(
        async () => (await request('GET', `http://127.0.0.1:${port}/admin/sessions/main`, admin)).body.state === 'CONNECTED',
        10000,
        50,
        'the simulated phone paired',
      );
    } finally {
      daemon.kill('SIGTERM');
      await exitOf(daemon);
    }
    expect(daemon.exitCode).toBe(0);
    expect(fs.readdirSync(workdir)).toEqual([]);
    const kept = tree(dataRoot);
    expect(kept).toEqual(expect.arrayContaining(['redis', 'sessions', path.join('sessions', 'main')]));
    expect(kept.some((f) => f.startsWith(path.join('sessions', 'main') + path.sep))).toBe(true); // the simulated login
    expect(kept.some((f) => f.startsWith('redis' + path.sep) && /appendonly/.test(f))).toBe(true);
    for (const f of kept) expect({ f, uid: fs.statSync(path.join(dataRoot, f)).uid }).toEqual({ f, uid: NOBODY });
    expect(execFileSync('find', [machine, '-newer', config, '-not', '-path', `${dataRoot}*`], { encoding: 'utf8' }).trim()).toBe('');
  },
  60_000,
);
