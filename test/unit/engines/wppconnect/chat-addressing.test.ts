import { connectedRig, type Rig } from './harness';

/**
 * Typing, read marks and deletes find the chat by exactly the id they are given (wa-js `assertGetChat`);
 * Ponte names a person by phone whenever it can. For a contact WhatsApp Web knows by linked id the
 * phone form is "chat not found": the engine must reach the LID chat.
 */
const PEER = '351912000111';
const PEER_ID = `${PEER}@c.us`;
let r: Rig;
let lid: string;
beforeEach(async () => {
  r = await connectedRig();
  r.world.incoming(PEER_ID, { type: 'chat', body: 'hello' });
  lid = r.world.knowByLid(PEER);
});
afterEach(async () => {
  await r.dispose();
});

const lookups = () => r.world.page.calls.filter((c) => c.src.includes('WPP.contact.getPnLidEntry')).length;

test('typing on and off addressed by phone reaches the LID chat', async () => {
  await r.engine.capabilities.typing!(PEER_ID, true);
  await r.engine.capabilities.typing!(PEER_ID, false);
  expect(r.world.typingTargets).toEqual([lid]);
  expect(r.world.actions.filter((a) => a.what === 'paused')).toEqual([{ what: 'paused', arg: { to: lid } }]);
});

test('a read mark addressed by phone marks the LID chat read', async () => {
  await r.engine.capabilities.markRead!(PEER_ID);
  expect(r.world.readMarks).toEqual([lid]);
});

test('where the chat lives is learnt once: later calls go straight to the LID chat', async () => {
  await r.engine.capabilities.typing!(PEER_ID, true);
  const after = lookups();
  const chatCalls = () => r.world.page.calls.filter((c) => /markIsComposing|markIsRead/.test(c.src));
  const before = chatCalls().length;
  await r.engine.capabilities.typing!(PEER_ID, true);
  await r.engine.capabilities.markRead!(PEER_ID);
  expect(lookups()).toBe(after);
  expect(
    chatCalls()
      .slice(before)
      .map((c) => c.arg),
  ).toEqual([{ to: lid }, lid]);
});

test('a chat WhatsApp Web has under neither form: the call fails with its reason', async () => {
  await expect(r.engine.capabilities.typing!('351999000999@c.us', true)).rejects.toThrow(/Chat not found for 351999000999@c.us/);
});

test('revoking our message sent by phone id deletes it in the LID chat, for everyone', async () => {
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'oops' });
  await expect(r.engine.capabilities.revoke!(PEER_ID, sent.remoteId)).resolves.toBe('everyone');
  expect(r.world.revokeTargets).toEqual([lid]);
  expect(r.world.find(sent.remoteId)?.type).toBe('revoked');
});

test("the recent messages of the phone form are the LID chat's (what a search for our own send needs)", async () => {
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'did this go out?' });
  const recent = await r.engine.recentMessages(PEER_ID, 0);
  expect(recent.map((m) => m.id)).toContain(sent.remoteId);
});

test('a chat WhatsApp Web has under neither form has no recent messages', async () => {
  await expect(r.engine.recentMessages('351999000999@c.us', 0)).resolves.toEqual([]);
});
