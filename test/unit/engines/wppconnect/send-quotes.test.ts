import type { OutboundMessage } from '../../../../src/core/messages';
import { connectedRig, type Rig } from './harness';
import { QUOTING_KINDS, sampleSends } from './sample-sends';

/**
 * wa-js refuses a quote it cannot make (`prepareRawMessage`: `msg_not_found`, `invalid_quoted_msg`,
 * `quoted_msg_can_not_reply`), before anything is queued. The reply still goes, once, without the
 * quote, and says the quote was dropped.
 */
const PEER_ID = '351912000111@c.us';
let r: Rig;
beforeEach(async () => {
  r = await connectedRig();
});
afterEach(async () => {
  await r.dispose();
});

const ownMessages = () => r.world.messages(PEER_ID).filter((m) => m.fromMe);

async function sendOf(kind: OutboundMessage['kind'], quotedId: string): Promise<OutboundMessage> {
  const target = r.world.incoming(PEER_ID, { type: 'chat', body: 'target' }).id as string;
  return (await sampleSends(PEER_ID, { quotedId, reactTo: target }))[kind];
}

test.each(QUOTING_KINDS)('%s quoting a message WhatsApp Web no longer has: sent once without the quote, quoteDropped', async (kind) => {
  const res = await r.engine.send(await sendOf(kind, `false_${PEER_ID}_3EB0DELETEDLONGAGO`));
  expect(res.quoteDropped).toBe(true);
  expect(ownMessages()).toHaveLength(1);
  expect(ownMessages()[0]).toMatchObject({ id: res.remoteId });
  expect(ownMessages()[0].quotedMsgId).toBeUndefined();
});

test('quoting a message that was deleted for everyone (it cannot be answered): sent without the quote', async () => {
  const gone = r.world.incoming(PEER_ID, { type: 'revoked', body: '' }).id as string;
  const res = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'reply', quotedId: gone });
  expect(res.quoteDropped).toBe(true);
  expect(ownMessages()).toEqual([expect.objectContaining({ id: res.remoteId, body: 'reply' })]);
});

test("quoting something that is no WhatsApp message (a note of Ponte's own): sent without the quote", async () => {
  const res = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'reply', quotedId: 'chatwoot-note-4711' });
  expect(res.quoteDropped).toBe(true);
  expect(ownMessages()).toHaveLength(1);
});

test('a quote WhatsApp Web accepts is kept and nothing is said about it', async () => {
  const question = r.world.incoming(PEER_ID, { type: 'chat', body: 'question' }).id as string;
  const res = await r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'answer', quotedId: question });
  expect(res.quoteDropped).toBeUndefined();
  expect(ownMessages()).toEqual([expect.objectContaining({ id: res.remoteId, quotedMsgId: question })]);
});

test('other refusals are not taken for a quote problem: the send fails, nothing is sent again', async () => {
  const question = r.world.incoming(PEER_ID, { type: 'chat', body: 'question' }).id as string;
  let attempts = 0;
  r.world.on('ponteSendText', () => {
    attempts += 1;
    throw new Error('Chat not found for 351999999999@c.us');
  });
  await expect(r.engine.send({ kind: 'text', chatId: PEER_ID, text: 'answer', quotedId: question })).rejects.toThrow(/Chat not found/);
  expect(attempts).toBe(1);
});
