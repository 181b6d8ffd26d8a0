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

function configFile(
  name: string,
  chatwoot: Record<string, unknown>,
  port: number,
  more: { publicUrl?: string; inboxes?: number[] } = {},
): string {
  return writeFile(
    dir,
    `${name}.yaml`,
    YAML.stringify({
      http: { port, host: '127.0.0.1', adminToken: ADMIN_TOKEN, ...(more.publicUrl ? { publicUrl: more.publicUrl } : {}) },
      redis: { url: 'embedded', dataDir: path.join(dir, 'redis') },
      sessions: (more.inboxes ?? [1]).map((inboxId, i) => ({ id: i ? `s${i}` : 'main', engine: 'simulator', inboxId })),
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
    const checks = byName(
      await runChecks(
        configFile('webhook', { baseUrl: base, apiToken: chatwoot.apiToken, webhookSecret: 'a-real-webhook-secret' }, await freePort()),
      ),
    );
    expect(checks['chatwoot api']).toEqual({
      name: 'chatwoot api',
      ok: true,
      detail: `${base}: token of user 1, member of account 1; intake webhook`,
    });
    expect(checks['chatwoot realtime']).toBeUndefined();
    expect(cable.upgrades()).toEqual([]);
  });

  test('a wrong token or account is a readable failure', async () => {
    const bad = byName(
      await runChecks(configFile('bad-token', { baseUrl: base, apiToken: 'not-the-right-token', intake: 'websocket' }, await freePort())),
    );
    expect(bad['chatwoot api'].ok).toBe(false);
    expect(bad['chatwoot api'].detail).toContain('GET /api/v1/profile failed');
    expect(bad['chatwoot realtime']).toBeUndefined();
    const other = byName(
      await runChecks(
        configFile('bad-account', { baseUrl: base, apiToken: chatwoot.apiToken, intake: 'websocket', accountId: 7 }, await freePort()),
      ),
    );
    expect(other['chatwoot api']).toMatchObject({ ok: false, detail: expect.stringContaining('not a member of account 7') });
  });

  test('intake websocket: subscribes with the pubsub_token, or says why it cannot', async () => {
    const file = configFile('websocket', { baseUrl: base, apiToken: chatwoot.apiToken, intake: 'websocket' }, await freePort());
    const good = byName(await runChecks(file));
    expect(good['chatwoot api'].ok).toBe(true);
    expect(good['chatwoot realtime']).toEqual({
      name: 'chatwoot realtime',
      ok: true,
      detail: `subscribed to RoomChannel at ${base.replace('http:', 'ws:')}/cable`,
    });
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
    const h = await startRelayHarness({
      webhook: false,
      cable: true,
      chatwoot: { intake: 'websocket', websocket: { reconnectMinMs: 50, reconnectMaxMs: 200 } },
    });
    try {
      await waitFor(() => h.daemon.relay!.outbound.realtime!.live(), 5000);
      const file = configFile(
        'running',
        { baseUrl: h.chatwoot.baseUrl, apiToken: h.chatwoot.apiToken, intake: 'websocket' },
        h.daemon.http.port,
      );
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

describe("ponte doctor checks each session's inbox", () => {
  const chatwoot = new ChatwootFake({ inboxes: [{ id: 1 }, { id: 2, name: 'Site chat', channelType: 'Channel::WebWidget' }] });
  let base: string;
  const PUBLIC = 'https://ponte.example.com';
  beforeAll(async () => {
    base = await chatwoot.start();
  });
  afterAll(async () => {
    await chatwoot.stop();
    removeTempDirs();
  });
  const check = async (name: string, inboxes: number[], extra: Record<string, unknown> = {}) =>
    byName(
      await runChecks(
        configFile(
          name,
          { baseUrl: base, apiToken: chatwoot.apiToken, webhookSecret: 'a-real-webhook-secret', ...extra },
          await freePort(),
          { publicUrl: PUBLIC, inboxes },
        ),
      ),
    );

  test('an API inbox whose webhook points at this Ponte passes', async () => {
    chatwoot.setWebhook({ url: `${PUBLIC}/webhooks/chatwoot` });
    expect((await check('inbox-good', [1]))['inbox 1']).toEqual({
      name: 'inbox 1',
      ok: true,
      detail: 'session main: API inbox "WhatsApp 1" sends its webhook here',
    });
  });

  test('a webhook elsewhere fails with the URL to set, the token hidden', async () => {
    chatwoot.setWebhook({ url: 'https://old-bridge.example.com/hook?token=old-secret-token' });
    const got = (await check('inbox-elsewhere', [1], { webhookSecret: undefined, webhookToken: 'the-new-webhook-token-0123' }))['inbox 1'];
    expect(got.ok).toBe(false);
    expect(got.detail).toBe(
      'session main: "WhatsApp 1" sends its webhook to https://old-bridge.example.com/hook?token=***: set its Webhook URL to https://ponte.example.com/webhooks/chatwoot?token=*** (Settings › Inboxes › WhatsApp 1 › Configuration)',
    );
    expect(got.detail).not.toContain('the-new-webhook-token');
  });

  test('an inbox that is not an API channel, or not in the account, fails with what to do', async () => {
    const got = await check('inbox-wrong', [2, 9]);
    expect(got['inbox 2']).toMatchObject({
      ok: false,
      detail:
        'session main: "Site chat" is a Channel::WebWidget inbox; Ponte relays to an API-channel inbox (Settings › Inboxes › Add › API)',
    });
    expect(got['inbox 9']).toMatchObject({
      ok: false,
      detail: expect.stringContaining('session s1: account 1 has no inbox 9: create an API-channel inbox'),
    });
  });

  test('without http.publicUrl the webhook cannot be checked, and the check says so', async () => {
    const checks = byName(
      await runChecks(
        configFile(
          'inbox-no-public',
          { baseUrl: base, apiToken: chatwoot.apiToken, webhookSecret: 'a-real-webhook-secret' },
          await freePort(),
        ),
      ),
    );
    expect(checks['inbox 1']).toMatchObject({
      ok: true,
      detail: expect.stringContaining('set http.publicUrl to have its webhook URL checked too'),
    });
  });
});
