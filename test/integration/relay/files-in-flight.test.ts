import { randomBytes } from 'node:crypto';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const MB = 1024 * 1024;

/** The most files the daemon held at once while `run` ran. */
async function maxInFlight(h: Harness, run: () => Promise<void>): Promise<number> {
  let max = 0;
  const timer = setInterval(() => (max = Math.max(max, h.daemon.relay!.inbound.files.inFlight())), 1);
  try {
    await run();
  } finally {
    clearInterval(timer);
  }
  return max;
}

describe('files in flight (queue.filesInFlight): a burst of big files waits its turn, none is dropped', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.stop();
  });

  test('WhatsApp -> Chatwoot: four videos at once go one at a time, each once and whole; a photo does not wait', async () => {
    h = await startRelayHarness();
    expect(h.daemon.config.queue.filesInFlight).toBe(1);
    const videos = Array.from({ length: 4 }, () => randomBytes(1.5 * MB));
    const ids: string[] = [];
    const max = await maxInFlight(h, async () => {
      for (const [i, v] of videos.entries())
        ids.push(h.inject({ from: `+35191280000${i}`, type: 'video', media: { mimetype: 'video/mp4', base64: v.toString('base64') } }));
      const photo = h.inject({
        from: '+351912800009',
        type: 'image',
        media: { mimetype: 'image/jpeg', base64: randomBytes(200 * 1024).toString('base64') },
      });
      await h.waitMessage(photo, 10_000);
      for (const id of ids) await h.waitMessage(id, 20_000);
    });
    expect(max).toBe(1);
    await sleep(300);
    for (const [i, id] of ids.entries()) {
      const [only, ...more] = h.messagesFor(id);
      expect(more).toHaveLength(0);
      expect(only.attachments).toHaveLength(1);
      expect(only.attachments[0].data.equals(videos[i])).toBe(true);
    }
    expect(h.daemon.relay!.inbound.files.inFlight()).toBe(0);
  });

  test('Chatwoot -> WhatsApp: three agents attaching big PDFs at once: sent one at a time, each once and whole', async () => {
    h = await startRelayHarness();
    const conversations: number[] = [];
    for (let i = 0; i < 3; i++) {
      const id = h.inject({ from: `+35191281000${i}`, type: 'text', text: 'Olá' });
      conversations.push((await h.waitMessage(id)).conversation_id);
    }
    const pdfs = conversations.map(() => randomBytes(1.5 * MB));
    const max = await maxInFlight(h, async () => {
      await Promise.all(
        conversations.map((c, i) =>
          h.chatwoot.agentMessage(c, {
            content: `contrato ${i}`,
            attachments: [{ filename: `contrato-${i}.pdf`, content_type: 'application/pdf', data: pdfs[i] }],
          }),
        ),
      );
      await waitFor(
        () =>
          h
            .sim()
            .sent()
            .filter((s) => s.message.kind === 'document').length >= 3,
        20_000,
      );
    });
    expect(max).toBe(1);
    await sleep(300);
    const docs = h
      .sim()
      .sent()
      .filter((s) => s.message.kind === 'document');
    expect(docs).toHaveLength(3);
    for (const [i, pdf] of pdfs.entries()) {
      const doc = docs.find((d) => d.message.caption === `contrato ${i}`)!;
      expect(Buffer.from(doc.message.media!.base64, 'base64').equals(pdf)).toBe(true);
    }
    expect(h.daemon.relay!.inbound.files.inFlight()).toBe(0);
  });
});
