import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { waitFor } from '../../helpers/wait';

const GROUP = '120363041234567890@g.us';

describe('WhatsApp -> Chatwoot: groups (groups: relay)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('one conversation per group, contact named after the group, each message prefixed with its author', async () => {
    const a = h.inject({
      id: 'G-1',
      chatId: GROUP,
      from: '+351912200001',
      author: '+351912200001',
      pushName: 'Ana',
      chatName: 'Equipa Lisboa',
      type: 'text',
      text: 'bom dia',
    });
    const b = h.inject({
      id: 'G-2',
      chatId: GROUP,
      from: '+5511987654321',
      author: '+5511987654321',
      pushName: 'Bruno *B*',
      chatName: 'Equipa Lisboa',
      type: 'text',
      text: 'olá',
    });
    const c = h.inject({
      id: 'G-3',
      chatId: GROUP,
      from: '+351912200001',
      author: '+351912200001',
      pushName: 'Ana',
      chatName: 'Equipa Lisboa',
      type: 'image',
      caption: 'the board',
      media: { mimetype: 'image/png', base64: Buffer.from('png-bytes').toString('base64') },
    });
    const [ma, mb, mc] = [await h.waitMessage(a), await h.waitMessage(b), await h.waitMessage(c)];

    expect(h.chatwoot.conversations()).toHaveLength(1);
    expect(h.chatwoot.contacts()).toHaveLength(1);
    const contact = h.chatwoot.contacts()[0];
    expect(contact).toMatchObject({ name: 'Equipa Lisboa', identifier: GROUP, phone_number: null });
    expect(h.chatwoot.conversations()[0].source_id).toBe(GROUP);

    expect(ma.content).toBe('**Ana** (+•••0001):\nbom dia');
    // The name is escaped so Chatwoot's markdown does not eat it; the full number never shows.
    expect(mb.content).toBe('**Bruno \\*B\\*** (+•••4321):\nolá');
    expect(mc.content).toBe('**Ana** (+•••0001):\nthe board');
    expect(mc.attachments[0].data.toString()).toBe('png-bytes');
    for (const m of [ma, mb, mc]) {
      expect(m.message_type).toBe('incoming');
      expect(m.content).not.toContain('912200001');
      expect(m.content).not.toContain('987654321');
    }
    // The participants are not made contacts of their own.
    expect(h.chatwoot.contacts().some((x) => x.phone_number === '+351912200001')).toBe(false);
    expect(h.chatwoot.rejections()).toEqual([]);
  });
  test('reactions and edits in a group also say who reacted or edited', async () => {
    const orig = h.inject({
      id: 'G-Q',
      chatId: GROUP,
      from: '+351912200001',
      author: '+351912200001',
      pushName: 'Ana',
      chatName: 'Equipa Lisboa',
      type: 'text',
      text: 'reunião às 10',
    });
    await h.waitMessage(orig);
    const r = await h.waitMessage(
      h.inject({
        id: 'G-R',
        chatId: GROUP,
        from: '+5511987654321',
        author: '+5511987654321',
        pushName: 'Bruno',
        type: 'reaction',
        targetId: orig,
        emoji: '👍',
      }),
    );
    expect(r.content).toBe('**Bruno** (+•••4321):\nReacted 👍');
    const e = await h.waitMessage(
      h.inject({
        id: 'G-E',
        chatId: GROUP,
        from: '+351912200001',
        author: '+351912200001',
        pushName: 'Ana',
        type: 'edit',
        targetId: orig,
        text: 'reunião às 11',
      }),
    );
    expect(e.content).toMatch(/^\+•••0001:\nEdited: reunião às 11$|^\*\*Ana\*\* \(\+•••0001\):\nEdited: reunião às 11$/);
  });
});

