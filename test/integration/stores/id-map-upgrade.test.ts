import Redis from 'ioredis';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';
import { decodeHelpdesk, decodeWhatsApp } from '../../../src/store/id-map-codec';

const PEER = '+351912700001';
const PEER_JID = '351912700001@c.us';
const P = 'ponte:';

/**
 * Rewrites the id map as the version before the compact layout kept it: JSON values, one key per Chatwoot
 * id (`map:cw:<session>:<id>`), taken-in marks under `known:`. The literal formats here are that version's.
 */
async function toPreviousFormat(redis: Redis): Promise<void> {
  for (const key of await redis.keys(`${P}map:wa:*`)) {
    const [v, ttl] = await Promise.all([redis.get(key), redis.ttl(key)]);
    if (v === '1') {
      await redis.del(key);
      await redis.set(`${P}known:${key.slice(`${P}map:wa:`.length)}`, '1', 'EX', ttl);
      continue;
    }
    const ref = decodeHelpdesk(v);
    await redis.set(key, JSON.stringify(ref === 'handled' ? { handled: true } : ref), 'EX', ttl);
  }
  for (const bucket of await redis.keys(`${P}map:cwb:*`)) {
    const session = bucket.split(':')[3];
    for (const [cwId, v] of Object.entries(await redis.hgetall(bucket))) {
      const wa = decodeWhatsApp(v)!;
      await redis.set(`${P}map:cw:${session}:${cwId}`, JSON.stringify({ chatId: wa.chatId, waId: wa.waId }), 'EX', 90 * 86400);
    }
    await redis.del(bucket);
  }
}

describe('the id map after an upgrade from the previous layout', () => {
  let h: Harness;
  let redis: Redis;
  afterEach(async () => {
    redis?.disconnect();
    await h?.stop();
  });

  test('what the previous version recorded is still deduplicated, quoted and ticked: nothing is relayed or sent twice', async () => {
    h = await startRelayHarness();
    redis = new Redis(h.redis.url);
    // Before the upgrade: a customer's message relayed, an agent's reply sent (its ticks still to come).
    const waId = h.inject({ from: PEER, type: 'text', text: 'Olá' });
    const incoming = await h.waitMessage(waId);
    h.sim().acksWithheld = true;
    const reply = await h.chatwoot.agentMessage(incoming.conversation_id, { content: 'Bom dia' });
    const sent = await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === 'Bom dia'),
      5000,
    );
    await waitFor(async () => (await h.daemon.relay!.inbound.idMap.byCw('main', reply.id))?.waId === sent.id, 5000);
    await h.daemon.stop();

    await toPreviousFormat(redis);
    expect(await redis.keys(`${P}map:cwb:*`)).toEqual([]);
    expect(JSON.parse((await redis.get(`${P}map:cw:main:${reply.id}`))!)).toEqual({ chatId: PEER_JID, waId: sent.id });
    expect(JSON.parse((await redis.get(`${P}map:wa:main:${waId}`))!)).toEqual({
      conversationId: incoming.conversation_id,
      messageId: incoming.id,
    });

    await h.restart();
    await waitFor(() => h.sim().state() === 'CONNECTED');
    const idMap = h.daemon.relay!.inbound.idMap;

    // WhatsApp delivers the customer's message again (the phone still has it): not relayed twice.
    h.inject({ id: waId, from: PEER, type: 'text', text: 'Olá' });
    await waitFor(async () => (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' })) >= 1, 5000);
    expect(h.messagesFor(waId)).toHaveLength(1);

    // The agent's reply comes again (a redelivery, the poll): not sent twice.
    const outbound = h.daemon.relay!.outbound.outbound;
    await outbound.enqueue({
      type: 'send',
      message: {
        id: reply.id,
        conversationId: incoming.conversation_id,
        inboxId: 1,
        chatKey: PEER_JID,
        contactPhone: PEER,
        text: 'Bom dia',
        attachments: [],
        createdAt: Math.floor(Date.now() / 1000),
      },
    });
    await waitFor(async () => (await h.metric('ponte_dedupe_hits_total', { direction: 'outbound' })) >= 1, 5000);
    await sleep(1200); // a few polls of Chatwoot too
    expect(
      h
        .sim()
        .sent()
        .filter((s) => s.message.text === 'Bom dia'),
    ).toHaveLength(0);

    // Its ticks still reach it, and the customer's quote of it points at it.
    h.daemon.relay!.outbound.acks.handle('main', { messageId: sent.id, chatId: PEER_JID, ack: 'READ' });
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    const answer = h.inject({ from: PEER, type: 'text', text: 'Obrigado', quotedId: sent.id });
    expect((await h.waitMessage(answer)).content_attributes.in_reply_to).toBe(reply.id);

    // An agent quoting the customer's old message quotes it on WhatsApp.
    await h.chatwoot.agentMessage(incoming.conversation_id, { content: 'Sobre isto', inReplyTo: incoming.id });
    const quoting = await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.text === 'Sobre isto'),
      5000,
    );
    expect(quoting.message.quotedId).toBe(waId);

    // A message the previous version had taken in (marked known) is not taken in again by catch-up.
    await redis.set(`${P}known:main:OLD-TAKEN-IN`, '1', 'EX', 3600);
    expect(await idMap.isKnown('main', 'OLD-TAKEN-IN')).toBe(true);
    expect(await idMap.isKnown('main', 'NEVER-SEEN')).toBe(false);
  });
});
