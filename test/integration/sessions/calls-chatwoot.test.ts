/**
 * Incoming WhatsApp calls with the Chatwoot relay: auto-rejected with a reply text when configured, and
 * always a private note in the caller's conversation saying what happened.
 */
import { removeTempDirs, sleep, waitFor } from '../../helpers';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';

const REPLY = 'Sorry, we cannot take calls here. Please write your question.';

afterAll(removeTempDirs);

describe('calls.reject with a reply', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness({ session: { calls: { reject: true, reply: REPLY } } });
  });
  afterAll(async () => h?.stop());

  test('the call is declined, the caller gets the reply, and agents get a private note in their conversation', async () => {
    const id = h.inject({ type: 'call_offer', from: '351912345678' });
    const note = await h.waitMessage(`call:${id}`);
    expect(note).toMatchObject({
      content: 'Incoming WhatsApp voice call: rejected automatically; the caller got the automatic reply',
      private: true,
      message_type: 'outgoing',
    });
    expect(h.sim().rejectedCalls()).toEqual([expect.objectContaining({ callId: id, from: '351912345678@c.us' })]);
    expect(
      h
        .sim()
        .sent()
        .map((s) => s.message),
    ).toEqual([{ kind: 'text', chatId: '351912345678@c.us', text: REPLY }]);
    // the note sits in the caller's conversation
    const conv = h.chatwoot.conversations().find((c) => c.id === note.conversation_id)!;
    const contact = h.chatwoot.contacts().find((c) => c.id === conv.contact_id)!;
    expect(contact.phone_number).toBe('+351912345678');
    // the reply the caller got shows in the same conversation, as a message from the phone
    await waitFor(
      () => h.chatwoot.messages().some((m) => m.conversation_id === note.conversation_id && m.content === REPLY && !m.private),
      5000,
      20,
      'the reply mirrored',
    );
    expect(await h.metric('ponte_calls_total', { session: 'main', reason: 'rejected' })).toBe(1);
    expect(await h.metric('ponte_messages_relayed_total', { direction: 'inbound', kind: 'call', outcome: 'ok' })).toBe(1);
  });

  test('a video call the engine reports twice: one rejection, one reply, one note', async () => {
    const before = h.sim().sent().length;
    h.inject({ type: 'call_offer', from: '351913333333', id: 'CALLTWICE', isVideo: true });
    h.inject({ type: 'call_offer', from: '351913333333', id: 'CALLTWICE', isVideo: true });
    const note = await h.waitMessage('call:CALLTWICE');
    expect(note.content).toBe('Incoming WhatsApp video call: rejected automatically; the caller got the automatic reply');
    await sleep(300);
    expect(h.messagesFor('call:CALLTWICE')).toHaveLength(1);
    expect(h.sim().sent().length - before).toBe(1);
    expect(
      h
        .sim()
        .rejectedCalls()
        .filter((c) => c.callId === 'CALLTWICE'),
    ).toHaveLength(1);
  });
});

describe('calls not rejected', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => h?.stop());

  test('the phone keeps ringing; agents still learn that someone called', async () => {
    const id = h.inject({ type: 'call_offer', from: '351914444444' });
    const note = await h.waitMessage(`call:${id}`);
    expect(note).toMatchObject({
      content: 'Incoming WhatsApp voice call: calls cannot be answered here; call back from the phone if needed',
      private: true,
    });
    expect(h.sim().rejectedCalls()).toEqual([]);
    expect(h.sim().sent()).toEqual([]);
  });
});

describe('calls.reject when the rejection fails (whatsapp-web.js 1.34.7, upstream 201746)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness({ session: { calls: { reject: true, reply: REPLY } } });
  });
  afterAll(async () => h?.stop());

  test('the note says the call could not be rejected, with the reason; no reply goes out', async () => {
    h.sim().callRejectionBroken = true;
    const id = h.inject({ type: 'call_offer', from: '351915555555' });
    const note = await h.waitMessage(`call:${id}`);
    expect(note.private).toBe(true);
    expect(note.content).toMatch(/^Incoming WhatsApp voice call: could not be rejected automatically: rejectCall failed/);
    expect(note.content).not.toMatch(/: rejected/);
    expect(h.sim().rejectedCalls()).toEqual([]);
    expect(h.sim().sent()).toEqual([]);
    expect(await h.metric('ponte_calls_total', { session: 'main', reason: 'failed' })).toBe(1);
  });
});
