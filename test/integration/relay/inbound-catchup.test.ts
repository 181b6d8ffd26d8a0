import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

const RECOVERED = ['ponte_catchup_recovered_total', { direction: 'inbound' }] as const;

describe('WhatsApp -> Chatwoot: catch-up of missed messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });
  afterEach(() => {
    expect(h.chatwoot.rejections()).toEqual([]);
  });

  test('messages the live connection missed arrive on the adaptive timer, once, in order', async () => {
    const live = h.inject({ id: 'CU-LIVE', from: '+351912700001', type: 'text', text: 'live one' });
    await h.waitMessage(live);
    const now = Math.floor(Date.now() / 1000);
    // Missed by the library: in the phone's history, never emitted.
    const missed = [
      h.inject({ id: 'CU-M1', from: '+351912700001', type: 'text', text: 'missed 1', silent: true, timestamp: now - 1 }),
      h.inject({ id: 'CU-M2', from: '+351912700001', type: 'text', text: 'missed 2', silent: true }),
      // A chat the relay has never seen, ten minutes ago (within the look-back).
      h.inject({ id: 'CU-M3', from: '+351912700002', type: 'text', text: 'missed in a new chat', silent: true, timestamp: now - 600 }),
    ];
    for (const id of missed) await h.waitMessage(id);
    expect(await h.metric(...RECOVERED)).toBe(3);
    const conv1 = h.messagesFor('CU-LIVE')[0].conversation_id;
    expect(h.chatwoot.messages(conv1).map((m) => m.content)).toEqual(['live one', 'missed 1', 'missed 2']);

    // More sweeps run over the same history (a later missed message proves one did): nothing doubles.
    await h.waitMessage(h.inject({ id: 'CU-M4', from: '+351912700002', type: 'text', text: 'missed later', silent: true }));
    expect(await h.metric(...RECOVERED)).toBe(4);
    for (const id of ['CU-LIVE', ...missed, 'CU-M4']) expect(h.messagesFor(id)).toHaveLength(1);
    expect(h.chatwoot.messages()).toHaveLength(5);
  });

  test('messages sent while the session was disconnected reach Chatwoot after the reconnect, exactly once', async () => {
    const before = await h.metric(...RECOVERED);
    await h.waitMessage(h.inject({ id: 'CU-D0', from: '+351912700003', type: 'text', text: 'before the drop' }));
    h.sim().force('TRANSIENT_DISCONNECT', 'network gone');
    const during = [1, 2, 3].map((i) => h.inject({ id: `CU-D${i}`, from: '+351912700003', type: 'text', text: `while offline ${i}` }));
    const other = h.inject({
      id: 'CU-D9',
      from: '+351912700004',
      type: 'image',
      caption: 'offline photo',
      media: { mimetype: 'image/jpeg', base64: Buffer.from('jpeg!').toString('base64') },
    });
    expect(h.sim().state()).toBe('TRANSIENT_DISCONNECT');
    // The session manager reconnects by itself (backoff), and the reconnect triggers a sweep.
    await waitFor(() => h.sim().state() === 'CONNECTED', 8000);
    for (const id of [...during, other]) await h.waitMessage(id);
    const conv = h.messagesFor('CU-D0')[0].conversation_id;
    expect(h.chatwoot.messages(conv).map((m) => m.content)).toEqual([
      'before the drop',
      'while offline 1',
      'while offline 2',
      'while offline 3',
    ]);
    expect(h.messagesFor(other)[0].attachments[0].data.toString()).toBe('jpeg!');
    expect(await h.metric(...RECOVERED)).toBe(before + 4);

    // A later sweep (proved by one more missed message) does not post any of them again.
    await h.waitMessage(h.inject({ id: 'CU-D10', from: '+351912700003', type: 'text', text: 'missed after', silent: true }));
    for (const id of ['CU-D0', ...during, other, 'CU-D10']) expect(h.messagesFor(id)).toHaveLength(1);
    expect(await h.metric(...RECOVERED)).toBe(before + 5);
  });
});
