/**
 * `ponte doctor` on a Chatwoot configuration: the user token works, and with intake websocket the
 * profile's pubsub_token subscribes at /cable, and a daemon running here says how its socket is.
 */
import path from 'node:path';
import YAML from 'yaml';
import { runChecks, type Check } from '../../../src/cli/commands/doctor';
import { ChatwootFake } from '../../fakes/chatwoot';
import { freePort } from '../../helpers/processes';
import { ADMIN_TOKEN, startRelayHarness } from '../../helpers/relay-harness';
import { removeTempDirs, tempDir, writeFile } from '../../helpers';
import { waitFor } from '../../helpers/wait';

const dir = tempDir('ponte-doctor-');

function configFile(name: string, chatwoot: Record<string, unknown>, port: number): string {
  return writeFile(
    dir,
    `${name}.yaml`,
    YAML.stringify({
      http: { port, host: '127.0.0.1', adminToken: ADMIN_TOKEN },
      redis: { url: 'embedded', dataDir: path.join(dir, 'redis') },
      sessions: [{ id: 'main', engine: 'simulator', inboxId: 1 }],
      chatwoot: { accountId: 1, ...chatwoot },
    }),
  );
}

const byName = (checks: Check[]) => Object.fromEntries(checks.map((c) => [c.name, c]));

describe('ponte doctor with Chatwoot', () => {
  const chatwoot = new ChatwootFake();
  const cable = chatwoot.cable();
  let base: string;

  beforeAll(async () => {
    base = await chatwoot.start();
  });
  afterAll(async () => {
    await chatwoot.stop();
    await cable.close();
    removeTempDirs();
  });

  test('intake webhook: the profile call works with the token; no socket is opened', async () => {
    const checks = byName(await runChecks(configFile('webhook', { baseUrl: base, apiToken: chatwoot.apiToken, webhookSecret: 'a-real-webhook-secret' }, await freePort())));
    expect(checks['chatwoot api']).toEqual({ name: 'chatwoot api', ok: true, detail: `${base}: token of user 1, member of account 1; intake webhook` });
    expect(checks['chatwoot realtime']).toBeUndefined();
    expect(cable.upgrades()).toEqual([]);
  });

  test('a wrong token or account is a readable failure', async () => {
    const bad = byName(await runChecks(configFile('bad-token', { baseUrl: base, apiToken: 'not-the-right-token', intake: 'websocket' }, await freePort())));
    expect(bad['chatwoot api'].ok).toBe(false);
    expect(bad['chatwoot api'].detail).toContain('GET /api/v1/profile failed');
    expect(bad['chatwoot realtime']).toBeUndefined();
    const other = byName(await runChecks(configFile('bad-account', { baseUrl: base, apiToken: chatwoot.apiToken, intake: 'websocket', accountId: 7 }, await freePort())));
    expect(other['chatwoot api']).toMatchObject({ ok: false, detail: expect.stringContaining('not a member of account 7') });
  });

  test('intake websocket: subscribes with the pubsub_token, or says why it cannot', async () => {
    const file = configFile('websocket', { baseUrl: base, apiToken: chatwoot.apiToken, intake: 'websocket' }, await freePort());
    const good = byName(await runChecks(file));
    expect(good['chatwoot api'].ok).toBe(true);
    expect(good['chatwoot realtime']).toEqual({ name: 'chatwoot realtime', ok: true, detail: `subscribed to RoomChannel at ${base.replace('http:', 'ws:')}/cable` });
    expect(good['daemon realtime']).toBeUndefined(); // nothing runs on that port
    await waitFor(() => cable.connections() === 0, 2000);

    cable.refuse(true);
    try {
      const refused = byName(await runChecks(file));
      expect(refused['chatwoot realtime'].ok).toBe(false);
      expect(refused['chatwoot realtime'].detail).toContain('503');
      expect(refused['chatwoot realtime'].detail).toContain('forward websocket upgrades');
    } finally {
      cable.refuse(false);
    }
  });

  test("a daemon running with the configuration reports its socket's state", async () => {
    const h = await startRelayHarness({ webhook: false, cable: true, chatwoot: { intake: 'websocket', websocket: { reconnectMinMs: 50, reconnectMaxMs: 200 } } });
    try {
      await waitFor(() => h.daemon.relay!.outbound.realtime!.live(), 5000);
      const file = configFile('running', { baseUrl: h.chatwoot.baseUrl, apiToken: h.chatwoot.apiToken, intake: 'websocket' }, h.daemon.http.port);
      const up = byName(await runChecks(file));
      expect(up['daemon realtime']).toMatchObject({ ok: true, detail: expect.stringContaining('subscribed since') });
      h.cable!.refuse(true);
      h.cable!.dropAll();
      await waitFor(() => !h.daemon.relay!.outbound.realtime!.live(), 5000);
      const down = byName(await runChecks(file));
      expect(down['chatwoot realtime'].ok).toBe(false);
      expect(down['daemon realtime']).toMatchObject({ ok: false, detail: expect.stringContaining('agent messages arrive by polling') });
    } finally {
      await h.stop();
    }
  });
});
