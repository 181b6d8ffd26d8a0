import { ADMIN_TOKEN, startRelayHarness, WEBHOOK_SECRET, type Harness } from '../../helpers/relay-harness';
import { waitFor, sleep } from '../../helpers/wait';

const PEER = '+351912300001';
const PEER_JID = '351912300001@c.us';

/** Opens the conversation the way it happens in life: the customer writes first. */
async function openConversation(h: Harness, from = PEER): Promise<{ conversationId: number; inboundCwId: number; inboundWaId: string }> {
  const waId = h.inject({ from, type: 'text', text: 'Bom dia', pushName: 'Cliente' });
  const m = await waitFor(() => h.chatwoot.messages().find((x) => x.source_id === `WAID:${waId}`), 5000);
  return { conversationId: m.conversation_id, inboundCwId: m.id, inboundWaId: waId };
}

const sentTo = (h: Harness, chatId: string) =>
  h
    .sim()
    .sent()
    .filter((s) => s.message.chatId === chatId);

describe('Chatwoot -> WhatsApp relay', () => {
  let h: Harness;
  let conv: Awaited<ReturnType<typeof openConversation>>;

  beforeAll(async () => {
    h = await startRelayHarness();
    conv = await openConversation(h);
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('an agent reply reaches WhatsApp with WhatsApp formatting, and its ticks become Chatwoot statuses', async () => {
    const before = sentTo(h, PEER_JID).length;
    // Recognised as our send by its id, or (an echo that came before the send returned waits for it) found
    // in the id map the send has written by then.
    const recognised = async () =>
      (await h.metric('ponte_events_ignored_total', { reason: 'own_echo' })) +
      (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' }));
    const echoesBefore = await recognised();
    const reply = await h.chatwoot.agentMessage(conv.conversationId, {
      content: 'Olá **João**, o seu ~~pedido~~ _encomenda_ está [aqui](https://x.pt/e/1)',
    });
    const sent = await waitFor(() => sentTo(h, PEER_JID)[before], 5000);
    expect(sent.message).toMatchObject({ kind: 'text', text: 'Olá *João*, o seu ~pedido~ _encomenda_ está aqui (https://x.pt/e/1)' });
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    // The fromMe echo of our own send is not mirrored back into Chatwoot.
    await sleep(300);
    expect(h.chatwoot.messages().filter((m) => m.source_id === `WAID:${sent.id}`)).toEqual([]);
    // It is recognised as ours (once), not merely lost.
    expect(await recognised()).toBe(echoesBefore + 1);
  });

  test('each attachment kind is sent as the right WhatsApp kind, caption on the first, bytes intact', async () => {
    const before = sentTo(h, PEER_JID).length;
    const files = [
      { filename: 'foto.png', content_type: 'image/png', data: Buffer.from('png-bytes-1') },
      { filename: 'clip.mp4', content_type: 'video/mp4', data: Buffer.from('mp4-bytes-2') },
      { filename: 'nota.ogg', content_type: 'audio/ogg', data: Buffer.from('ogg-bytes-3') },
      { filename: 'song.mp3', content_type: 'audio/mpeg', data: Buffer.from('mp3-bytes-4') },
      { filename: 'fatura.pdf', content_type: 'application/pdf', data: Buffer.from('%PDF-5') },
    ];
    await h.chatwoot.agentMessage(conv.conversationId, { content: 'Os seus ficheiros', attachments: files });
    const sent = await waitFor(() => (sentTo(h, PEER_JID).length >= before + 5 ? sentTo(h, PEER_JID).slice(before) : undefined), 5000);
    expect(sent.map((s) => s.message.kind)).toEqual(['image', 'video', 'voice', 'audio', 'document']);
    expect(sent.map((s) => Buffer.from(s.message.media!.base64, 'base64').toString())).toEqual(files.map((f) => f.data.toString()));
    expect((sent[0].message as { caption?: string }).caption).toBe('Os seus ficheiros');
    expect(sent.slice(1).every((s) => !(s.message as { caption?: string }).caption)).toBe(true);
    expect(sent[4].message.media!.filename).toBe('fatura.pdf');
  });

  test('a send failing half-way through the attachments resumes after the last one sent: no file twice, none lost', async () => {
    const sim = h.sim();
    const before = sentTo(h, PEER_JID).length;
    const realSend = sim.send.bind(sim);
    let calls = 0;
    sim.send = async (m) => {
      calls += 1;
      if (calls === 3) throw new Error('connection dropped mid-way');
      return realSend(m);
    };
    try {
      const files = ['a.png', 'b.png', 'c.png', 'd.png'].map((filename, i) => ({
        filename,
        content_type: 'image/png',
        data: Buffer.from(`img-${i}`),
      }));
      const reply = await h.chatwoot.agentMessage(conv.conversationId, { content: 'Quatro fotos', attachments: files });
      const sent = await waitFor(() => (sentTo(h, PEER_JID).length >= before + 4 ? sentTo(h, PEER_JID).slice(before) : undefined), 10000);
      await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
      await sleep(300);
      expect(calls).toBe(5);
      expect(
        sentTo(h, PEER_JID)
          .slice(before)
          .map((s) => s.message.media!.filename),
      ).toEqual(['a.png', 'b.png', 'c.png', 'd.png']);
      expect(sent.map((s) => Buffer.from(s.message.media!.base64, 'base64').toString())).toEqual(['img-0', 'img-1', 'img-2', 'img-3']);
    } finally {
      sim.send = realSend;
    }
  });

  test('a voice note with text goes as the voice note, then the text (WhatsApp audio has no caption)', async () => {
    const before = sentTo(h, PEER_JID).length;
    await h.chatwoot.agentMessage(conv.conversationId, {
      content: 'ouça isto',
      attachments: [{ filename: 'nota.ogg', content_type: 'audio/ogg', data: Buffer.from('ogg') }],
    });
    const sent = await waitFor(() => (sentTo(h, PEER_JID).length >= before + 2 ? sentTo(h, PEER_JID).slice(before) : undefined), 5000);
    expect(sent.map((s) => [s.message.kind, s.message.caption, s.message.text])).toEqual([
      ['voice', undefined, undefined],
      ['text', undefined, 'ouça isto'],
    ]);
  });

  test('a quoted reply quotes the WhatsApp message; a deletion revokes it on WhatsApp', async () => {
    const before = sentTo(h, PEER_JID).length;
    const reply = await h.chatwoot.agentMessage(conv.conversationId, { content: 'Respondendo', inReplyTo: conv.inboundCwId });
    const sent = await waitFor(() => sentTo(h, PEER_JID)[before], 5000);
    expect(sent.message).toMatchObject({ kind: 'text', text: 'Respondendo', quotedId: conv.inboundWaId });
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    await h.chatwoot.deleteMessage(conv.conversationId, reply.id);
    await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.id === sent.id)?.revoked,
      5000,
    );
  });

  test("private notes, incoming messages and Ponte's own inserts are never sent", async () => {
    const before = h.sim().sent().length;
    await h.chatwoot.agentMessage(conv.conversationId, { content: 'nota interna', private: true });
    h.inject({ from: PEER, type: 'text', text: 'mais uma pergunta' });
    await waitFor(() => h.chatwoot.messages().some((m) => m.content === 'mais uma pergunta'), 5000);
    await h.chatwoot.webhooksIdle();
    await sleep(300);
    expect(h.sim().sent().slice(before)).toEqual([]);
  });

  test('the same message_created delivered twice is sent once', async () => {
    const before = sentTo(h, PEER_JID).length;
    await h.chatwoot.agentMessage(conv.conversationId, { content: 'só uma vez' });
    await h.chatwoot.webhooksIdle();
    await h.chatwoot.redeliverLastWebhook();
    await h.chatwoot.redeliverLastWebhook();
    await waitFor(() => sentTo(h, PEER_JID).length > before, 5000);
    await sleep(400);
    expect(
      sentTo(h, PEER_JID)
        .slice(before)
        .filter((s) => (s.message as { text?: string }).text === 'só uma vez'),
    ).toHaveLength(1);
  });

  test('unauthenticated or malformed webhooks are refused', async () => {
    const url = `${h.url()}/webhooks/chatwoot`;
    const body = JSON.stringify({ event: 'message_created', id: 1 });
    const post = (headers: Record<string, string>, b = body) =>
      fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: b });
    expect((await post({})).status).toBe(401);
    expect(
      (await post({ 'X-Chatwoot-Timestamp': String(Math.floor(Date.now() / 1000)), 'X-Chatwoot-Signature': 'sha256=00' })).status,
    ).toBe(401);
    const stale = h.chatwoot.signWebhook(body, WEBHOOK_SECRET, Math.floor(Date.now() / 1000) - 3600);
    expect((await post(stale)).status).toBe(401);
    const signedWrongSecret = h.chatwoot.signWebhook(body, 'another-secret-entirely');
    expect((await post(signedWrongSecret)).status).toBe(401);
    const malformed = '{"event": "message_created", ';
    const res = await post(h.chatwoot.signWebhook(malformed, WEBHOOK_SECRET), malformed);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'malformed_json' } });
    expect(await h.metric('ponte_webhook_rejected_total')).toBeGreaterThanOrEqual(5);
  });

  test('a send that keeps failing is marked failed in Chatwoot with the reason, and lands in the DLQ', async () => {
    h.sim().failSends = 'simulated WhatsApp outage';
    try {
      const reply = await h.chatwoot.agentMessage(conv.conversationId, { content: 'isto vai falhar' });
      const failed = await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id && m.status === 'failed'), 15000);
      expect(String(failed.content_attributes.external_error)).toContain('simulated WhatsApp outage');
      const dlq = await fetch(`${h.url()}/admin/dlq?queue=outbound`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } }).then(
        (r) => r.json() as Promise<{ entries: Array<{ reason: string }> }>,
      );
      expect(dlq.entries.some((e: { reason: string }) => e.reason.includes('simulated WhatsApp outage'))).toBe(true);
    } finally {
      h.sim().failSends = undefined;
    }
  });
});
