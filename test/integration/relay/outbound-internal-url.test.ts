/**
 * Inside docker compose Ponte reaches Chatwoot at http://rails:3000, while Chatwoot names itself by its
 * FRONTEND_URL in every attachment link. With chatwoot.internalUrl the agent's files still arrive: the
 * links are fetched where Chatwoot is reachable, the API goes there too, and nothing is sent to the
 * public name this network cannot resolve.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

// .invalid never resolves (RFC 2606): a fetch there could only fail.
const PUBLIC = 'http://chatwoot.public.invalid:3000';

describe('Chatwoot reached at an internal URL (docker compose)', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.stop();
  });

  test("an agent's attachment, linked on Chatwoot's public URL, reaches WhatsApp intact", async () => {
    h = await startRelayHarness({ chatwootPublicUrl: PUBLIC });
    const waId = h.inject({ from: '+351912300077', type: 'text', text: 'Envie a fatura, por favor', pushName: 'Cliente' });
    const conversationId = (await h.waitMessage(waId)).conversation_id;
    const pdf = Buffer.from('%PDF-1.4 fatura de teste');
    const reply = await h.chatwoot.agentMessage(conversationId, {
      content: 'Aqui está',
      attachments: [{ filename: 'fatura.pdf', content_type: 'application/pdf', data: pdf }],
    });
    // What Chatwoot told Ponte: a link on its public name.
    const told = await waitFor(
      () => h.chatwoot.webhookDeliveries().find((d) => (d.payload as unknown as { id?: number }).id === reply.id),
      5000,
    );
    expect(
      (told.payload as unknown as { attachments: Array<{ data_url: string }> }).attachments[0].data_url.startsWith(
        `${PUBLIC}/rails/active_storage/`,
      ),
    ).toBe(true);
    const sent = await waitFor(
      () =>
        h
          .sim()
          .sent()
          .find((s) => s.message.kind === 'document'),
      10_000,
      25,
      'the document on WhatsApp',
    );
    expect(sent.message).toMatchObject({ kind: 'document', chatId: '351912300077@c.us', media: { filename: 'fatura.pdf' } });
    expect(Buffer.from(sent.message.media!.base64, 'base64').equals(pdf)).toBe(true);
    await waitFor(() => h.chatwoot.messages().find((m) => m.id === reply.id)?.status === 'read', 5000);
    expect(h.chatwoot.rejections()).toEqual([]);
  });
});
