/**
 * Sends whose outcome is unknown (issue 15, point 9): every send has a deadline (sessions[].sendTimeoutMs),
 * and before a retry Ponte looks for its own message in the chat, so the customer never gets it twice.
 * The simulator plays wppconnect's send: it waits for the server ack (wa-js `waitForAck`), which never
 * comes (wa-js issue 1187), while the message itself reaches the customer.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912700001';
const PEER_JID = '351912700001@c.us';

describe('a send whose outcome is unknown is looked for before it is sent again', () => {
  let h: Harness;
  let conversationId: number;
  beforeAll(async () => {
    h = await startRelayHarness({ session: { sendTimeoutMs: 400 } });
    conversationId = (await h.waitMessage(h.inject({ from: PEER, type: 'text', text: 'Olá', pushName: 'Cliente' }))).conversation_id;
  });
  afterAll(async () => h?.stop());

  const sentText = (text: string) =>
    h
      .sim()
      .sent()
      .filter((s) => s.message.chatId === PEER_JID && s.message.text === text);
  const waIdOf = async (cwId: number) => (await h.daemon.relay!.inbound.idMap.byCw('main', cwId))?.waId;

  test('a send that never answers: past its deadline the message is found in the chat and adopted, not sent again', async () => {
    const sim = h.sim();
    sim.waitForAck = true;
    sim.acksWithheld = true;
    try {
      const reply = await h.chatwoot.agentMessage(conversationId, { content: 'A sua encomenda segue hoje' });
      const waId = await waitFor(() => waIdOf(reply.id), 10_000, 25, 'the reply recorded with a WhatsApp id');
      const sent = sentText('A sua encomenda segue hoje');
      expect(sent).toHaveLength(1);
      expect(waId).toBe(sent[0].id);
      // Its echo is ours: not a message "typed on the phone".
      await sleep(500);
      expect(h.messagesFor(waId)).toEqual([]);
      expect(h.chatwoot.messages().filter((m) => m.content === 'A sua encomenda segue hoje')).toHaveLength(1);
    } finally {
      sim.acksWithheld = false;
      sim.waitForAck = false;
    }
  });

  test('a send that fails after the message went: the retry finds it; the customer gets it once, with its ticks', async () => {
    const sim = h.sim();
    const realSend = sim.send.bind(sim);
    let calls = 0;
    sim.send = async (m) => {
      calls += 1;
      const result = await realSend(m);
      if (calls === 1) throw new Error('socket hang up');
      return result;
    };
    try {
      const reply = await h.chatwoot.agentMessage(conversationId, { content: 'Já enviámos o código' });
      await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 10_000, 25, 'the reply read');
      const sent = sentText('Já enviámos o código');
      expect(sent).toHaveLength(1);
      expect(await waIdOf(reply.id)).toBe(sent[0].id);
      expect(calls).toBe(1);
    } finally {
      sim.send = realSend;
    }
  });

  test('a send that certainly failed (nothing in the chat) is sent again', async () => {
    const sim = h.sim();
    const realSend = sim.send.bind(sim);
    let calls = 0;
    sim.send = async (m) => {
      calls += 1;
      if (calls === 1) throw new Error('connection dropped before sending');
      return realSend(m);
    };
    try {
      const reply = await h.chatwoot.agentMessage(conversationId, { content: 'Segunda tentativa' });
      await waitFor(() => waIdOf(reply.id), 10_000, 25, 'the reply recorded with a WhatsApp id');
      expect(calls).toBe(2);
      expect(sentText('Segunda tentativa')).toHaveLength(1);
    } finally {
      sim.send = realSend;
    }
  });
});
