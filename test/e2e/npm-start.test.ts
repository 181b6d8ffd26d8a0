/**
 * `npm start` runs the daemon on the configuration Ponte looks for (config/ponte.yaml, or PONTE_CONFIG),
 * building it first; Ctrl-C in the terminal (SIGINT to the whole process group) stops it cleanly.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { exitOf, freePort, redisServersIn, removeTempDirs, request, tempDir, track, waitFor, writeFile } from '../helpers';

const ROOT = path.resolve(__dirname, '../..');
afterAll(removeTempDirs);

test('npm start serves the configured daemon, and Ctrl-C stops it cleanly, its Redis stopped by it', async () => {
  const dir = tempDir('ponte-npm-start-');
  const port = await freePort();
  const config = writeFile(
    dir,
    'ponte.yaml',
    `dataDir: ${dir}/data\nhttp:\n  port: ${port}\n  host: 127.0.0.1\n  adminToken: npm-start-admin-token-0123456789\nsessions:\n  - id: main\n    engine: simulator\n`,
  );
  const npm = track(
    spawn('npm', ['start', '--silent'], {
      cwd: ROOT,
      env: { ...process.env, PONTE_CONFIG: config },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    }),
  );
  let out = '';
  npm.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  npm.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  try {
    await waitFor(
      async () => (await request('GET', `http://127.0.0.1:${port}/readyz`).catch(() => ({ status: 0 }))).status === 200,
      90_000,
      200,
      `ready (${out.slice(-300)})`,
    );
    const sessions = await request('GET', `http://127.0.0.1:${port}/admin/sessions`, { token: 'npm-start-admin-token-0123456789' });
    expect(sessions.body.sessions.map((s: { id: string }) => s.id)).toEqual(['main']);
  } finally {
    // What a terminal does on Ctrl-C: SIGINT to every process of the foreground group.
    process.kill(-npm.pid!, 'SIGINT');
    await exitOf(npm);
  }
  // npm itself dies of the SIGINT; the daemon under it stopped the way it does on Ctrl-C, Redis last.
  expect(out).toMatch(/"msg":"signal received"/);
  expect(out).toMatch(/"msg":"embedded redis-server stopped"/);
  expect(out).toMatch(/"msg":"stopped"/);
  expect(redisServersIn(path.join(dir, 'data', 'redis'))).toEqual([]);
  expect((await request('GET', `http://127.0.0.1:${port}/readyz`).catch(() => ({ status: 0 }))).status).toBe(0);
}, 150_000);
