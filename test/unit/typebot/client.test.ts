import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { nockOffline } from '../../helpers/nock-offline';
import { FlowFailedError, FlowGoneError } from '../../../src/bots/ports';
import { TypebotClient } from '../../../src/typebot/client';
import type { TypebotCallOutcome, TypebotEndpoint } from '../../../src/typebot/http';
import { readFixture } from './fixtures';

const BASE = 'https://bot.example.com';

function client(extra: Partial<ConstructorParameters<typeof TypebotClient>[0]> = {}): {
  client: TypebotClient;
  calls: Array<[TypebotEndpoint, TypebotCallOutcome, number]>;
} {
  const calls: Array<[TypebotEndpoint, TypebotCallOutcome, number]> = [];
  return { client: new TypebotClient({ baseUrl: BASE, timeoutMs: 2000, onCall: (...a) => calls.push(a), ...extra }), calls };
}

/** Typebot's oRPC error body. */
const orpcError = (status: number, code: string, message: string) => ({ defined: false, code, status, message });

nockOffline();

describe('startChat', () => {
  test('posts to /api/v1/typebots/{publicId}/startChat with rich text and no streaming, and returns the session', async () => {
    let body: unknown;
    const scope = nock(BASE)
      .post('/api/v1/typebots/my-bot-x1/startChat', (b: unknown) => ((body = b), true))
      .reply(200, readFixture('start-choice.response.json'));
    const { client: c, calls } = client();
    const res = await c.startChat('my-bot-x1', { prefilledVariables: { Name: 'Ana' } });
    expect(body).toEqual({ prefilledVariables: { Name: 'Ana' }, isStreamEnabled: false, textBubbleContentFormat: 'richText' });
    expect(res.sessionId).toBe('cm9sess0001abcd');
    expect(res.typebot.id).toBe('cm9typebot0001');
    expect(res.input?.type).toBe('choice input');
    expect(calls).toEqual([['startChat', 'ok', expect.any(Number)]]);
    scope.done();
  });

  test('sends no Authorization header without a token, a Bearer one with it', async () => {
    const anonymous = nock(BASE, { badheaders: ['authorization'] })
      .post('/api/v1/typebots/b/startChat')
      .reply(200, readFixture('start-choice.response.json'));
    await client().client.startChat('b');
    anonymous.done();
    const authed = nock(BASE, { reqheaders: { authorization: 'Bearer tok-123' } })
      .post('/api/v1/typebots/b/startChat')
      .reply(200, readFixture('start-choice.response.json'));
    await client({ apiToken: 'tok-123' }).client.startChat('b');
    authed.done();
  });

  test('a baseUrl with a trailing slash still reaches /api', async () => {
    const scope = nock(BASE).post('/api/v1/typebots/b/startChat').reply(200, readFixture('start-choice.response.json'));
    await new TypebotClient({ baseUrl: `${BASE}/`, timeoutMs: 1000 }).startChat('b');
    scope.done();
  });

  test('400 (bot closed) and 403 (workspace suspended) fail the flow with their status', async () => {
    nock(BASE)
      .post('/api/v1/typebots/b/startChat')
      .reply(400, orpcError(400, 'BAD_REQUEST', 'This bot is now closed.'));
    await expect(client().client.startChat('b')).rejects.toEqual(
      expect.objectContaining({ name: 'FlowFailedError', status: 400, message: expect.stringContaining('This bot is now closed.') }),
    );
    nock(BASE)
      .post('/api/v1/typebots/b/startChat')
      .reply(403, orpcError(403, 'FORBIDDEN', 'Workspace is suspended'));
    await expect(client().client.startChat('b')).rejects.toEqual(expect.objectContaining({ name: 'FlowFailedError', status: 403 }));
  });

  test("404 (bot not found) is FlowGoneError with Typebot's message", async () => {
    nock(BASE)
      .post('/api/v1/typebots/nope/startChat')
      .reply(404, orpcError(404, 'NOT_FOUND', 'Typebot not found'));
    const { client: c, calls } = client();
    const err = await c.startChat('nope').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowGoneError);
    expect((err as Error).message).toBe('Typebot not found');
    expect(calls).toEqual([['startChat', 'gone', expect.any(Number)]]);
  });

  test('a 200 that is not a chat (a proxy page) fails the flow', async () => {
    nock(BASE).post('/api/v1/typebots/b/startChat').reply(200, '<html>login</html>', { 'content-type': 'text/html' });
    await expect(client().client.startChat('b')).rejects.toBeInstanceOf(FlowFailedError);
  });
});

