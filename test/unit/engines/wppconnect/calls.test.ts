import { connectedRig, type Rig } from './harness';

/** Rejecting a call: wa-js `call/reject` answers true, or throws when it has no such ringing call. */
const PEER_ID = '351912000111@c.us';
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

test('a ringing call is rejected', async () => {
  const id = r.world.incomingCall(PEER_ID);
  await expect(r.engine.capabilities.rejectCall!(id, PEER_ID)).resolves.toBeUndefined();
  expect(r.world.actions).toContainEqual({ what: 'rejectCall', arg: { callId: id } });
});

test('a call WhatsApp Web cannot reject (it already ended): the capability rejects with the reason', async () => {
  const id = r.world.incomingCall(PEER_ID);
  r.world.breakCallRejection();
  await expect(r.engine.capabilities.rejectCall!(id, PEER_ID)).rejects.toThrow(new RegExp(`Call ${id} not found`));
});

test('wppconnect answering that no call was rejected (its documented count, 0 or false) is a failure too', async () => {
  const id = r.world.incomingCall(PEER_ID);
  r.world.on('WPP.call.rejectCall', () => false);
  await expect(r.engine.capabilities.rejectCall!(id, PEER_ID)).rejects.toThrow(/rejected no call/);
});
