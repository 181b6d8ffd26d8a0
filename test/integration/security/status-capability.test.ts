import Redis from 'ioredis';
import pino from 'pino';
import { ChatwootClient } from '../../../src/chatwoot/client';
import { ChatwootAgentMessageSource } from '../../../src/chatwoot/agent-message-source';
import { Keys } from '../../../src/store/keys';
import { StatusUpdatesFlag } from '../../../src/store/status-updates-flag';
import { ChatwootFake } from '../../fakes/chatwoot';
import type { ChatwootFakeOptions } from '../../fakes/chatwoot';
import { startRedisServer, type TestRedis } from '../../helpers/redis-server';
import { waitFor } from '../../helpers/wait';

const logger = pino({ level: 'silent' });
let server: TestRedis;
let redis: Redis;
let prefix = 0;

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url);
});

afterAll(async () => {
  redis?.disconnect();
  await server?.stop();
});

interface Setup {
  fake: ChatwootFake;
  keys: Keys;
  client: ChatwootClient;
  /** A fresh source on the same Redis: what a restarted daemon (or another one) gets. */
  source(statusProbeAfterMs?: number): ChatwootAgentMessageSource;
  /** A new agent reply in the conversation, status "sent" until Ponte says otherwise. */
  reply(): Promise<{ conversationId: number; messageId: number }>;
  patches(): number;
}

async function setup(opts: ChatwootFakeOptions = {}): Promise<Setup> {
  const fake = new ChatwootFake(opts);
  const baseUrl = await fake.start();
  const client = new ChatwootClient({ baseUrl, accountId: 1, apiToken: fake.apiToken, timeoutMs: 2000 });
  const keys = new Keys(`status${++prefix}:`);
  const contact = await client.createContact({ inbox_id: 1, name: 'Cliente', phone_number: '+351912800001', source_id: '351912800001' });
  const conv = await client.createConversation({ source_id: '351912800001', inbox_id: 1, contact_id: contact.id });
  return {
    fake,
    keys,
    client,
    source: (statusProbeAfterMs) =>
      new ChatwootAgentMessageSource(client, new StatusUpdatesFlag(redis, keys), logger, { statusProbeAfterMs }),
    reply: async () => ({ conversationId: conv.id, messageId: (await fake.agentMessage(conv.id, { content: 'resposta' })).id }),
    patches: () => fake.requests().filter((r) => r.method === 'PATCH').length,
  };
}

const statusOf = (s: Setup, messageId: number) => s.fake.messages().find((m) => m.id === messageId)?.status;

describe('one bad message never switches delivery ticks off for the others', () => {
  const fakes: ChatwootFake[] = [];
  afterEach(async () => {
    for (const f of fakes.splice(0)) await f.stop();
  });
  const start = async (opts?: ChatwootFakeOptions) => {
    const s = await setup(opts);
    fakes.push(s.fake);
    return s;
  };

  test("a status for a message Chatwoot does not have (a forged webhook's) leaves ticks on, now and after a restart", async () => {
    const s = await start();
    const good = await s.reply();
    await s.source().setStatus({ conversationId: good.conversationId, messageId: 999_999 }, 'failed', 'whatever');
    await s.source().setStatus(good, 'delivered');
    expect(statusOf(s, good.messageId)).toBe('delivered');
    const later = await s.reply();
    await s.source().setStatus(later, 'read');
    expect(statusOf(s, later.messageId)).toBe('read');
    expect(await redis.keys(`${s.keys.prefix}flag:*`)).toEqual([]);
  });

  test('a 403 about one conversation (not "only for API inboxes") changes nothing for the others', async () => {
    const s = await start();
    const good = await s.reply();
    const bad = await s.reply();
    const fault = s.fake.fault(
      { method: 'PATCH', path: `/messages/${bad.messageId}` },
      { status: 403, body: { error: 'You are not authorized to do this action' } },
    );
    const source = s.source();
    await expect(source.setStatus(bad, 'delivered')).rejects.toThrow(/403/);
    fault.clear();
    await source.setStatus(good, 'delivered');
    expect(statusOf(s, good.messageId)).toBe('delivered');
  });

  test('a Chatwoot without the status route (before 4.2): failures become private notes, and the route is asked for again later', async () => {
    const s = await start();
    const first = await s.reply();
    // The route answers Rails' route-not-found until Chatwoot is "upgraded" (the fault cleared).
    const missing = s.fake.fault({ method: 'PATCH', path: '/messages/' }, { status: 404, body: { status: 404, error: 'Not Found' } });
    const source = s.source(300);
    await source.setStatus(first, 'failed', 'no WhatsApp account');
    const note = s.fake.messages().find((m) => m.private && m.content?.includes(`#${first.messageId}`));
    expect(note?.content).toContain('no WhatsApp account');
    const ttl = await redis.pttl(`${s.keys.prefix}flag:chatwoot-status-unsupported`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(300);
    // While the flag holds, ticks are skipped without a request.
    const before = s.patches();
    await source.setStatus(first, 'delivered');
    expect(s.patches()).toBe(before);
    missing.clear();
    // Once it expires, the next tick asks again and, Chatwoot now taking them, shows.
    const second = await s.reply();
    await waitFor(
      async () => {
        await source.setStatus(second, 'read');
        return statusOf(s, second.messageId) === 'read' || undefined;
      },
      5000,
      100,
      'the status route probed again',
    );
  });

  test('a flag without expiry left by an older Ponte is not trusted: the route is tried', async () => {
    const s = await start();
    await redis.set(`${s.keys.prefix}flag:chatwoot-status-unsupported`, '1');
    const good = await s.reply();
    await s.source().setStatus(good, 'delivered');
    expect(statusOf(s, good.messageId)).toBe('delivered');
  });

  test("the fake's Chatwoot < 4.2 mode is recognised as a missing route", async () => {
    const s = await start({ supportsStatusUpdate: false });
    const m = await s.reply();
    await s.source().setStatus(m, 'failed', 'boom');
    expect(s.fake.messages().some((x) => x.private && x.content?.includes('boom'))).toBe(true);
    expect(await redis.pttl(`${s.keys.prefix}flag:chatwoot-status-unsupported`)).toBeGreaterThan(0);
  });
});
