import { chatIdFor } from '../../../src/core/agent-messages';
import { mediaKindFor } from '../../../src/from-agents/media-kind';
import { Pacer } from '../../../src/from-agents/pacer';

describe('which WhatsApp kind carries an agent attachment', () => {
  test.each([
    ['image/jpeg', 'image'],
    ['image/png', 'image'],
    ['video/mp4', 'video'],
    ['audio/ogg', 'voice'],
    ['audio/ogg; codecs=opus', 'voice'],
    ['audio/mpeg', 'audio'],
    ['application/pdf', 'document'],
    [undefined, 'document'],
  ])('%s -> %s', (mime, kind) => {
    expect(mediaKindFor(mime)).toBe(kind);
  });
});

describe('the WhatsApp chat of a conversation', () => {
  test("Ponte's own source ids are WhatsApp ids", () => {
    expect(chatIdFor('351912345678@c.us', undefined)).toBe('351912345678@c.us');
    expect(chatIdFor('120363025246125486@g.us', undefined)).toBe('120363025246125486@g.us');
  });
  test('conversations created elsewhere fall back to the contact phone', () => {
    expect(chatIdFor('5f1c-uuid-from-elsewhere', '+55 11 99999-8888')).toBe('5511999998888@c.us');
    expect(chatIdFor(undefined, undefined)).toBeUndefined();
  });
});

describe('pacing of sends per number', () => {
  test('sends of one session are spaced by the gap plus jitter, with typing time growing with the text', async () => {
    const slept: number[] = [];
    let now = 1_000_000;
    const spy = jest.spyOn(Date, 'now').mockImplementation(() => now);
    const pacer = new Pacer(
      () => ({ minGapMs: 1000, jitterMs: 500, typing: true, typingMsPerChar: 10, maxTypingMs: 300 }),
      () => 0.5,
      async (ms) => {
        slept.push(ms);
        now += ms;
      },
    );
    expect(await pacer.slot('s1', 20)).toBe(200);
    expect(await pacer.slot('s1', 1000)).toBe(300);
    expect(await pacer.slot('s2', 0)).toBe(0);
    // second send of s1 waits typing(200) + gap(1000) + jitter(250); s2 is not held back by s1.
    expect(slept).toEqual([1450]);
    spy.mockRestore();
  });
});
