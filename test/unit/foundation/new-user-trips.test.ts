/**
 * What a new user meets first: the CLI finding the daemon when .env leaves PONTE_URL empty, and an admin
 * area of a feature this daemon runs without saying which section is missing.
 */
import { buildApp } from '../../../src/http/app';
import { notConfiguredRoutes } from '../../../src/http/not-configured-routes';
import { listen, type RunningServer } from '../../../src/http/server';
import { resolveTarget } from '../../../src/cli/admin-client';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { removeTempDirs, request, tempDir, writeFile } from '../../helpers';

const TOKEN = 'unit-admin-token-0123456789';
afterAll(removeTempDirs);

describe('the CLI finds the daemon', () => {
  const config = () =>
    writeFile(tempDir('ponte-cli-target-'), 'ponte.yaml', `http:\n  port: 9123\n  host: 0.0.0.0\n  adminToken: ${TOKEN}\nsessions: []\n`);

  test('empty PONTE_URL and PONTE_ADMIN_TOKEN (as a copied .env leaves them) fall back to the config file', () => {
    expect(resolveTarget({ config: config() }, { PONTE_URL: '', PONTE_ADMIN_TOKEN: '' })).toEqual({
      url: 'http://127.0.0.1:9123',
      token: TOKEN,
    });
  });

  test('set ones win, and flags win over them', () => {
    const file = config();
    expect(
      resolveTarget({ config: file }, { PONTE_URL: 'http://ponte.lan:8080/', PONTE_ADMIN_TOKEN: 'from-the-environment-0123' }),
    ).toEqual({ url: 'http://ponte.lan:8080', token: 'from-the-environment-0123' });
    expect(resolveTarget({ config: file, url: 'http://other:1' }, { PONTE_URL: 'http://ponte.lan:8080' }).url).toBe('http://other:1');
  });
});

describe('an admin area of a feature this daemon runs without', () => {
  let server: RunningServer;
  let base: string;
  beforeAll(async () => {
    const app = buildApp({
      logger: createLogger({ level: 'silent', pretty: false }),
      adminToken: TOKEN,
      metrics: createMetrics({ version: 'test' }),
      notReadyReasons: () => [],
      admin: [notConfiguredRoutes({ chatwoot: true, typebot: false, registration: false })],
    });
    server = await listen(app, 0, '127.0.0.1');
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close(1000));

  test.each([
    ['/admin/bots', 'this daemon runs without typebot: bots need the typebot section'],
    ['/admin/bots/main/351912345678@c.us/resume', 'this daemon runs without typebot'],
    ['/admin/registrations/reg-1', 'this daemon runs without registration: registrations need the registration section'],
  ])('%s says which section is missing', async (path, message) => {
    const res = await request(path.endsWith('resume') ? 'POST' : 'GET', `${base}${path}`, { token: TOKEN });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'not_configured', message: expect.stringContaining(message) });
  });

  test('a configured area is not touched, and the token is still needed first', async () => {
    expect((await request('GET', `${base}/admin/dlq`, { token: TOKEN })).body.error.code).not.toBe('not_configured');
    expect((await request('GET', `${base}/admin/bots`)).status).toBe(401);
  });
});
