/**
 * Echo suppression by WhatsApp message id, whatever chat the echo carries (issue 15, point 2): a number
 * WhatsApp Web knows by linked id echoes our send to `<digits>@c.us` under `<lid>@lid`, and (wa-js waits
 * for the server ack before its send returns) before Ponte has the id. Real Redis, the strict Chatwoot fake.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912600001';
const PEER_JID = '351912600001@c.us';
const OTHER = '+351912600002';
const REPLY = 'Obrigado pelo contacto, já tratamos';

describe('own sends echoed under a linked id before the send returns', () => {
  let h: Harness;
  beforeAll(async () => {
    // Acks a while apart: the send stays unanswered for that long after its echo came.
    h = await startRelayHarness({ session: { simulator: { ackIntervalMs: 400 } } });
  });
  afterAll(async () => h?.stop());

  test("the agent's reply is in Chatwoot once; the same text typed on the phone in another chat meanwhile is still relayed", async () => {
    const first = h.inject({ from: PEER, type: 'text', text: 'Olá', pushName: 'Cliente' });
    const conversationId = (await h.waitMessage(first)).conversation_id;
    // The other chat exists already, so its phone-typed message has a conversation to land in.
    const otherConversation = (await h.waitMessage(h.inject({ from: OTHER, type: 'text', text: 'Boa tarde', pushName: 'Outro' })))
      .conversation_id;
    const sim = h.sim();
    const lid = sim.knowByLid(PEER);
    sim.waitForAck = true;
    // The echo is recognised either as our own send or, once the reply is recorded, as already relayed.
    const recognised = async () =>
      (await h.metric('ponte_events_ignored_total', { reason: 'own_echo' })) +
      (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' }));
    const recognisedBefore = await recognised();

    const reply = await h.chatwoot.agentMessage(conversationId, { content: REPLY });
    const sent = await waitFor(() => sim.sent().find((s) => s.message.text === REPLY), 5000, 5, 'the reply handed to WhatsApp');
    expect(sent.message.chatId).toBe(PEER_JID);
    // While the send waits for its ack, the phone's owner types the same words to someone else.
    const typed = h.inject({ from: OTHER, fromMe: true, type: 'text', text: REPLY });

    await waitFor(
      async () => (await h.daemon.relay!.inbound.idMap.byCw('main', reply.id))?.waId === sent.id,
      5000,
      20,
      'the reply recorded with its WhatsApp id',
    );
    const typedInChatwoot = await h.waitMessage(typed);
    expect(typedInChatwoot).toMatchObject({ conversation_id: otherConversation, content: REPLY, message_type: 'outgoing', private: false });
    await waitFor(async () => (await recognised()) === recognisedBefore + 1, 5000, 20, 'the echo recognised as ours');

    // The echo really came under the lid, and it did not become a message "typed on the phone".
    expect((await sim.recentMessages(PEER_JID, 0)).find((m) => m.id === sent.id)?.chatId).toBe(lid);
    await sleep(300);
    expect(h.messagesFor(sent.id)).toEqual([]);
    expect(h.chatwoot.messages().filter((m) => m.conversation_id === conversationId && m.content === REPLY)).toHaveLength(1);
    expect(h.chatwoot.messages().filter((m) => m.content === REPLY)).toHaveLength(2);
    expect(sim.sent().filter((s) => s.message.text === REPLY)).toHaveLength(1);
  });
});
