/**
 * WhatsApp Web's own kinds through the whole relay (issue 15, point 3), injected as the simulator's HTTP
 * route takes them: several photos sent at once (an `album` parent without media, then one image each)
 * and a round video note (`ptv`).
 */
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep } from '../../helpers/wait';

const PEER = '+351912950001';
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('albums and round video notes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => h?.stop());

  test('an album is its pictures, each with its bytes and caption; the parent leaves no note', async () => {
    const album = h.inject({
      id: 'ALB-1',
      from: PEER,
      type: 'album',
      pictures: [
        { mimetype: 'image/jpeg', base64: b64('photo one'), caption: 'praia' },
        { mimetype: 'image/jpeg', base64: b64('photo two') },
      ],
    });
    const [one, two] = [await h.waitMessage(`${album}-1`), await h.waitMessage(`${album}-2`)];
    expect([one.content, one.attachments.map((a) => a.data.toString())]).toEqual(['praia', ['photo one']]);
    expect(two.attachments.map((a) => a.data.toString())).toEqual(['photo two']);
    await sleep(200);
    expect(h.messagesFor(album)).toEqual([]);
    expect(h.chatwoot.messages().filter((m) => /album|Unsupported/i.test(m.content ?? ''))).toEqual([]);
  });

  test('a round video note arrives as a video with its bytes', async () => {
    const m = await h.waitMessage(h.inject({ from: PEER, type: 'ptv', media: { mimetype: 'video/mp4', base64: b64('round video') } }));
    expect(m.attachments.map((a) => [a.file_type, a.data.toString()])).toEqual([['video', 'round video']]);
  });
});
