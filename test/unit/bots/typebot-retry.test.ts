import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { nockOffline } from '../../helpers/nock-offline';
import { FlowFailedError, FlowGoneError } from '../../../src/bots/ports';
import { TypebotClient } from '../../../src/typebot/client';
import { TypebotUnavailableError } from '../../../src/typebot/errors';
import { parseRetryAfter } from '../../../src/core/retry-after';

const BASE = 'https://bot.example.com';
const CONTINUE = '/api/v1/sessions/s1/continueChat';
const START = '/api/v1/typebots/b/startChat';
const orpc = (status: number, message: string) => ({ defined: false, code: 'X', status, message });
const startBody = { sessionId: 's1', typebot: { id: 't1' }, messages: [] };

/** A client whose waits are recorded, not slept: `slept` says what it waited, in order. */
function client(retryForMs: number): { c: TypebotClient; slept: number[] } {
  const slept: number[] = [];
  const c = new TypebotClient({ baseUrl: BASE, timeoutMs: 2000, retryForMs, sleep: async (ms) => void slept.push(ms) });
  return { c, slept };
}

nockOffline();

describe('Typebot calls retried within typebot.bots.<name>.retryForMs', () => {
  test.each([429, 500, 502, 503, 408])('%i is retried and the call succeeds', async (status) => {
    nock(BASE).post(CONTINUE).reply(status, orpc(status, 'busy')).post(CONTINUE).reply(200, { messages: [] });
    const { c, slept } = client(30_000);
    await expect(c.continueChat('s1', { message: { type: 'text', text: 'oi' } })).resolves.toEqual({ messages: [] });
    expect(slept).toHaveLength(1);
  });

  test('Retry-After (seconds) is waited at least', async () => {
    nock(BASE).post(CONTINUE).reply(429, orpc(429, 'slow down'), { 'Retry-After': '3' }).post(CONTINUE).reply(200, { messages: [] });
    const { c, slept } = client(30_000);
    await c.continueChat('s1');
    expect(slept[0]).toBeGreaterThanOrEqual(3000);
  });

  test('a Retry-After beyond the budget fails the call at once, without waiting', async () => {
    nock(BASE).post(CONTINUE).reply(503, orpc(503, 'maintenance'), { 'Retry-After': '120' });
    const { c, slept } = client(30_000);
    const err = await c.continueChat('s1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FlowFailedError);
    expect((err as FlowFailedError).status).toBe(503);
    expect(slept).toEqual([]);
  });

  test('an outage outlasting the budget ends with the last error, saying how many times and for how long it was tried', async () => {
    nock(BASE).post(CONTINUE).times(50).reply(503, orpc(503, 'down'));
    // The budget counts real elapsed time: these waits are real, and short.
    const slept: number[] = [];
    const c = new TypebotClient({
      baseUrl: BASE,
      timeoutMs: 2000,
      retryForMs: 1200,
      sleep: (ms) => new Promise((r) => setTimeout(r, (slept.push(ms), ms))),
    });
    const err = await c.continueChat('s1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypebotUnavailableError);
    expect((err as Error).message).toMatch(/failed with 503: down \(tried \d+ times over [\d.]+ s\)/);
    // Never a wait that would end past the budget.
    expect(slept.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1200);
  });

  test('no budget (the default): no retry', async () => {
    nock(BASE).post(CONTINUE).reply(503, orpc(503, 'down'));
    const { c, slept } = client(0);
    await expect(c.continueChat('s1')).rejects.toBeInstanceOf(FlowFailedError);
    expect(slept).toEqual([]);
  });

  test.each([
    [400, FlowFailedError],
    [403, FlowFailedError],
    [404, FlowGoneError],
  ])('%i is final: never retried', async (status, kind) => {
    nock(BASE).post(CONTINUE).reply(status, orpc(status, 'no'));
    const { c, slept } = client(30_000);
    await expect(c.continueChat('s1')).rejects.toBeInstanceOf(kind);
    expect(slept).toEqual([]);
  });

  test('a 504 (a proxy that stopped waiting: Typebot may have taken the answer) is not sent again for continueChat, but is for startChat', async () => {
    nock(BASE).post(CONTINUE).reply(504, orpc(504, 'gateway timeout'));
    const { c, slept } = client(30_000);
    await expect(c.continueChat('s1', { message: { type: 'text', text: 'oi' } })).rejects.toBeInstanceOf(FlowFailedError);
    expect(slept).toEqual([]);
    nock(BASE).post(START).reply(504, orpc(504, 'gateway timeout')).post(START).reply(200, startBody);
    await expect(c.startChat('b')).resolves.toMatchObject({ sessionId: 's1' });
    expect(slept).toHaveLength(1);
  });
});

describe('connection failures (real sockets)', () => {
  beforeAll(() => nock.enableNetConnect('127.0.0.1'));
  afterAll(() => nock.disableNetConnect());

  async function listen(handler?: http.RequestListener): Promise<{ url: string; close: () => Promise<void> }> {
    const server = http.createServer(handler);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return {
      url,
      close: () =>
        new Promise<void>((r) => {
          server.closeAllConnections();
          server.close(() => r());
        }),
    };
  }

  test('a refused connection is retried (the request never reached Typebot)', async () => {
    const gone = await listen();
    await gone.close();
    // Refused every time: stop after the third attempt's failure, from its wait.
    let waits = 0;
    const c = new TypebotClient({
      baseUrl: gone.url,
      timeoutMs: 2000,
      retryForMs: 30_000,
      sleep: async () => {
        if (++waits >= 3) throw new Error('stop');
      },
    });
    await expect(c.continueChat('s1', { message: { type: 'text', text: 'oi' } })).rejects.toThrow('stop');
    expect(waits).toBe(3);
  });

  test('a connection cut after the request went out is not sent again for continueChat', async () => {
    let requests = 0;
    const cutting = await listen((req) => {
      requests += 1;
      req.socket.destroy();
    });
    const c = new TypebotClient({ baseUrl: cutting.url, timeoutMs: 2000, retryForMs: 30_000, sleep: async () => undefined });
    await expect(c.continueChat('s1', { message: { type: 'text', text: 'oi' } })).rejects.toThrow(/unreachable/);
    expect(requests).toBe(1);
    await cutting.close();
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  test('delay-seconds, an HTTP-date, or nothing', () => {
    const now = Date.parse('2026-05-01T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter('Fri, 01 May 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Fri, 01 May 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