describe('continueChat', () => {
  test('posts the message with rich text format to /api/v1/sessions/{id}/continueChat', async () => {
    let body: unknown;
    const scope = nock(BASE)
      .post('/api/v1/sessions/sess-1/continueChat', (b: unknown) => ((body = b), true))
      .reply(200, readFixture('continue-after-choice.response.json'));
    const res = await client().client.continueChat('sess-1', {
      message: { type: 'text', text: 'Faturação', metadata: { replyId: 'item-billing' } },
    });
    expect(body).toEqual({
      message: { type: 'text', text: 'Faturação', metadata: { replyId: 'item-billing' } },
      textBubbleContentFormat: 'richText',
    });
    expect(res.input?.type).toBe('number input');
    scope.done();
  });

  test('without a message sends only the format (a continue after a wait)', async () => {
    let body: unknown;
    nock(BASE)
      .post('/api/v1/sessions/sess-1/continueChat', (b: unknown) => ((body = b), true))
      .reply(200, { messages: [] });
    await client().client.continueChat('sess-1');
    expect(body).toEqual({ textBubbleContentFormat: 'richText' });
  });

  test.each([['Session expired. You need to start a new session.'], ['Session not found.']])(
    '404 "%s" is FlowGoneError carrying that message',
    async (message) => {
      nock(BASE)
        .post('/api/v1/sessions/old/continueChat')
        .reply(404, orpcError(404, 'NOT_FOUND', message));
      const { client: c, calls } = client();
      const err = await c.continueChat('old', { message: { type: 'text', text: 'oi' } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FlowGoneError);
      expect((err as Error).message).toBe(message);
      expect(calls).toEqual([['continueChat', 'gone', expect.any(Number)]]);
    },
  );

  test('500 is FlowFailedError with status 500, and the answer never appears in the error', async () => {
    nock(BASE)
      .post('/api/v1/sessions/s/continueChat')
      .reply(500, orpcError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error'));
    const { client: c, calls } = client();
    const err = await c.continueChat('s', { message: { type: 'text', text: 'my secret answer 4242' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowFailedError);
    expect((err as FlowFailedError).status).toBe(500);
    expect((err as Error).message).not.toContain('4242');
    expect(calls).toEqual([['continueChat', 'error', expect.any(Number)]]);
  });
});

describe('network failures (real sockets)', () => {
  let server: http.Server;
  let url: string;
  const hanging: http.ServerResponse[] = [];

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    // A Typebot that accepts the request and never answers.
    server = http.createServer((_req, res) => void hanging.push(res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const res of hanging) res.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    nock.disableNetConnect();
  });

  test('a call slower than timeoutMs fails the flow, reported as an error after about that long', async () => {
    const calls: Array<[TypebotEndpoint, TypebotCallOutcome, number]> = [];
    const c = new TypebotClient({ baseUrl: url, timeoutMs: 150, onCall: (...a) => calls.push(a) });
    const err = await c.continueChat('s').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowFailedError);
    expect((err as Error).message).toMatch(/timed out after 150 ms/);
    expect(calls).toHaveLength(1);
    expect(calls[0][1]).toBe('error');
    expect(calls[0][2]).toBeGreaterThanOrEqual(0.14);
    expect(calls[0][2]).toBeLessThan(2);
  });

  test('a refused connection is FlowFailedError without status', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await new TypebotClient({ baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2000 })
      .continueChat('s')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowFailedError);
    expect((err as FlowFailedError).status).toBeUndefined();
    expect((err as Error).message).toMatch(/unreachable: ECONNREFUSED/);
  });
});
