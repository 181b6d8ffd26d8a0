/**
 * The ActionCable client against the fake ActionCable server (real sockets on localhost): subscription,
 * keepalive, and reconnects with backoff and jitter.
 */
import { CableClient, type CableClientOptions, type CableState } from '../../../src/chatwoot/realtime/cable-client';
import { roomIdentifier } from '../../../src/chatwoot/realtime/frames';
import { ActionCableFake, type ActionCableFakeOptions } from '../../fakes/actioncable';
import { sleep, waitFor } from '../../helpers/wait';

const IDENTIFIER = roomIdentifier({ pubsubToken: 'tok', accountId: 1, userId: 1 });

interface Rig {
  fake: ActionCableFake;
  client: CableClient;
  states: CableState[];
  messages: unknown[];
  retries: Array<{ failures: number; delayMs: number; reason: string }>;
  identifierCalls: () => number;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.client.stop();
    await r.fake.close();
  }
});

async function rig(opts: Partial<CableClientOptions> = {}, fakeOpts: ActionCableFakeOptions = {}): Promise<Rig> {
  const fake = new ActionCableFake({ pingIntervalMs: 100, authorize: (p) => p.pubsub_token === 'tok', ...fakeOpts });
  const url = await fake.listen();
  let calls = 0;
  const client = new CableClient({
    url,
    headers: { Origin: 'http://chatwoot.test' },
    identifier: async () => {
      calls += 1;
      return IDENTIFIER;
    },
    staleAfterMs: 1000,
    subscribeTimeoutMs: 1000,
    reconnect: { baseMs: 20, maxMs: 160 },
    random: () => 1,
    ...opts,
  });
  const r: Rig = { fake, client, states: [], messages: [], retries: [], identifierCalls: () => calls };
  client.on('state', (s) => r.states.push(s));
  client.on('message', (m) => r.messages.push(m));
  client.on('retry', (info) => r.retries.push(info));
  rigs.push(r);
  return r;
}

const subscribed = (r: Rig) => waitFor(() => r.client.state() === 'subscribed', 5000, 5, 'subscribed');

