/**
 * Sessions added, changed and removed through the admin API while the daemon runs (simulator engine, real
 * redis-server, the strict Chatwoot fake): a new number with its own Chatwoot inbox, created in one call,
 * relays both ways; a change restarts it with its login; removing it logs it out and deletes its data.
 */
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../helpers/processes';
import { request } from '../../helpers/http';
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';
import type { SimulatorEngine } from '../../../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../../../src/engines/simulator/simulator-customer';
import Redis from 'ioredis';

describe('sessions at run time (admin API)', () => {
  let h: Harness;
  let publicUrl: string;
  let redis: Redis;
  const stored = () => redis.hkeys('ponte:sessions:runtime');
  const admin = (method: string, p: string, json?: unknown) =>
    request(method, `${h.url()}/admin${p}`, { token: ADMIN_TOKEN, ...(json === undefined ? {} : { json }) });
  const sim = (id: string) => h.daemon.sessions.get(id) as SimulatorEngine;

  beforeAll(async () => {
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    h = await startRelayHarness({ config: { http: { port, host: '127.0.0.1', adminToken: ADMIN_TOKEN, publicUrl } } });
    redis = new Redis(h.redis.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await h?.stop();
  });

  test('adding a number with --create-inbox makes an API inbox pointing at Ponte, and the number relays both ways through it', async () => {
    const res = await admin('POST', '/sessions', {
      session: {
        id: 'sales',
        engine: 'simulator',
        simulator: { phone: '+351930000000', ackIntervalMs: 50, requireQr: true, pairAfterMs: 300 },
        pacing: { minGapMs: 0, jitterMs: 0, typing: false },
      },
      createInbox: true,
      inboxName: 'Vendas',
    });
    expect(res.status).toBe(201);
    const inbox = h.chatwoot.inboxes().find((i) => i.name === 'Vendas')!;
    expect(inbox).toMatchObject({ channelType: 'Channel::Api', webhookUrl: `${publicUrl}/webhooks/chatwoot` });
    expect(res.body.settings).toMatchObject({ id: 'sales', inboxId: inbox.id, webhookSecret: '[set]' });
    expect(JSON.stringify(res.body)).not.toContain(inbox.secret);
    expect(h.chatwoot.rejections()).toEqual([]);
    await waitFor(() => sim('sales')?.state() === 'CONNECTED', 5000, 25, 'the new session connected');
    expect((await admin('GET', '/sessions')).body.sessions.map((s: { id: string }) => s.id)).toEqual(['main', 'sales']);

    // WhatsApp -> the new inbox
    const waId = sim('sales').inject(inboundSchema.parse({ from: '+351912555001', type: 'text', text: 'Quero comprar', pushName: 'Rui' }));
    const m = await h.waitMessage(waId);
    expect(m.inbox_id).toBe(inbox.id);
    // An agent's reply there: Chatwoot signs the webhook with the new inbox's own secret, and it goes out
    // through the new number, not the first one.
    await h.chatwoot.agentMessage(m.conversation_id, { content: 'Com certeza' });
    const sent = await waitFor(
      () =>
        sim('sales')
          .sent()
          .find((s) => s.message.chatId === '351912555001@c.us'),
      5000,
      25,
      'the reply sent by the new number',
    );
    expect(sent.message).toMatchObject({ kind: 'text', text: 'Com certeza' });
    expect(h.sim('main').sent()).toEqual([]);
    const delivery = h.chatwoot
      .webhookDeliveries()
      .find((d) => d.url === `${publicUrl}/webhooks/chatwoot` && d.payload.content === 'Com certeza');
    expect(delivery?.status).toBe(200);
  });

  test('a webhook signed with the new inbox secret cannot speak for another inbox', async () => {
    const inbox = h.chatwoot.inboxes().find((i) => i.name === 'Vendas')!;
    const body = JSON.stringify({
      event: 'message_created',
      id: 99999,
      message_type: 'outgoing',
      private: false,
      content: 'forjada',
      inbox: { id: 1, name: 'x' },
      conversation: { id: 1, inbox_id: 1 },
    });
    const res = await fetch(`${h.url()}/webhooks/chatwoot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...h.chatwoot.signWebhook(body, inbox.secret!) },
      body,
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain(`secret of inbox ${inbox.id}, not of inbox 1`);
  });

  test('bad input is refused with every problem named, and nothing is kept', async () => {
    const bad = await admin('POST', '/sessions', {
      session: { id: 'Bad Id', engine: 'telegram', proxy: { url: 'http://u:p@proxy:3128' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_request');
    expect(bad.body.error.details.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^id: expected lowercase letters/),
        expect.stringMatching(/^engine: expected one of simulator, wppconnect, wwebjs/),
        expect.stringMatching(/^proxy\.url: carries credentials/),
      ]),
    );
    const noInbox = await admin('POST', '/sessions', { session: { id: 'x1', engine: 'simulator' } });
    expect([noInbox.status, noInbox.body.error.message]).toEqual([
      400,
      expect.stringContaining('inboxId: with the chatwoot section every session needs its API-channel inbox'),
    ]);
    const taken = await admin('POST', '/sessions', { session: { id: 'x2', engine: 'simulator', inboxId: 1 } });
    expect([taken.status, taken.body.error.message]).toEqual([
      409,
      'inboxId: inbox 1 already belongs to session "main"; one inbox relays one number',
    ]);
    const fileOne = await admin('PATCH', '/sessions/main', { groups: 'ignore' });
    expect([fileOne.status, fileOne.body.error.code]).toEqual([409, 'config_session']);
    expect(fileOne.body.error.message).toContain('defined in the configuration file, which wins');
    expect((await admin('POST', '/sessions/main/remove')).status).toBe(409);
    expect(await stored()).toEqual(['sales']);
  });

  test('a change restarts the session with its saved login (no new pairing) and its new settings', async () => {
    const states: string[] = [];
    h.daemon.sessions.on('state', (id: string, s: { state: string }) => id === 'sales' && states.push(s.state));
    const res = await admin('PATCH', '/sessions/sales', { groups: 'ignore', simulator: { pairAfterMs: 0 } });
    expect(res.status).toBe(200);
    expect(res.body.settings).toMatchObject({ groups: 'ignore', simulator: { phone: '+351930000000', requireQr: true, pairAfterMs: 0 } });
    // The simulated phone would never pair again (pairAfterMs 0): connected means its saved login served.
    await waitFor(() => sim('sales')?.state() === 'CONNECTED', 5000, 25, 'the changed session connected');
    expect(states).not.toContain('QR_REQUIRED');
    // Groups are now ignored for that number.
    const waId = sim('sales').inject(
      inboundSchema.parse({
        from: '+351912555002',
        chatId: '120363000000000001@g.us',
        author: '+351912555002',
        type: 'text',
        text: 'grupo',
      }),
    );
    const direct = sim('sales').inject(inboundSchema.parse({ from: '+351912555002', type: 'text', text: 'direto' }));
    await h.waitMessage(direct);
    expect(h.messagesFor(waId)).toEqual([]);
    const invalid = await admin('PATCH', '/sessions/sales', { maxMediaMB: -1 });
    expect([invalid.status, invalid.body.error.message]).toEqual([400, expect.stringContaining('maxMediaMB')]);
  });

  test('the added session comes back after a restart; removing it logs the number out and deletes its data', async () => {
    await h.restart();
    await waitFor(() => sim('sales')?.state() === 'CONNECTED', 5000, 25, 'the stored session started again');
    const dataDir = path.join(h.daemon.config.sessionStore.dir, 'sales');
    expect(fs.existsSync(dataDir)).toBe(true);
    const engine = sim('sales');
    const res = await admin('POST', '/sessions/sales/remove');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ removed: 'sales' });
    expect(engine.state()).toBe('LOGGED_OUT');
    expect(fs.existsSync(dataDir)).toBe(false);
    expect((await admin('GET', '/sessions/sales')).status).toBe(404);
    expect(await stored()).toEqual([]);
    expect((await admin('POST', '/sessions/sales/remove')).status).toBe(404);
  });
});
