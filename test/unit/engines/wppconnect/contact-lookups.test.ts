import { LOOKUP_MISS_TTL_MS } from '../../../../src/engines/wppconnect/linked-ids';
import { connectedRig, type Rig } from './harness';

/**
 * The core asks who a `@lid` chat is for every message until it learns a phone number. A lookup that
 * found none is remembered for a while instead of asking WhatsApp Web (and WhatsApp's server) again
 * each time.
 */
const PEER = '351912000111';
const PEER_ID = `${PEER}@c.us`;
const HIDDEN_LID = '77700011122233@lid';
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  jest.restoreAllMocks();
  await r.dispose();
});

const pageCalls = () => r.world.page.calls.filter((c) => /getPnLidEntry|getContact|ProfilePic/.test(c.src)).length;

test('a LID whose phone WhatsApp Web does not know: asked once, then remembered', async () => {
  const first = await r.engine.resolveContact(HIDDEN_LID);
  expect(first).toEqual({ id: HIDDEN_LID, lid: HIDDEN_LID, name: 'Peer Push' });
  const asked = pageCalls();
  expect(asked).toBeGreaterThan(0);
  for (let i = 0; i < 5; i++) expect(await r.engine.resolveContact(HIDDEN_LID)).toEqual(first);
  expect(pageCalls()).toBe(asked);
});

test('after the miss has aged, WhatsApp Web is asked again (and may know the phone by then)', async () => {
  await r.engine.resolveContact(HIDDEN_LID);
  const asked = pageCalls();
  r.world.lidOf.set(PEER_ID, HIDDEN_LID);
  const later = Date.now() + LOOKUP_MISS_TTL_MS + 1000;
  jest.spyOn(Date, 'now').mockReturnValue(later);
  expect(await r.engine.resolveContact(HIDDEN_LID)).toMatchObject({ id: HIDDEN_LID, phone: `+${PEER}` });
  expect(pageCalls()).toBeGreaterThan(asked);
});

test('a lookup that found the phone is not held back', async () => {
  r.world.lidOf.set(PEER_ID, HIDDEN_LID);
  await r.engine.resolveContact(HIDDEN_LID);
  const asked = pageCalls();
  expect(await r.engine.resolveContact(HIDDEN_LID)).toMatchObject({ phone: `+${PEER}` });
  expect(pageCalls()).toBeGreaterThan(asked);
});
