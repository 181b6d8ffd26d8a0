/**
 * `ponte sessions add|set|remove` against a running daemon (simulator engine, embedded Redis, no
 * Chatwoot): a number added, changed and removed from the command line, kept across a restart, and every
 * bad input refused with what is wrong. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { killPonte, liveChildren, removeTempDirs, runCli, simulatorConfig, startPonte, waitFor, type RunningPonte } from '../helpers';

describe('ponte sessions add|set|remove', () => {
  let ponte: RunningPonte;
  let dataRoot: string;
  const target = () => ['--url', ponte.baseUrl, '--token', ponte.adminToken];

  beforeAll(async () => {
    ponte = await startPonte((ctx) => simulatorConfig(ctx, [{ id: 'main' }], { dataDir: (dataRoot = path.join(ctx.dir, 'data')) }));
  });
  afterAll(async () => {
    try {
      await ponte?.stop('SIGTERM');
      await killPonte(ponte);
      expect(liveChildren()).toEqual([]);
    } finally {
      removeTempDirs();
    }
  });

  test('add starts the number at once and says how to pair it', async () => {
    const res = await runCli([
      'sessions',
      'add',
      'shop',
      'engine=simulator',
      'simulator.requireQr=true',
      'simulator.phone=+351920000001',
      ...target(),
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^session shop added: (CONNECTING|QR_REQUIRED)\nto pair its phone: ponte sessions pair shop\n$/);
    await waitFor(
      async () => /^shop\s+simulator\s+QR_REQUIRED/m.test((await runCli(['sessions', 'list', ...target()])).stdout),
      10000,
      100,
      'shop listed as QR_REQUIRED',
    );
  });

  test('bad input is refused with what is wrong, and nothing is added', async () => {
    const exists = await runCli(['sessions', 'add', 'main', 'engine=simulator', ...target()]);
    expect([exists.code, exists.stderr]).toEqual([
      1,
      'ponte: 409: session "main" exists in the configuration file; choose another id or change it with PATCH /admin/sessions/main\n',
    ]);
    const bad = await runCli(['sessions', 'add', 'x', 'engine=telegram', 'maxMediaMB=lots', ...target()]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('ponte: 400: engine: expected one of simulator, wppconnect, wwebjs; maxMediaMB:');
    const usage = await runCli(['sessions', 'add', 'x', 'engine', ...target()]);
    expect([usage.code, usage.stderr]).toEqual([1, 'ponte: "engine": expected key=value, e.g. inboxId=3 or proxy.url=http://proxy:3128\n']);
    const fileOne = await runCli(['sessions', 'set', 'main', 'groups=ignore', ...target()]);
    expect([fileOne.code, fileOne.stderr]).toEqual([
      1,
      'ponte: 409: session "main" is defined in the configuration file, which wins: change or remove it there\n',
    ]);
    const list = await runCli(['sessions', 'list', ...target()]);
    expect(list.stdout.trim().split('\n')).toHaveLength(2);
  });

  test('set changes it (a password read from a file), and it is kept across a restart', async () => {
    const secretFile = path.join(ponte.dir, 'proxy-password');
    fs.writeFileSync(secretFile, 'pr0xy-pass\n');
    const res = await runCli([
      'sessions',
      'set',
      'shop',
      'simulator.pairAfterMs=200',
      'proxy.url=http://proxy.example.com:3128',
      'proxy.username=ponte',
      `proxy.password=@${secretFile}`,
      ...target(),
    ]);
    expect([res.code, res.stderr]).toEqual([0, '']);
    expect(res.stdout).toMatch(/^session shop changed: /);
    await waitFor(async () => (await ponte.admin('GET', '/admin/sessions/shop')).body.state === 'CONNECTED', 10000, 50, 'shop paired');
    expect(ponte.logs()).not.toContain('pr0xy-pass');
    // The same configuration (same data root and embedded Redis) started again.
    await ponte.stop('SIGTERM');
    ponte = await startPonte(fs.readFileSync(ponte.configPath, 'utf8'));
    await waitFor(
      async () => (await ponte.admin('GET', '/admin/sessions/shop')).body.state === 'CONNECTED',
      10000,
      50,
      'shop back after the restart, with its login',
    );
  });

  test('remove logs the number out, deletes its data and forgets it', async () => {
    const dataDir = path.join(dataRoot, 'sessions', 'shop');
    expect(fs.existsSync(dataDir)).toBe(true);
    const res = await runCli(['sessions', 'remove', 'shop', ...target()]);
    expect([res.code, res.stdout, res.stderr]).toEqual([0, 'session shop removed: its number is logged out and its data deleted\n', '']);
    expect(fs.existsSync(dataDir)).toBe(false);
    expect((await ponte.admin('GET', '/admin/sessions/shop')).status).toBe(404);
    const again = await runCli(['sessions', 'remove', 'shop', ...target()]);
    expect([again.code, again.stderr]).toEqual([1, 'ponte: 404: no session "shop" was added at run time\n']);
  });
});
