/**
 * ChatwootRealtime: frames to claimed, persisted agent events, in order, with a sweep of Chatwoot before
 * any frame after each (re)subscription. Real sockets to the fake ActionCable server; Chatwoot's REST and
 * Ponte's intake are stubs.
 */
import pino from 'pino';
import type { AgentEvent } from '../../../src/core/agent-messages';
import { ChatwootRealtime } from '../../../src/chatwoot/realtime/realtime-intake';
import type { CwConversation } from '../../../src/chatwoot/types';
import { createMetrics } from '../../../src/observability/metrics';
import { ActionCableFake } from '../../fakes/actioncable';
import { sleep, waitFor } from '../../helpers/wait';

const TOKEN = 'pubsub-abc';

function push(id: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    content: `msg ${id}`,
    account_id: 1,
    inbox_id: 3,
    conversation_id: 42,
    message_type: 1,
    created_at: 1776679200,
    private: false,
    source_id: null,
    content_attributes: {},
    conversation: { contact_inbox: { source_id: '351912000001@c.us' } },
    ...over,
  };
}

interface Rig {
  fake: ActionCableFake;
  rt: ChatwootRealtime;
  log: string[];
  claimed: Set<string>;
  metrics: ReturnType<typeof createMetrics>;
  profileCalls: () => number;
  wakes: () => number;
  failPersist: (on: boolean) => void;
  /** Changes the pubsub_token the server accepts (a rotated token). */
  rotate: (token: string) => void;
}

const rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs.splice(0)) {
    await r.rt.stop();
    await r.fake.close();
  }
});

async function rig(
  opts: { sweepMs?: number; lookupMs?: number; profile?: () => Promise<{ id: number; pubsub_token?: string }> } = {},
): Promise<Rig> {
  let token = TOKEN;
  const fake = new ActionCableFake({
    pingIntervalMs: 100,
    authorize: (p) => p.pubsub_token === token && p.user_id === 9 && p.account_id === 1,
  });
  const url = await fake.listen();
  const log: string[] = [];
  const claimed = new Set<string>();
  const metrics = createMetrics({ version: 'test' });
  let profileCalls = 0;
  let wakes = 0;
  let failPersist = false;
  const rt = new ChatwootRealtime({
    client: {
      profile:
        opts.profile ??
        (async () => {
          profileCalls += 1;
          return { id: 9, pubsub_token: TOKEN, accounts: [{ id: 1 }] };
        }),
      async getConversation(id: number): Promise<CwConversation> {
        log.push(`lookup:${id}`);
        await sleep(opts.lookupMs ?? 0);
        return { id, inbox_id: 3, status: 'open', meta: { sender: { id: 5, phone_number: '+351912000002' } } };
      },
    },
    accountId: 1,
    url,
    staleAfterMs: 2000,
    subscribeTimeoutMs: 2000,
    reconnect: { baseMs: 20, maxMs: 100 },
    // Like the real intake: the keys are claimed and the event persisted in one step, or neither happens.
    sink: {
      async persistOnce(event: AgentEvent, keys: string[]) {
        if (failPersist) {
          log.push(`not-persisted:${keys.join(',')}`);
          throw new Error('redis is down');
        }
        if (keys.some((k) => claimed.has(k))) return 'duplicate';
        for (const k of keys) claimed.add(k);
        if (event.type === 'send') log.push(`send:${event.message.id}:${event.message.contactPhone ?? event.message.chatKey}`);
        else log.push(event.type);
        return 'queued';
      },
    },
    inboxMapped: (id) => id === 3,
    sweep: async () => {
      log.push('sweep:start');
      await sleep(opts.sweepMs ?? 0);
      log.push('sweep:end');
    },
    wake: () => {
      wakes += 1;
    },
    metrics,
    logger: pino({ level: 'silent' }),
  });
  const r: Rig = {
    fake,
    rt,
    log,
    claimed,
    metrics,
    profileCalls: () => profileCalls,
    wakes: () => wakes,
    failPersist: (on) => {
      failPersist = on;
    },
    rotate: (t) => {
      token = t;
    },
  };
  rigs.push(r);
  return r;
}

const gauge = async (r: Rig, name: string) => (await r.metrics.registry.getSingleMetric(name)!.get()).values[0]?.value ?? 0;

