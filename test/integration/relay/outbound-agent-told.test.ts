/**
 * What agents are told when WhatsApp does not do quite what they asked (issue 15, points 4, 13 and 15): a
 * quote WhatsApp refuses (the reply goes without it, once), a delete past WhatsApp's time limit (done on
 * this device only: the customer still has the message), a failure ack (the failed status).
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912800001';
const PEER_JID = '351912800001@c.us';

describe('agents are told what WhatsApp did with their message', () => {
  let h: Harness;
  let conversationId: number;
  beforeAll(async () => {
    h = await startRelayHarness();
    conversationId = (await h.waitMessage(h.inject({ from: PEER, type: 'text', text: 'Olá', pushName: 'Cliente' }))).conversation_id;
  });
  afterAll(async () => h?.stop());

  const notes = () => h.chatwoot.messages().filter((m) => m.conversation_id === conversationId && m.private);
  const sentText = (text: string) =>
    h
      .sim()
      .sent()
      .filter((s) => s.message.chatId === PEER_JID && s.message.text === text);

  test('a reply quoting a message the customer deleted goes without the quote, once, and a private note says so', async () => {
    const asked = h.inject({ from: PEER, type: 'text', text: 'Qual é o preço?' });
    const question = await h.waitMessage(asked);
    // The customer deletes the question for everyone: WhatsApp refuses to quote it from now on.
    h.inject({ from: PEER, type: 'revoke', targetId: asked });
    await waitFor(
      () =>
        h.messagesFor(`revoke:${asked}`).length > 0 || h.chatwoot.messages().find((m) => m.id === question.id)?.content_attributes.deleted,
      5000,
      25,
      'the deletion relayed',
    );
    const notesBefore = notes().length;

    const reply = await h.chatwoot.agentMessage(conversationId, { content: 'São 20 euros', inReplyTo: question.id });
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 10_000, 25, 'the reply read');
    const sent = sentText('São 20 euros');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ quoteDropped: true });
    expect(sent[0].message.quotedId).toBeUndefined();
    const note = await waitFor(
      () =>
        notes()
          .slice(notesBefore)
          .find((m) => m.content?.includes(`#${reply.id}`)),
      5000,
      25,
      'the note about the quote',
    );
    expect(note.content).toMatch(/without its quote/);
    await sleep(300);
    expect(notes().length).toBe(notesBefore + 1);
  });

  test('a delete past the time limit is reported as not deleted for the customer, and not recorded as revoked', async () => {
    const reply = await h.chatwoot.agentMessage(conversationId, { content: 'Mensagem antiga' });
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 10_000, 25, 'the reply read');
    const sent = sentText('Mensagem antiga')[0];
    h.sim().expireRevokeWindow();
    const notesBefore = notes().length;

    await h.chatwoot.deleteMessage(conversationId, reply.id);
    const note = await waitFor(
      () =>
        notes()
          .slice(notesBefore)
          .find((m) => m.content?.includes(`#${reply.id}`)),
      5000,
      25,
      'the note about the delete',
    );
    expect(note.content).toMatch(/NOT deleted for the customer/);
    const record = h
      .sim()
      .sent()
      .find((s) => s.id === sent.id)!;
    expect(record.revoked).toBeFalsy();
    expect(record.deletedForMe).toBe(true);
    expect(await h.daemon.relay!.inbound.idMap.isKnown('main', `revoked:${sent.id}`)).toBe(false);
    expect(await h.metric('ponte_events_ignored_total', { reason: 'revoke_too_late' })).toBe(1);
    // Chatwoot firing the same update again tells the agent nothing new.
    await h.chatwoot.redeliverLastWebhook('message_updated');
    await h.chatwoot.webhooksIdle();
    await sleep(300);
    expect(notes().length).toBe(notesBefore + 1);
  });

  test.each([-1, -4])('a failure ack (%i) marks the reply failed in Chatwoot', async (code) => {
    h.sim().failNextSend(code);
    const reply = await h.chatwoot.agentMessage(conversationId, { content: `Vai falhar ${code}` });
    const failed = await waitFor(
      () => h.chatwoot.messages().find((m) => m.id === reply.id && m.status === 'failed'),
      10_000,
      25,
      'the failed status',
    );
    expect(String(failed.content_attributes.external_error)).toMatch(/failed/);
    expect(sentText(`Vai falhar ${code}`)).toHaveLength(1);
  });
});
