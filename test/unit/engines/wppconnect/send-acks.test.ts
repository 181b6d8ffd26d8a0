import type { Ack } from '../../../../src/core/messages';
import { connectedRig, type Rig } from './harness';
import { QUOTING_KINDS, sampleSends } from './sample-sends';

/**
 * What a send waits for, and where its echo and acks come from. wa-js holds a send until WhatsApp's
 * server acks it unless told `waitForAck: false`, with no time limit (wa-js issue 1187); the fake page
 * does the same.
 */
const PEER = '351912000111';
const PEER_ID = `${PEER}@c.us`;
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

const acksOf = (id: string): Ack[] => r.events.flatMap((e) => (e.type === 'ack' && e.ack.messageId === id ? [e.ack.ack] : []));
const settle = (ms = 100) => new Promise((res) => setTimeout(res, ms));

/** The send's outcome, or 'still waiting' if it has not settled within `ms`. */
async function within<T>(p: Promise<T>, ms: number): Promise<T | 'still waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const waiting = new Promise<'still waiting'>((res) => {
    timer = setTimeout(() => res('still waiting'), ms);
  });
  try {
    return await Promise.race([p, waiting]);
  } finally {
    clearTimeout(timer);
  }
}

test.each(QUOTING_KINDS)('a %s whose server ack never comes still returns its id once WhatsApp Web has it', async (kind) => {
  const target = r.world.incoming(PEER_ID, { type: 'chat', body: 'target' }).id as string;
  r.world.withholdAcks();
  const outcome = await within(r.engine.send((await sampleSends(PEER_ID, { reactTo: target }))[kind]), 3000);
  expect(outcome).not.toBe('still waiting');
  const own = r.world.messages(PEER_ID).filter((m) => m.fromMe);
  expect(own).toHaveLength(1);
  expect(outcome).toMatchObject({ remoteId: own[0].id });
  await settle();
  expect(acksOf(own[0].id)).toEqual([]);
});

test.each([-1, -2, -4, -7])('a send the server fails with ack %i reports FAILED for its id', async (code) => {
  r.world.failNextSend(code);
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'doomed' });
  await r.until(() => acksOf(sent.remoteId).length, 'the failure ack');
  await settle(50);
  expect(acksOf(sent.remoteId)).toEqual(['FAILED']);
});

test('a send to the phone id of a contact WhatsApp Web knows by linked id is keyed, echoed and acked under the LID', async () => {
  const lid = r.world.knowByLid(PEER);
  const sent = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'to the phone form' });
  expect(sent.remoteId).toMatch(new RegExp(`^true_${lid}_`));
  const echo = await r.until(
    () => r.events.flatMap((e) => (e.type === 'message' && e.message.id === sent.remoteId ? [e.message] : []))[0],
    'the echo',
  );
  expect(echo).toMatchObject({ fromMe: true, chatId: lid, text: 'to the phone form' });
  await r.until(() => acksOf(sent.remoteId).includes('READ'), 'READ');
  expect(r.events.find((e) => e.type === 'ack' && e.ack.messageId === sent.remoteId)).toMatchObject({ ack: { chatId: lid } });
});