describe('WhatsApp -> Chatwoot: groups: ignore', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness({ session: { groups: 'ignore' } });
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('group messages, reactions, edits and deletions are dropped and counted once; 1:1 chats still flow', async () => {
    const author = { chatId: GROUP, from: '+351912200001', author: '+351912200001' };
    for (let i = 0; i < 3; i++) h.inject({ ...author, id: `GI-${i}`, type: 'text', text: `group ${i}` });
    h.inject({ ...author, id: 'GI-R', type: 'reaction', targetId: 'GI-0', emoji: '👍' });
    h.inject({ ...author, id: 'GI-E', type: 'edit', targetId: 'GI-1', text: 'group 1, edited' });
    // A deletion in an ignored group must not open a conversation for it (nor post a note there).
    h.inject({ ...author, type: 'revoke', targetId: 'GI-2' });
    await waitFor(async () => (await h.metric('ponte_events_ignored_total', { reason: 'group' })) === 6, 10_000);
    // The phone re-delivers one: a duplicate, not a second ignored message.
    h.inject({ ...author, id: 'GI-0', type: 'text', text: 'group 0' });
    await waitFor(async () => (await h.metric('ponte_dedupe_hits_total', { direction: 'inbound' })) === 1, 10_000);
    const direct = h.inject({ from: '+351912200002', type: 'text', text: 'direct' });
    await h.waitMessage(direct);
    expect(await h.metric('ponte_events_ignored_total', { reason: 'group' })).toBe(6);
    expect(h.chatwoot.messages().map((m) => m.content)).toEqual(['direct']);
    expect(h.chatwoot.contacts().map((c) => c.identifier)).toEqual(['351912200002@c.us']);
    expect(h.chatwoot.conversations()).toHaveLength(1);
  });
});

describe('WhatsApp -> Chatwoot: linked ids (@lid)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('@lid first, then @c.us: one contact, one conversation, identifier and whatsapp_lid kept', async () => {
    const lid = h.inject({
      id: 'L-1',
      from: '99887766554433@lid',
      phone: '+351912300001',
      pushName: 'Lia',
      type: 'text',
      text: 'from the lid',
    });
    await h.waitMessage(lid);
    const pn = h.inject({ id: 'L-2', from: '+351912300001', pushName: 'Lia', type: 'text', text: 'from the phone' });
    await h.waitMessage(pn);
    const lid2 = h.inject({ id: 'L-3', from: '99887766554433@lid', pushName: 'Lia', type: 'text', text: 'lid again' });
    await h.waitMessage(lid2);

    expect(h.chatwoot.contacts()).toHaveLength(1);
    expect(h.chatwoot.contactInboxes()).toHaveLength(1);
    expect(h.chatwoot.conversations()).toHaveLength(1);
    const c = h.chatwoot.contacts()[0];
    expect(c).toMatchObject({ phone_number: '+351912300001', identifier: '351912300001@c.us' });
    expect(c.custom_attributes).toMatchObject({ whatsapp_id: '351912300001@c.us', whatsapp_lid: '99887766554433@lid' });
    expect(h.chatwoot.messages().map((m) => m.content)).toEqual(['from the lid', 'from the phone', 'lid again']);
    expect(h.chatwoot.rejections()).toEqual([]);
  });

  test('@c.us first, then @lid: still one contact, and the lid is recorded on it', async () => {
    const pn = h.inject({ id: 'L-10', from: '+351912300002', pushName: 'Rui', type: 'text', text: 'phone first' });
    await h.waitMessage(pn);
    const lid = h.inject({
      id: 'L-11',
      from: '11223344556677@lid',
      phone: '+351912300002',
      pushName: 'Rui',
      type: 'text',
      text: 'then lid',
    });
    await h.waitMessage(lid);

    const mine = h.chatwoot.contacts().filter((c) => c.phone_number === '+351912300002');
    expect(mine).toHaveLength(1);
    expect(mine[0].identifier).toBe('351912300002@c.us');
    expect(h.chatwoot.conversations().filter((c) => c.contact_id === mine[0].id)).toHaveLength(1);
    await waitFor(
      () => h.chatwoot.contacts().find((c) => c.id === mine[0].id)?.custom_attributes.whatsapp_lid === '11223344556677@lid',
      10_000,
    );
    expect(h.chatwoot.contacts().find((c) => c.id === mine[0].id)!.custom_attributes).toMatchObject({ whatsapp_id: '351912300002@c.us' });
    expect(h.chatwoot.rejections()).toEqual([]);
  });
});
