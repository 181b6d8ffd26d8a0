import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

/** Deterministic, non-text bytes so a re-encoding anywhere on the way would show. */
function bytes(n: number, seed: number): Buffer {
  return Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 3)) & 255));
}

const PHONE = '+351912100001';

describe('WhatsApp -> Chatwoot: every message kind', () => {
  let h: Harness;
  beforeAll(async () => {
    // 0.05 MB: small enough to test the limit with a 60 KB file, large enough for the samples below.
    h = await startRelayHarness({ session: { maxMediaMB: 0.05 } });
  });
  afterAll(async () => {
    await h?.stop();
  });
  afterEach(() => {
    expect(h.chatwoot.rejections()).toEqual([]);
  });

  test('text keeps WhatsApp formatting untouched', async () => {
    const text = '*bold* _italic_ ~strike~ ```mono```\n> quote line\n1. one\n- two';
    const id = h.inject({ id: 'K-TEXT', from: PHONE, type: 'text', text, pushName: 'Kinds' });
    const m = await h.waitMessage(id);
    expect(m).toMatchObject({ content: text, message_type: 'incoming', private: false, attachments: [] });
  });

  const media: Array<{
    type: string;
    mimetype: string;
    filename?: string;
    caption?: string;
    fileType: string;
    contentType: string;
    name: RegExp;
  }> = [
    { type: 'image', mimetype: 'image/jpeg', caption: 'a *photo*', fileType: 'image', contentType: 'image/jpeg', name: /^image-\w+\.jpg$/ },
    { type: 'video', mimetype: 'video/mp4', caption: 'the clip', fileType: 'video', contentType: 'video/mp4', name: /^video-\w+\.mp4$/ },
    { type: 'audio', mimetype: 'audio/mpeg', fileType: 'audio', contentType: 'audio/mpeg', name: /^audio-\w+\.mp3$/ },
    { type: 'voice', mimetype: 'audio/ogg; codecs=opus', fileType: 'audio', contentType: 'audio/ogg', name: /^voice-\w+\.ogg$/ },
    {
      type: 'document',
      mimetype: 'application/pdf',
      filename: 'Relatório Q3 (final).pdf',
      caption: 'see page 2',
      fileType: 'file',
      contentType: 'application/pdf',
      name: /^Relatório Q3 \(final\)\.pdf$/,
    },
    { type: 'sticker', mimetype: 'image/webp', fileType: 'image', contentType: 'image/webp', name: /^sticker-\w+\.webp$/ },
  ];

  test.each(media)('$type arrives as a multipart attachment, byte-identical, with its caption', async (k) => {
    const data = bytes(4096 + k.type.length, k.type.length);
    const id = h.inject({
      id: `K-${k.type.toUpperCase()}`,
      from: PHONE,
      type: k.type,
      caption: k.caption,
      media: { mimetype: k.mimetype, filename: k.filename, base64: data.toString('base64') },
    });
    const m = await h.waitMessage(id);
    expect(m.message_type).toBe('incoming');
    expect(m.content ?? '').toBe(k.caption ?? '');
    expect(m.attachments).toHaveLength(1);
    const a = m.attachments[0];
    expect(a.file_type).toBe(k.fileType);
    expect(a.content_type).toBe(k.contentType);
    expect(a.filename).toMatch(k.name);
    expect(a.data.equals(data)).toBe(true);
    // It really went as multipart/form-data with attachments[] (the fake logs the parsed parts).
    const req = h.chatwoot
      .requests()
      .find((r) => r.method === 'POST' && /\/messages$/.test(r.path) && JSON.stringify(r.body).includes(`WAID:${id}`));
    expect(req?.body).toMatchObject({ files: [{ field: 'attachments[]', size: data.length }] });
  });

  test('location: a text with the place and a map link', async () => {
    const id = h.inject({
      id: 'K-LOC',
      from: PHONE,
      type: 'location',
      location: { lat: 38.7078, lng: -9.1365, name: 'Praça do Comércio', address: 'Lisboa, Portugal' },
    });
    const m = await h.waitMessage(id);
    expect(m.content).toBe('Location: Praça do Comércio\nLisboa, Portugal\nhttps://maps.google.com/?q=38.7078,-9.1365');
    expect(m.attachments).toEqual([]);
  });

  test('contact card: a text summary plus the .vcf file', async () => {
    const vcard =
      'BEGIN:VCARD\r\nVERSION:3.0\r\nN:Silva;Maria;;;\r\nFN:Maria Silva\r\nTEL;type=CELL;waid=351912345678:+351 912 345 678\r\nEND:VCARD\r\n';
    const id = h.inject({ id: 'K-VCARD', from: PHONE, type: 'contact', vcard });
    const m = await h.waitMessage(id);
    expect(m.content).toBe('Contact: Maria Silva\n+351 912 345 678 (mobile, WhatsApp)');
    expect(m.attachments).toHaveLength(1);
    expect(m.attachments[0]).toMatchObject({ filename: 'Maria Silva.vcf', content_type: 'text/vcard', file_type: 'file' });
    expect(m.attachments[0].data.toString('utf8')).toBe(vcard);
  });

  test('quoted reply points at the quoted Chatwoot message (in_reply_to and in_reply_to_external_id)', async () => {
    const orig = h.inject({ id: 'K-Q-ORIG', from: PHONE, type: 'text', text: 'which size?' });
    const o = await h.waitMessage(orig);
    const reply = h.inject({ id: 'K-Q-REPLY', from: PHONE, type: 'text', text: 'the large one', quotedId: orig });
    const r = await h.waitMessage(reply);
    expect(r.content).toBe('the large one');
    expect(r.content_attributes).toMatchObject({ in_reply_to: o.id, in_reply_to_external_id: `WAID:${orig}` });
  });

  test('a quote of a message Ponte never saw still names it by external id', async () => {
    const reply = h.inject({ id: 'K-Q-UNSEEN', from: PHONE, type: 'text', text: 'as I said', quotedId: 'NEVER-SEEN-1' });
    const r = await h.waitMessage(reply);
    expect(r.content_attributes).toMatchObject({ in_reply_to_external_id: 'WAID:NEVER-SEEN-1', in_reply_to: null });
  });

  test('reaction: a short reply to the reacted message', async () => {
    const orig = h.inject({ id: 'K-R-ORIG', from: PHONE, type: 'text', text: 'thanks!' });
    const o = await h.waitMessage(orig);
    const id = h.inject({ id: 'K-R-1', from: PHONE, type: 'reaction', targetId: orig, emoji: '👍' });
    const r = await h.waitMessage(id);
    expect(r).toMatchObject({ content: 'Reacted 👍', message_type: 'incoming', private: false });
    expect(r.content_attributes).toMatchObject({ in_reply_to: o.id, in_reply_to_external_id: `WAID:${orig}` });
    const removed = await h.waitMessage(h.inject({ id: 'K-R-2', from: PHONE, type: 'reaction', targetId: orig, emoji: '' }));
    expect(removed.content).toBe('Removed a reaction');
    expect(removed.content_attributes).toMatchObject({ in_reply_to: o.id });
  });

  test('edit: a new message marked as an edit of the original', async () => {
    const orig = h.inject({ id: 'K-E-ORIG', from: PHONE, type: 'text', text: 'see you at 5' });
    const o = await h.waitMessage(orig);
    const e = await h.waitMessage(h.inject({ id: 'K-E-1', from: PHONE, type: 'edit', targetId: orig, text: 'see you at 6' }));
    expect(e.content).toBe('Edited: see you at 6');
    expect(e.content_attributes).toMatchObject({ in_reply_to: o.id, in_reply_to_external_id: `WAID:${orig}` });
    // The original stays as it was.
    expect(h.messagesFor(orig)[0].content).toBe('see you at 5');
  });

  test('revoke of a relayed message deletes it in Chatwoot, and posts nothing new', async () => {
    const orig = h.inject({ id: 'K-D-ORIG', from: PHONE, type: 'text', text: 'oops, wrong chat' });
    const o = await h.waitMessage(orig);
    const before = h.chatwoot.messages().length;
    h.inject({ from: PHONE, type: 'revoke', targetId: orig });
    const deleted = await waitFor(() => h.chatwoot.messages().find((m) => m.id === o.id && m.content_attributes.deleted === true), 10_000);
    expect(deleted.content).toBe('This message was deleted');
    // A later message proves the revoke was fully handled before we count.
    await h.waitMessage(h.inject({ id: 'K-D-AFTER', from: PHONE, type: 'text', text: 'sorry' }));
    expect(h.chatwoot.messages().length).toBe(before + 1);
  });

  test('revoke of a message Ponte never relayed becomes a private note', async () => {
    h.inject({ from: PHONE, type: 'revoke', targetId: 'K-D-UNKNOWN' });
    const note = await h.waitMessage('revoke:K-D-UNKNOWN');
    expect(note).toMatchObject({ content: 'A message was deleted on WhatsApp', private: true, message_type: 'outgoing' });
  });

  test('poll, call and unknown kinds become placeholders agents can see', async () => {
    const poll = await h.waitMessage(h.inject({ id: 'K-POLL', from: PHONE, type: 'poll', text: 'Lunch on Friday?' }));
    expect(poll.content).toBe('[Poll received — open WhatsApp to see it]\nLunch on Friday?');
    const call = await h.waitMessage(h.inject({ id: 'K-CALL', from: PHONE, type: 'call' }));
    expect(call.content).toBe('[WhatsApp call — open WhatsApp to see it]');
    const unknown = await h.waitMessage(h.inject({ id: 'K-UNK', from: PHONE, type: 'unknown', rawType: 'product' }));
    expect(unknown.content).toBe('[Unsupported message type "product" — open WhatsApp to see it]');
  });

  test('media above maxMediaMB becomes a text note with name, size and caption', async () => {
    const big = bytes(60_000, 3);
    const m = await h.waitMessage(
      h.inject({
        id: 'K-BIG',
        from: PHONE,
        type: 'video',
        caption: 'holiday',
        media: { mimetype: 'video/mp4', filename: 'holiday.mp4', base64: big.toString('base64') },
      }),
    );
    expect(m.attachments).toEqual([]);
    expect(m.content).toBe('[Video not relayed: holiday.mp4, 58.6 KB, above the 0.05 MB limit]\nholiday');
  });

  test('media the phone no longer has becomes a text note', async () => {
    const m = await h.waitMessage(
      h.inject({
        id: 'K-GONE',
        from: PHONE,
        type: 'document',
        media: { mimetype: 'application/pdf', filename: 'invoice.pdf', base64: bytes(3072, 5).toString('base64'), gone: true },
      }),
    );
    expect(m.attachments).toEqual([]);
    expect(m.content).toBe('[Document not relayed: invoice.pdf, 3 KB, no longer available on WhatsApp]');
  });

  test('all of it landed in one conversation of one contact', () => {
    expect(h.chatwoot.contacts()).toHaveLength(1);
    expect(h.chatwoot.contactInboxes()).toHaveLength(1);
    expect(h.chatwoot.conversations()).toHaveLength(1);
  });
});
