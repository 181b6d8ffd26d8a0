import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

describe('WhatsApp -> Chatwoot: dedupe', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('the same WhatsApp id delivered twice is posted once', async () => {
    const body = { id: 'DUP-1', from: '+351912400001', type: 'text', text: 'only once please' };
    h.inject(body);
    h.inject(body);
    await waitFor(async () => (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' })) >= 1, 10_000);
    expect(h.messagesFor('DUP-1')).toHaveLength(1);
    // A reaction and an edit re-delivered are deduped the same way.
    const r = { id: 'DUP-R', from: '+351912400001', type: 'reaction', targetId: 'DUP-1', emoji: '❤️' };
    h.inject(r);
    h.inject(r);
    await waitFor(async () => (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' })) >= 2, 10_000);
    expect(h.messagesFor('DUP-R')).toHaveLength(1);
  });

  test('re-delivered after a daemon restart on the same Redis: still posted once', async () => {
    const body = { id: 'DUP-2', from: '+351912400002', type: 'text', text: 'before the restart' };
    await h.waitMessage(h.inject(body));
    await h.restart();
    await waitFor(() => h.sim().state() === 'CONNECTED');
    h.inject(body);
    // The new daemon's counter starts at 0: it counts exactly this re-delivery.
    await waitFor(async () => (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' })) === 1, 10_000);
    // A message after it in the same chat went through, so the duplicate was handled, not stuck.
    await h.waitMessage(h.inject({ id: 'DUP-3', from: '+351912400002', type: 'text', text: 'after the restart' }));
    expect(h.messagesFor('DUP-2')).toHaveLength(1);
    expect(h.chatwoot.messages().filter((m) => m.content === 'before the restart')).toHaveLength(1);
    expect(h.chatwoot.conversations()).toHaveLength(2);
  });
});

const PEER = '+351912500001';
const PEER_JID = '351912500001@c.us';

describe('WhatsApp -> Chatwoot: own messages, ownMessages: outgoing (default)', () => {
  let h: Harness;
  beforeAll(async () => {
    // No webhooks back: the Chatwoot -> WhatsApp intake counts its own echoes under the same metric label.
    h = await startRelayHarness({ webhook: false });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('typed on the phone: an outgoing message, not a private note', async () => {
    await h.waitMessage(h.inject({ id: 'OWN-IN', from: PEER, pushName: 'Peer', type: 'text', text: 'hello?' }));
    const m = await h.waitMessage(h.inject({ id: 'OWN-1', from: PEER, fromMe: true, type: 'text', text: 'answered from my phone' }));
    expect(m).toMatchObject({ content: 'answered from my phone', message_type: 'outgoing', private: false });
    // The contact keeps the peer's name, not ours.
    expect(h.chatwoot.contacts()).toHaveLength(1);
    expect(h.chatwoot.contacts()[0]).toMatchObject({ name: 'Peer', phone_number: PEER });
  });

  test("Ponte's own send through the engine is never mirrored back", async () => {
    const { sender } = h.daemon.relay!.inbound;
    const relayedBefore = h.chatwoot.messages().length;
    const sent = await sender.send('main', h.sim(), { kind: 'text', chatId: PEER_JID, text: 'agent reply' });
    await sender.send('main', h.sim(), {
      kind: 'image',
      chatId: PEER_JID,
      caption: 'a picture',
      media: { data: Buffer.from('img'), mimetype: 'image/jpeg' },
    });
    await waitFor(
      async () =>
        (await h.metric('ponte_events_ignored_total', { reason: 'own_echo' })) + h.chatwoot.messages().length - relayedBefore >= 2,
      10_000,
    );
    // Not a single message for the two sends, and each echo recognised (and counted) once.
    expect(h.chatwoot.messages().slice(relayedBefore)).toEqual([]);
    expect(await h.metric('ponte_events_ignored_total', { reason: 'own_echo' })).toBe(2);
    expect(h.messagesFor(sent.remoteId)).toEqual([]);
    // The same text typed on the phone afterwards is the user's own message: recognised by id, not by content.
    const typed = await h.waitMessage(h.inject({ id: 'OWN-2', from: PEER, fromMe: true, type: 'text', text: 'agent reply' }));
    expect(typed.message_type).toBe('outgoing');
    expect(h.chatwoot.messages().length).toBe(relayedBefore + 1);
  });
});

describe('WhatsApp -> Chatwoot: ownMessages: private', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness({ session: { ownMessages: 'private' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('typed on the phone: a private note; incoming messages unchanged', async () => {
    const own = await h.waitMessage(h.inject({ id: 'PRIV-1', from: PEER, fromMe: true, type: 'text', text: 'note to self' }));
    expect(own).toMatchObject({ content: 'note to self', private: true, message_type: 'outgoing' });
    const theirs = await h.waitMessage(h.inject({ id: 'PRIV-2', from: PEER, type: 'text', text: 'hi' }));
    expect(theirs).toMatchObject({ private: false, message_type: 'incoming' });
  });
});

describe('WhatsApp -> Chatwoot: ownMessages: ignore', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness({ session: { ownMessages: 'ignore' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('typed on the phone: nothing in Chatwoot, counted as ignored', async () => {
    h.inject({ id: 'IGN-1', from: PEER, fromMe: true, type: 'text', text: 'not for chatwoot' });
    h.inject({ id: 'IGN-2', from: PEER, fromMe: true, type: 'reaction', targetId: 'IGN-1', emoji: '👍' });
    // Deleting it on the phone: nothing to delete in Chatwoot, and no note about it either.
    h.inject({ from: PEER, fromMe: true, type: 'revoke', targetId: 'IGN-1' });
    await waitFor(async () => (await h.metric('ponte_events_ignored_total', { reason: 'own_message' })) === 3, 10_000);
    await h.waitMessage(h.inject({ id: 'IGN-3', from: PEER, type: 'text', text: 'from them' }));
    expect(h.chatwoot.messages().map((m) => m.content)).toEqual(['from them']);
  });
});
