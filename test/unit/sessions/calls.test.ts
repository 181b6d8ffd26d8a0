/**
 * Incoming calls: the SessionManager applies the session's call policy and tells listeners what it did
 * (the Chatwoot relay turns that into a note: test/integration/sessions/calls-chatwoot.test.ts).
 */
import type { CallOutcome } from '../../../src/sessions/calls';
import type { CallEvent } from '../../../src/core/messages';
import { waitFor } from '../../helpers';
import { rig, type Rig } from './support';

let rigs: Rig[] = [];
afterEach(async () => {
  for (const r of rigs) await r.sm.stopAll();
  rigs = [];
});

async function connected(options: Parameters<typeof rig>[0]): Promise<{ r: Rig; calls: Array<[string, CallEvent, CallOutcome]> }> {
  const r = rig(options);
  rigs.push(r);
  const calls: Array<[string, CallEvent, CallOutcome]> = [];
  r.sm.on('call', (id: string, call: CallEvent, outcome: CallOutcome) => calls.push([id, call, outcome]));
  await r.sm.startAll();
  await r.waitState('CONNECTED');
  return { r, calls };
}

const offer = (extra: Record<string, unknown> = {}) => ({
  type: 'call_offer' as const,
  from: '351912345678',
  fromMe: false,
  silent: false,
  ...extra,
});

test('with calls.reject the call is declined at once and the caller gets the reply text', async () => {
  const { r, calls } = await connected({ session: { calls: { reject: true, reply: 'We cannot take calls here; please write.' } } });
  const id = r.sim.inject(offer());
  await waitFor(() => calls.length === 1);
  expect(r.sim.rejectedCalls()).toEqual([expect.objectContaining({ callId: id, from: '351912345678@c.us' })]);
  expect(r.sim.sent().map((s) => s.message)).toEqual([
    { kind: 'text', chatId: '351912345678@c.us', text: 'We cannot take calls here; please write.' },
  ]);
  expect(calls[0]).toEqual([
    r.sim.id,
    expect.objectContaining({ id, from: '351912345678@c.us', isVideo: false, isGroup: false }),
    { rejected: true, replied: true },
  ]);
  expect(await r.metric('ponte_calls_total', { session: r.sim.id, reason: 'rejected' })).toBe(1);
  // the raw event still reaches the session's event handler
  expect(r.events.some((e) => e.type === 'call')).toBe(true);
});

test('the same call reported twice is declined and answered once', async () => {
  const { r, calls } = await connected({ session: { calls: { reject: true, reply: 'Write to us instead.' } } });
  r.sim.inject(offer({ id: 'CALL-1' }));
  r.sim.inject(offer({ id: 'CALL-1' }));
  await waitFor(() => calls.length === 1);
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(calls).toHaveLength(1);
  expect(r.sim.sent()).toHaveLength(1);
  expect(r.sim.rejectedCalls()).toHaveLength(1);
});

test('without calls.reject the call rings on: nothing is declined or sent, listeners still hear of it', async () => {
  const { r, calls } = await connected({});
  r.sim.inject(offer({ isVideo: true }));
  await waitFor(() => calls.length === 1);
  expect(calls[0][1]).toMatchObject({ isVideo: true });
  expect(calls[0][2]).toEqual({ rejected: false, replied: false });
  expect(r.sim.rejectedCalls()).toEqual([]);
  expect(r.sim.sent()).toEqual([]);
  expect(await r.metric('ponte_calls_total', { reason: 'allowed' })).toBe(1);
});

test('a rejected group call gets no reply text (it would land in front of everyone)', async () => {
  const { r, calls } = await connected({ session: { calls: { reject: true, reply: 'No calls, please.' } } });
  r.sim.inject(offer({ chatId: '120363000000000001@g.us', author: '351912345678' }));
  await waitFor(() => calls.length === 1);
  expect(calls[0][2]).toEqual({ rejected: true, replied: false });
  expect(r.sim.rejectedCalls()).toHaveLength(1);
  expect(r.sim.sent()).toEqual([]);
});

test('an engine that cannot reject calls: the outcome says so, nothing is sent', async () => {
  const { r, calls } = await connected({ session: { calls: { reject: true, reply: 'No calls.' } } });
  delete (r.sim.capabilities as { rejectCall?: unknown }).rejectCall;
  r.sim.inject(offer());
  await waitFor(() => calls.length === 1);
  expect(calls[0][2]).toEqual({ rejected: false, replied: false, error: 'the simulator engine cannot reject calls' });
  expect(r.sim.sent()).toEqual([]);
  expect(await r.metric('ponte_calls_total', { reason: 'failed' })).toBe(1);
});

test('a reply that cannot be sent is reported, the rejection stands', async () => {
  const { r, calls } = await connected({ session: { calls: { reject: true, reply: 'No calls.' } } });
  r.sim.failSends = 'network down';
  r.sim.inject(offer());
  await waitFor(() => calls.length === 1);
  expect(calls[0][2]).toEqual({ rejected: true, replied: false, error: 'the reply could not be sent: network down' });
  expect(r.sim.rejectedCalls()).toHaveLength(1);
});
