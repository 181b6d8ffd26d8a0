/**
 * What one catch-up sweep costs the WhatsApp Web page. whatsapp-web.js's getChats() refreshes every
 * group's metadata from the server (Utils.js getChatModel: GroupMetadata.update per group) and
 * fetchMessages({limit}) keeps loading older history until it has `limit` messages (Chat.js): on an
 * account with hundreds of chats a sweep was hundreds of server round trips. Measured here over a page
 * that just loaded (each chat holds only its last message in memory, as WhatsApp Web does).
 */
import { EARLIER_BATCH } from './fake-wa-web/collections';
import { harness, type Harness } from './harness';
import { rawMessage } from './raw';

const CHATS = 500;
const GROUPS = 100;
/** Every tenth chat had messages while Ponte was away: 50 chats, 10 of them groups. */
const ACTIVE_EVERY = 10;
const MISSED_PER_CHAT = 3;
const OLD_PER_CHAT = 120;

let h: Harness;
afterEach(() => h.close());

const chatId = (i: number) => (i < GROUPS ? `1203630${String(i).padStart(11, '0')}@g.us` : `3519120${String(i).padStart(5, '0')}@c.us`);

test('a sweep over 500 chats (100 groups) refreshes no group and loads each active chat once; every missed message is found', async () => {
  h = harness({ paired: true });
  const now = Math.floor(Date.now() / 1000);
  const since = now - 600;
  const missed = new Set<string>();
  for (let i = 0; i < CHATS; i++) {
    const id = chatId(i);
    h.wa.seedHistory(id, OLD_PER_CHAT, now - 3600);
    if (i % ACTIVE_EVERY !== 0) continue;
    for (let k = 0; k < MISSED_PER_CHAT; k++) {
      const raw = rawMessage({
        chat: id,
        me: h.wa.me,
        body: `missed ${k}`,
        t: now - 300 + k,
        author: id.endsWith('@g.us') ? '351912000999@c.us' : undefined,
      });
      h.wa.world.messages.set(raw.id._serialized, raw);
      missed.add(raw.id._serialized);
    }
  }
  // The page loads after all of that happened (Ponte restarted): only each chat's last message is in memory.
  await h.connected();
  const calls = h.wa.pageCalls().length;
  const { counters } = h.wa.world;
  const refreshes = counters.groupMetadataRefreshes;
  const loads = counters.earlierLoads;

  const active = await h.engine.activeChats(since);
  const found: string[] = [];
  for (const chat of active) found.push(...(await h.engine.recentMessages(chat, since)).map((m) => m.id));

  expect(active).toHaveLength(CHATS / ACTIVE_EVERY);
  expect(new Set(found)).toEqual(missed);
  const cost = {
    evaluates: h.wa.pageCalls().length - calls,
    groupMetadataRefreshes: counters.groupMetadataRefreshes - refreshes,
    earlierLoads: counters.earlierLoads - loads,
  };
  // One evaluate to list the chats, one per active chat; no server round trip for group metadata; one
  // batch of history per active chat (its missed messages and the first older one fit in a batch).
  expect(MISSED_PER_CHAT).toBeLessThan(EARLIER_BATCH);
  expect(cost).toEqual({ evaluates: 1 + active.length, groupMetadataRefreshes: 0, earlierLoads: active.length });
});

test("a chat's listing is bounded by time: a window already in memory loads no older history", async () => {
  h = harness({ paired: true });
  const now = Math.floor(Date.now() / 1000);
  const chat = '351912000111@c.us';
  h.wa.seedHistory(chat, 300, now - 3600);
  await h.connected();
  const fresh = [h.wa.injectText('351912000111', 'one'), h.wa.injectText('351912000111', 'two')];
  await h.log.until(() => h.log.messages().length === 2, 'the two live messages');
  const loads = h.wa.world.counters.earlierLoads;
  const history = await h.engine.recentMessages(chat, now - 60);
  expect(history.map((m) => m.id)).toEqual(fresh);
  expect(h.wa.world.counters.earlierLoads - loads).toBe(0);
});

test('a window longer than a screenful loads until it reaches the start of the window, and keeps the oldest first', async () => {
  h = harness({ paired: true });
  const now = Math.floor(Date.now() / 1000);
  const chat = '351912000111@c.us';
  h.wa.seedHistory(chat, 40, now - 9000);
  h.wa.seedHistory(chat, 120, now - 60);
  await h.connected();
  const loads = h.wa.world.counters.earlierLoads;
  const since = now - 7300;
  const all = await h.engine.recentMessages(chat, since, 1000);
  expect(all).toHaveLength(120);
  expect(h.wa.world.counters.earlierLoads - loads).toBe(3);
  const capped = await h.engine.recentMessages(chat, since, 10);
  expect(capped.map((m) => m.id)).toEqual(all.slice(0, 10).map((m) => m.id));
});

test('the phone form of a contact WhatsApp Web knows by linked id lists the lid chat (a sent reply can be found again)', async () => {
  h = harness({ paired: true });
  await h.connected();
  const lid = h.wa.knowByLid('351912000111');
  const sent = await h.engine.send({ kind: 'text', chatId: '351912000111@c.us', text: 'did this go out?' });
  const since = Math.floor(Date.now() / 1000) - 60;
  expect((await h.engine.recentMessages('351912000111@c.us', since)).map((m) => [m.id, m.chatId])).toEqual([[sent.remoteId, lid]]);
  expect(await h.engine.recentMessages('351919999999@c.us', since)).toEqual([]);
  expect(h.wa.world.chatIds()).not.toContain('351919999999@c.us');
});
