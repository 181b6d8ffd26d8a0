/**
 * The `ponte` CLI as an operator runs it (node dist/src/cli/index.js): config validation and doctor.
 * Needs `npm run build` (npm test runs it first). Each test is its own process run: they run concurrently.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import YAML from 'yaml';
import { freePort, redisServersIn, removeTempDirs, runCli, tempDir, writeFile } from '../helpers';

const dir = tempDir('ponte-cli-');
afterAll(removeTempDirs);

const GOOD = (extra = '') => `
http:
  port: 18080
  host: 127.0.0.1
  adminToken: a-long-enough-admin-token
redis:
  url: embedded
  dataDir: ${path.join(dir, 'redis')}
${extra}
sessions:
  - id: main
    engine: simulator
`;

describe('ponte config', () => {
  test.concurrent('validate on a broken file exits 2 and prints every problem with its key path', async () => {
    const file = writeFile(
      dir,
      'broken.yaml',
      `
http:
  port: "eighty"
  adminToken: changeme
  hots: 127.0.0.1
log:
  level: loud
sessions:
  - id: main
    engine: simulator
  - id: main
    engine: simulator
    simulator:
      ackIntervalMs: soon
`,
    );
    const res = await runCli(['config', 'validate', '--config', file]);
    expect(res.code).toBe(2);
    expect(res.stdout).toBe('');
    const err = res.stderr;
    expect(err).toContain(`invalid configuration (${file})`);
    for (const line of [
      '  - http.port: got "eighty"; expected a whole number from 0 to 65535',
      '  - http.adminToken: got a value; is a placeholder',
      '  - http.hots: unknown key (a typo? see ponte config example)',
      '  - log.level: got "loud"',
      '  - sessions[1].id: "main" is already the id of sessions[0]',
      '  - sessions[1].simulator.ackIntervalMs: got "soon"; expected a number of milliseconds',
    ]) {
      expect(err).toContain(line);
    }
    expect(err.split('\n').filter((l) => l.startsWith('  - '))).toHaveLength(6);
    expect(err).not.toMatch(/at .*\.js:\d+/); // a readable report, not a stack trace
  });

  test.concurrent('validate names the env var behind a bad override', async () => {
    const file = writeFile(dir, 'good-for-env.yaml', GOOD());
    const res = await runCli(['config', 'validate', '--config', file], { PONTE_HTTP__PORT: 'abc' });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('PONTE_HTTP__PORT (http.port): got "abc"; expected a number');
  });

  test.concurrent('validate on a good file exits 0 with a summary', async () => {
    const file = writeFile(dir, 'good.yaml', GOOD());
    const res = await runCli(['config', 'validate', '--config', file]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('configuration OK: 1 session(s), HTTP on 127.0.0.1:18080, redis embedded');
  });

  test.concurrent('validate on a missing file exits 2 and says how to create one', async () => {
    const res = await runCli(['config', 'validate', '--config', path.join(dir, 'nope.yaml')]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('file not found');
    expect(res.stderr).toContain('ponte config example');
  });

  test.concurrent('example prints YAML that validates once its sample secrets are replaced, and not before', async () => {
    const res = await runCli(['config', 'example']);
    expect(res.code).toBe(0);
    expect(YAML.parse(res.stdout)).toHaveProperty('http.adminToken');
    const asPrinted = await runCli(['config', 'validate', '--config', writeFile(dir, 'example-as-printed.yaml', res.stdout)]);
    expect(asPrinted.code).not.toBe(0);
    expect(asPrinted.stderr).toContain('http.adminToken: got a value; is a placeholder or a published example');
    const filledIn = res.stdout.replace(/"?replace-with-[\w-]+"?/g, '9f86d081884c7d659a2feaa0c55ad015');
    const check = await runCli(['config', 'validate', '--config', writeFile(dir, 'example.yaml', filledIn)]);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
  });
});

describe('ponte doctor', () => {
  test.concurrent('exits 0 on a good config', async () => {
    const res = await runCli(['doctor', '--config', writeFile(dir, 'doctor-good.yaml', GOOD())]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^ ok\s+config\s+1 session\(s\)$/m);
    expect(res.stdout).toMatch(/^ ok\s+redis\s+embedded: Redis server v=/m);
    expect(res.stdout).toContain('all checks passed');
  });

  test.concurrent('exits 1 with a readable report when redis.binary does not exist', async () => {
    const file = writeFile(
      dir,
      'doctor-bad.yaml',
      GOOD().replace('  url: embedded', '  url: embedded\n  binary: /nonexistent/redis-server'),
    );
    const res = await runCli(['doctor', '--config', file]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^FAIL\s+redis\s+embedded mode needs "\/nonexistent\/redis-server": install redis-server/m);
    expect(res.stdout).toMatch(/^ ok\s+config/m);
    expect(res.stdout).toContain('1 problem(s) found');
    expect(res.stderr).toBe('');
  });

  test.concurrent('exits 1 when the config itself is broken, listing its problems', async () => {
    const res = await runCli(['doctor', '--config', writeFile(dir, 'doctor-broken.yaml', 'http:\n  adminToken: changeme\n')]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^FAIL\s+config\s+http\.adminToken: got a value; is a placeholder/m);
  });
});

describe('ponte start (failing early)', () => {
  test.concurrent('a broken config exits 2 with the problems, before starting anything', async () => {
    const dataDir = path.join(dir, 'start-broken-redis');
    const file = writeFile(
      dir,
      'start-broken.yaml',
      GOOD().replace(path.join(dir, 'redis'), dataDir).replace('a-long-enough-admin-token', 'changeme'),
    );
    const res = await runCli(['start', '--config', file]);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('http.adminToken: got a value; is a placeholder');
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  test.concurrent('a port already in use exits 1 naming the address, and stops the embedded redis-server it started', async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(port, '127.0.0.1', r));
    try {
      const dataDir = path.join(dir, 'start-busy-redis');
      const file = writeFile(
        dir,
        'start-busy.yaml',
        GOOD().replace('port: 18080', `port: ${port}`).replace(path.join(dir, 'redis'), dataDir),
      );
      const res = await runCli(['start', '--config', file]);
      expect(res.code).toBe(1);
      expect(res.stderr).toContain(`http.port ${port} on 127.0.0.1 is already in use`);
      expect(res.stderr).not.toMatch(/at .*\.js:\d+/); // one readable line, not a stack trace
      expect(res.stdout).toContain('embedded redis-server stopped');
      expect(redisServersIn(dataDir)).toEqual([]);
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  });
});
