import { connectedRig, type Rig } from './harness';
import { SEND_KINDS, sampleSends } from './sample-sends';

/**
 * wa-js marks the chat read before every send unless told `markIsRead: false` (wa-js
 * `defaultSendMessageOptions`, applied by the fake page): blue ticks on the customer's phone, the unread
 * badge gone. Answering must not do that; only the markRead capability (readFromAgents) marks read.
 */
const PEER_ID = '351912000111@c.us';
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

test.each(SEND_KINDS)('sending a %s does not mark the chat read', async (kind) => {
  const question = r.world.incoming(PEER_ID, { type: 'chat', body: 'unread question' }).id as string;
  const sends = await sampleSends(PEER_ID, { reactTo: question });
  await r.engine.send(sends[kind]);
  expect(r.world.actions.at(-1)?.what).toMatch(/^(send|react)/);
  expect(r.world.readMarks).toEqual([]);
});

test('the markRead capability is what marks a chat read', async () => {
  r.world.incoming(PEER_ID, { type: 'chat', body: 'unread question' });
  await r.engine.capabilities.markRead!(PEER_ID);
  expect(r.world.readMarks).toEqual([PEER_ID]);
});