describe('ChatwootRealtime', () => {
  test('every subscription first sweeps Chatwoot; frames arriving meanwhile wait behind the sweep', async () => {
    const r = await rig({ sweepMs: 150 });
    r.rt.start();
    await waitFor(() => r.rt.live(), 5000, 5);
    expect(await gauge(r, 'ponte_chatwoot_realtime_connected')).toBe(1);
    r.fake.broadcast('message.created', push(1001));
    await waitFor(() => r.log.includes('send:1001:351912000001@c.us'), 2000, 5);
    expect(r.log).toEqual(['sweep:start', 'sweep:end', 'send:1001:351912000001@c.us']);
    expect(await gauge(r, 'ponte_chatwoot_realtime_events_total')).toBe(1);
  });

  test('frames are handled one at a time in arrival order, even when one waits for a conversation lookup', async () => {
    const r = await rig({ lookupMs: 100 });
    r.rt.start();
    await waitFor(() => r.rt.live(), 5000, 5);
    r.fake.broadcast('message.created', push(1001, { conversation: { contact_inbox: { source_id: 'b1946ac9-uuid' } } }));
    r.fake.broadcast('message.created', push(1002));
    r.fake.broadcast('message.updated', push(1001, { content_attributes: { deleted: true } }));
    await waitFor(() => r.log.filter((l) => !l.startsWith('sweep')).length === 4, 2000, 5);
    expect(r.log.filter((l) => !l.startsWith('sweep'))).toEqual([
      'lookup:42',
      'send:1001:+351912000002',
      'send:1002:351912000001@c.us',
      'delete',
    ]);
  });

  test("an event already claimed (it came by webhook too) is not queued twice; ignored ones are counted like the webhook's", async () => {
    const r = await rig();
    r.rt.start();
    await waitFor(() => r.rt.live(), 5000, 5);
    r.fake.broadcast('message.created', push(1001));
    r.fake.broadcast('message.created', push(1001));
    r.fake.broadcast('message.created', push(1003, { private: true }));
    r.fake.broadcast('message.created', push(1004, { inbox_id: 8 }));
    r.fake.broadcast('message.created', push(1005, { account_id: 2 }));
    await sleep(200);
    await r.rt.idle();
    expect(r.log.filter((l) => l.startsWith('send'))).toEqual(['send:1001:351912000001@c.us']);
    expect((await r.metrics.dedupeHits.get()).values.find((v) => v.labels.direction === 'outbound')?.value).toBe(1);
    expect((await r.metrics.ignored.get()).values.map((v) => [v.labels.reason, v.value])).toEqual([['private_note', 1]]);
  });

  test('an event that cannot be queued is not claimed either and is left to a sweep that runs before the next frame', async () => {
    const r = await rig();
    r.rt.start();
    await waitFor(() => r.rt.live(), 5000, 5);
    await r.rt.idle();
    r.log.length = 0;
    r.failPersist(true);
    r.fake.broadcast('message.created', push(1001));
    await waitFor(() => r.log.includes('not-persisted:created:1001'), 2000, 5);
    r.failPersist(false);
    r.fake.broadcast('message.created', push(1002));
    await waitFor(() => r.log.some((l) => l.startsWith('send:1002')), 2000, 5);
    expect(r.log).toEqual(['not-persisted:created:1001', 'sweep:start', 'sweep:end', 'send:1002:351912000001@c.us']);
    expect(r.claimed.has('created:1001')).toBe(false);
  });

  test('a drop wakes the poll; the resubscription sweeps again; the gauge follows', async () => {
    const r = await rig();
    r.rt.start();
    await waitFor(() => r.rt.live(), 5000, 5);
    r.fake.refuse(true);
    r.fake.dropAll();
    await waitFor(() => !r.rt.live(), 2000, 5);
    expect(r.wakes()).toBe(1);
    expect(await gauge(r, 'ponte_chatwoot_realtime_connected')).toBe(0);
    await waitFor(() => r.rt.status().reconnects >= 2, 2000, 5);
    expect(r.rt.status()).toMatchObject({ state: 'disconnected', lastError: expect.stringContaining('503') });
    r.fake.refuse(false);
    await waitFor(() => r.rt.live(), 5000, 5);
    await r.rt.idle();
    expect(r.log.filter((l) => l === 'sweep:end')).toHaveLength(2);
    expect(await gauge(r, 'ponte_chatwoot_realtime_reconnects_total')).toBeGreaterThanOrEqual(2);
    // Read at every connection: Chatwoot answers a subscription with a rotated-away token with silence.
    expect(r.profileCalls()).toBe(3);
  });

  test('a rejected subscription reads the profile again (the pubsub_token may have been rotated)', async () => {
    const r = await rig();
    r.rt.start();
    await waitFor(() => r.rt.live(), 5000, 5);
    r.rotate('a-new-token');
    r.fake.dropAll();
    await waitFor(() => r.rt.status().state === 'rejected', 2000, 5);
    await waitFor(() => r.profileCalls() >= 2, 2000, 5);
  });

  test('a profile without pubsub_token (not a user token) never connects, and says why', async () => {
    const r = await rig({ profile: async () => ({ id: 9 }) });
    r.rt.start();
    await waitFor(() => r.rt.status().reconnects >= 1, 2000, 5);
    expect(r.rt.status().lastError).toContain('no pubsub_token');
    expect(r.fake.upgrades()).toEqual([]);
  });
});
