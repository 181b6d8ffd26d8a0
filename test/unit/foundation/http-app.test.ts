import { Router } from 'express';
import { SessionManager } from '../../../src/sessions/manager';
import { SimulatorEngine } from '../../../src/engines/simulator/simulator-engine';
import { simulatorSchema } from '../../../src/config/schema';
import { adminSessionRoutes } from '../../../src/http/admin-session-routes';
import { buildApp } from '../../../src/http/app';
import { listen, type RunningServer } from '../../../src/http/server';
import { simulatorRoutes } from '../../../src/http/simulator-routes';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics } from '../../../src/observability/metrics';
import { request, waitFor } from '../../helpers';

const TOKEN = 'unit-admin-token-0123456789';
let server: RunningServer;
let base: string;
let sessions: SessionManager;
let sim: SimulatorEngine;
const logLines: Array<Record<string, any>> = [];

beforeAll(async () => {
  const logger = createLogger({ level: 'info', pretty: false }, { write: (s: string) => void logLines.push(JSON.parse(s)) });
  const metrics = createMetrics({ version: '9.9.9-test' });
  sessions = new SessionManager(logger, metrics);
  sim = new SimulatorEngine('main', simulatorSchema.parse({ ackIntervalMs: 10 }));
  sessions.add(sim, () => undefined);
  const broken = Router();
  broken.get('/explode', () => {
    throw new Error('internal detail that must not reach the client');
  });
  const app = buildApp({
    logger,
    adminToken: TOKEN,
    metrics,
    notReadyReasons: () => sessions.connecting().map((id) => `session ${id} is still CONNECTING`),
    admin: [
      adminSessionRoutes(sessions),
      simulatorRoutes((id) => (sessions.get(id) instanceof SimulatorEngine ? (sessions.get(id) as SimulatorEngine) : undefined)),
      broken,
    ],
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await sessions.stopAll();
  await server.close(1000);
});

const inbound = (body: unknown) => request('POST', `${base}/admin/simulator/main/inbound`, { token: TOKEN, json: body });

describe('health and metrics (no token needed)', () => {
  test('/readyz is 503 with the reason while a session is CONNECTING, 200 once connected', async () => {
    const before = await request('GET', `${base}/readyz`);
    expect(before.status).toBe(503);
    expect(before.body).toEqual({ status: 'not_ready', reasons: ['session main is still CONNECTING'] });
    await sessions.startAll();
    await waitFor(() => sessions.connecting().length === 0, 2000);
    const after = await request('GET', `${base}/readyz`);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ status: 'ready', reasons: [] });
  });

  test('/healthz answers 200', async () => {
    const res = await request('GET', `${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });

  test('/metrics is Prometheus text with the build info', async () => {
    const res = await request('GET', `${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    expect(res.text).toMatch(/^ponte_build_info\{version="9\.9\.9-test",node="v\d+[^"]*"\} 1$/m);
  });
});

describe('admin authentication', () => {
  test('no Authorization header: 401 JSON', async () => {
    const res = await request('GET', `${base}/admin/sessions`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body.error.code).toBe('unauthorized');
    expect(res.body.error.message).toContain('Bearer');
  });

  test.each([
    ['a wrong token', { authorization: 'Bearer not-the-token' }],
    ['the token with one character more', { authorization: `Bearer ${TOKEN}x` }],
    ['a prefix of the token', { authorization: `Bearer ${TOKEN.slice(0, -1)}` }],
    ['Basic auth', { authorization: `Basic ${Buffer.from(`admin:${TOKEN}`).toString('base64')}` }],
    ['the token without the scheme', { authorization: TOKEN }],
  ])('%s: 401 JSON', async (_what, headers) => {
    const res = await request('GET', `${base}/admin/sessions`, { headers });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
  });

  test('the right token lists the sessions', async () => {
    const res = await request('GET', `${base}/admin/sessions`, { token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.body.sessions).toEqual([
      expect.objectContaining({ id: 'main', engine: 'simulator', state: 'CONNECTED', me: '+351910000000' }),
    ]);
  });

  test('the scheme is case-insensitive', async () => {
    const res = await request('GET', `${base}/admin/sessions`, { headers: { authorization: `bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
  });

  test('unknown admin routes need the token before anything else', async () => {
    expect((await request('GET', `${base}/admin/nothing-here`)).status).toBe(401);
  });
});

describe('errors are JSON', () => {
  test('malformed JSON: 400 malformed_json', async () => {
    const res = await request('POST', `${base}/admin/simulator/main/inbound`, { token: TOKEN, raw: '{"from": "351912345678", "type": ' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('malformed_json');
  });

  test('unknown route: 404 JSON naming the route', async () => {
    const res = await request('GET', `${base}/no/such/route`);
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: 'no route for GET /no/such/route' });
    const admin = await request('DELETE', `${base}/admin/nothing-here`, { token: TOKEN });
    expect(admin.status).toBe(404);
    expect(admin.body.error.code).toBe('not_found');
  });

  test('unknown session: 404 unknown_session', async () => {
    const res = await request('GET', `${base}/admin/sessions/ghost`, { token: TOKEN });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'unknown_session', message: 'no session "ghost" is configured' });
    expect(
      (
        await request('POST', `${base}/admin/simulator/ghost/inbound`, {
          token: TOKEN,
          json: { from: '351912345678', type: 'text', text: 'x' },
        })
      ).status,
    ).toBe(404);
  });

  test('an unexpected failure: 500 without internals, logged', async () => {
    const res = await request('GET', `${base}/admin/explode`, { token: TOKEN });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal');
    expect(res.text).not.toContain('internal detail');
    expect(logLines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'request failed', path: '/admin/explode' })]));
  });
});

describe('simulator injection', () => {
  test('a valid message is accepted with 202 and delivered', async () => {
    const events: string[] = [];
    sim.onEvent((e) => e.type === 'message' && events.push(e.message.text ?? ''));
    const res = await inbound({ from: '+351 912 345 678', type: 'text', text: 'olá' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), delivered: true, state: 'CONNECTED' });
    expect(events).toEqual(['olá']);
  });

  test.each([
    ['a text without text', { from: '351912345678', type: 'text' }, 'text'],
    ['an image without media', { from: '351912345678', type: 'image' }, 'media'],
    ['no sender', { type: 'text', text: 'hi' }, 'from'],
    ['an unknown type', { from: '351912345678', type: 'hologram' }, 'type'],
    ['a reaction without its target', { from: '351912345678', type: 'reaction', emoji: '👍' }, 'targetId'],
    ['a group message without author', { from: '351912345678', chatId: '1203630@g.us', type: 'text', text: 'x' }, 'author'],
    ['a wrongly typed field', { from: '351912345678', type: 'text', text: 'x', timestamp: 'yesterday' }, 'timestamp'],
  ])('%s: 400 naming the field', async (_what, body, field) => {
    const res = await inbound(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.problems).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${field}: `))]));
    expect(res.body.error.message).toContain(`${field}: `);
  });

  test('an unknown field is named', async () => {
    const res = await inbound({ from: '351912345678', type: 'text', text: 'x', colour: 'red' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('colour');
  });

  test('forcing a state that does not exist: 400 naming "state"', async () => {
    const res = await request('POST', `${base}/admin/simulator/main/state`, { token: TOKEN, json: { state: 'ASLEEP' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0]).toMatch(/^state: /);
  });

  test('login with a malformed phone: 400 naming "phone"', async () => {
    const res = await request('POST', `${base}/admin/sessions/main/login`, { token: TOKEN, json: { phone: 'call me' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details.problems[0]).toMatch(/^phone: expected a phone number/);
  });
});