describe('CableClient', () => {
  test('subscribes after the welcome with the actioncable-v1-json subprotocol, then passes broadcasts on', async () => {
    const r = await rig();
    r.client.start();
    await subscribed(r);
    expect(r.states).toEqual(['connecting', 'connected', 'subscribed']);
    expect(r.fake.upgrades()).toEqual([
      expect.objectContaining({ origin: 'http://chatwoot.test', protocols: ['actioncable-v1-json'], outcome: 'accepted' }),
    ]);
    expect(r.fake.commands()).toEqual([expect.objectContaining({ command: 'subscribe', identifier: IDENTIFIER })]);
    expect(r.fake.broadcast('message.created', { id: 1 })).toBe(1);
    await waitFor(() => r.messages.length === 1, 2000, 5);
    expect(r.messages).toEqual([{ event: 'message.created', data: { id: 1 } }]);
  });

  test('pings keep a quiet connection alive', async () => {
    const r = await rig({ staleAfterMs: 300 });
    r.client.start();
    await subscribed(r);
    await sleep(1000);
    expect(r.client.state()).toBe('subscribed');
    expect(r.retries).toEqual([]);
    expect(r.client.status().lastFrameAt).toBeGreaterThan(Date.now() - 300);
  });

  test('a dropped connection is reopened and resubscribed', async () => {
    const r = await rig();
    r.client.start();
    await subscribed(r);
    r.fake.dropAll();
    await waitFor(() => r.retries.length === 1, 2000, 5);
    expect(r.retries[0]).toMatchObject({ failures: 1, delayMs: 20 });
    await subscribed(r);
    expect(r.fake.commands().filter((c) => c.command === 'subscribe')).toHaveLength(2);
    expect(r.client.status()).toMatchObject({ state: 'subscribed', reconnects: 1, failures: 0 });
    r.fake.broadcast('message.created', { id: 2 });
    await waitFor(() => r.messages.length === 1, 2000, 5);
  });

  test('while refused, attempts back off exponentially up to the cap; a subscription resets the backoff', async () => {
    const r = await rig();
    r.client.start();
    await subscribed(r);
    r.fake.refuse(true);
    r.fake.dropAll();
    await waitFor(() => r.retries.length >= 6, 5000, 5);
    // random = 1 gives the top of each jitter window: base * 2^n, capped.
    expect(r.retries.slice(0, 6).map((x) => x.delayMs)).toEqual([20, 40, 80, 160, 160, 160]);
    expect(r.retries[1].reason).toContain('503');
    expect(r.client.state()).toBe('disconnected');
    r.fake.refuse(false);
    await subscribed(r);
    const n = r.retries.length;
    r.fake.dropAll();
    await waitFor(() => r.retries.length > n, 2000, 5);
    expect(r.retries[n].delayMs).toBe(20);
  });

  test('the jitter spreads delays within [exp/2, exp]', async () => {
    const r = await rig({ random: () => 0 });
    r.fake.refuse(true);
    r.client.start();
    await waitFor(() => r.retries.length >= 5, 5000, 5);
    expect(r.retries.slice(0, 5).map((x) => x.delayMs)).toEqual([10, 20, 40, 80, 80]);
  });

  test('a rejected subscription is reported and retried with a fresh identifier', async () => {
    const r = await rig({}, { authorize: () => false });
    r.client.start();
    await waitFor(() => r.retries.length >= 2, 5000, 5);
    expect(r.states).toContain('rejected');
    expect(r.retries[0].reason).toContain('subscription rejected');
    expect(r.identifierCalls()).toBeGreaterThanOrEqual(2);
    expect(r.client.state()).not.toBe('subscribed');
  });

  test('a silent connection (no ping, no confirm) is declared dead and replaced', async () => {
    // The subscribe timeout is the shorter one, so a new silent connection is always told apart by it.
    const r = await rig({ staleAfterMs: 250, subscribeTimeoutMs: 200 });
    r.client.start();
    await subscribed(r);
    r.fake.stall(true);
    await waitFor(() => r.retries.length >= 1, 3000, 5);
    expect(r.retries[0].reason).toBe('no frame for 250 ms');
    // The next connection gets nothing either: no welcome, so no confirmation in time.
    await waitFor(() => r.retries.length >= 2, 3000, 5);
    expect(r.retries[1].reason).toBe('no confirm_subscription within 200 ms');
    r.fake.stall(false);
    await subscribed(r);
  });

  test("ActionCable's disconnect frame (server restart) leads to a reconnect", async () => {
    const r = await rig();
    r.client.start();
    await subscribed(r);
    r.fake.dropAll('restart');
    await waitFor(() => r.retries.length === 1, 2000, 5);
    expect(r.retries[0].reason).toBe('server disconnected: server_restart');
    await subscribed(r);
  });

  test('an identifier that cannot be had (profile unreachable) is retried with backoff', async () => {
    let fail = 3;
    const r = await rig({
      identifier: async () => {
        if (fail-- > 0) throw new Error('GET /api/v1/profile: 502');
        return IDENTIFIER;
      },
    });
    r.client.start();
    await subscribed(r);
    expect(r.retries.map((x) => x.delayMs)).toEqual([20, 40, 80]);
    expect(r.retries[0].reason).toBe('cannot subscribe: GET /api/v1/profile: 502');
    expect(r.fake.upgrades()).toHaveLength(1);
  });

  test('stop() closes the socket and cancels any reconnect', async () => {
    const r = await rig();
    r.client.start();
    await subscribed(r);
    await r.client.stop();
    expect(r.client.state()).toBe('stopped');
    await waitFor(() => r.fake.connections() === 0, 2000, 5);
    await sleep(200);
    expect(r.fake.upgrades()).toHaveLength(1);
    expect(r.retries).toEqual([]);
  });
});
