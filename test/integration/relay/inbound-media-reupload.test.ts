/**
 * Media the phone is still re-uploading (whatsapp-web.js REUPLOADING, issue 15 point 15) is fetched again
 * later, not declared gone and not spent on retries: the chat's lane waits for it without counting attempts.
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const PEER = '+351912900001';

describe('media still re-uploading', () => {
  let h: Harness;
  beforeAll(async () => {
    // Two attempts only: a re-upload outlasting them must not cost the message.
    h = await startRelayHarness({ config: { queue: { baseDelayMs: 20, maxDelayMs: 200, maxAttempts: 2 } } });
  });
  afterAll(async () => h?.stop());

  test('is looked for again until the phone has it, then relayed with its bytes; the chat keeps its order', async () => {
    const bytes = Buffer.from('a photo from last year');
    const id = h.inject({
      from: PEER,
      type: 'image',
      caption: 'lembras-te?',
      media: { mimetype: 'image/jpeg', base64: bytes.toString('base64'), reuploading: true },
    });
    const after = h.inject({ from: PEER, type: 'text', text: 'e esta?' });
    await waitFor(() => h.sim().downloadAttempts.filter((x) => x === id).length >= 2, 10_000, 25, 'a second look at the media');
    await sleep(300);
    expect(h.messagesFor(id)).toEqual([]);
    // Per-chat order: the next message waits behind the picture.
    expect(h.messagesFor(after)).toEqual([]);
    expect(await h.metric('ponte_relay_retries_total', { queue: 'inbound' })).toBe(0);

    h.sim().finishReupload(id);
    const m = await h.waitMessage(id);
    expect(m.content).toBe('lembras-te?');
    expect(m.attachments.map((a) => a.data.toString())).toEqual([bytes.toString()]);
    await h.waitMessage(after);
    expect(await h.daemon.relay!.inbound.deadLetters.size('inbound')).toBe(0);
  });
});
