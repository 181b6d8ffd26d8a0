import { connectedRig, type Rig } from './harness';

/**
 * Deleting for everyone, and what the agent is told. wa-js `deleteMessage(..., revoke)` revokes only our
 * own messages and quietly deletes anyone else's on this device alone; it ignores WhatsApp's time limit,
 * which WhatsApp Web's own rule (`WAWebMsgActionCapability`) knows.
 */
const PEER_ID = '351912000111@c.us';
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

test('our own message within the time limit: revoked for everyone', async () => {
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'oops' });
  await expect(r.engine.capabilities.revoke!(PEER_ID, sent.remoteId)).resolves.toBe('everyone');
  expect(r.world.revokeTargets).toEqual([PEER_ID]);
  expect(r.world.find(sent.remoteId)?.type).toBe('revoked');
});

test('past the time limit: deleted on this device only, reported as "me" (the customer still has it)', async () => {
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'too late' });
  r.world.expireRevokeWindow();
  await expect(r.engine.capabilities.revoke!(PEER_ID, sent.remoteId)).resolves.toBe('me');
  expect(r.world.revokeTargets).toEqual([]);
  expect(r.world.find(sent.remoteId)).toBeUndefined();
});

test('a WhatsApp Web build without that rule: wa-js deleting only on this device is reported as "me"', async () => {
  r.world.on('ponteCanRevoke', () => null);
  const theirs = r.world.incoming(PEER_ID, { type: 'chat', body: 'not ours' }).id as string;
  await expect(r.engine.capabilities.revoke!(PEER_ID, theirs)).resolves.toBe('me');
  expect(r.world.revokeTargets).toEqual([]);
  expect(r.world.find(theirs)).toBeUndefined();
});

test('a message WhatsApp Web no longer has: the revoke fails with the reason', async () => {
  await expect(r.engine.capabilities.revoke!(PEER_ID, `true_${PEER_ID}_3EB0NOSUCH`)).rejects.toThrow(/not found/);
});
