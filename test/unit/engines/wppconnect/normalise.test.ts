import {
  msgIdOf,
  toAckEvent,
  toCallEvent,
  toEditEvent,
  toReactionEvent,
  toRemoteMessage,
  toRevokeEvent,
} from '../../../../src/engines/wppconnect/normalise';

/**
 * wppconnect's Message is plain JSON whose shape differs from its typings. These fixtures are shaped as
 * the library's serialiser (WAPI._serializeMessageObj) and puppeteer's JSON hand them over.
 */
const ME = '351910000000@c.us';
const PEER = '351912000111@c.us';
const GROUP = '120363000000000001@g.us';
const wid = (id: string) => ({ server: id.split('@')[1], user: id.split('@')[0], _serialized: id });
const THUMB = '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD';

function incoming(fields: Record<string, unknown>) {
  return {
    id: `false_${PEER}_3EB0AAAA`,
    from: PEER,
    to: ME,
    chatId: wid(PEER),
    fromMe: false,
    t: 1_760_000_000,
    type: 'chat',
    body: 'hi',
    sender: { id: PEER, pushname: 'Ana' },
    notifyName: 'Ana (old)',
    isGroupMsg: false,
    ...fields,
  };
}

describe('message ids', () => {
  test('MsgKey objects become the same string WhatsApp Web prints, with or without _serialized', () => {
    const key = { fromMe: true, remote: wid(PEER), id: '3EB0ABC', _serialized: `true_${PEER}_3EB0ABC` };
    expect(msgIdOf(key)).toBe(`true_${PEER}_3EB0ABC`);
    const { _serialized: _drop, ...bare } = key;
    expect(msgIdOf(bare)).toBe(`true_${PEER}_3EB0ABC`);
    expect(msgIdOf({ fromMe: false, remote: GROUP, id: '3EB0X', participant: wid(PEER) })).toBe(`false_${GROUP}_3EB0X_${PEER}`);
    expect(msgIdOf(`false_${PEER}_3EB0`)).toBe(`false_${PEER}_3EB0`);
    expect(msgIdOf({})).toBeUndefined();
  });

  test('a message whose id and chat are objects (unread listings) normalises to strings', () => {
    const m = toRemoteMessage(incoming({ id: { fromMe: false, remote: wid(PEER), id: '3EB0OBJ' }, chatId: undefined }));
    expect(m).toMatchObject({ id: `false_${PEER}_3EB0OBJ`, chatId: PEER, from: PEER, fromMe: false });
  });
});

describe('toRemoteMessage', () => {
  test('a text: body, timestamp in seconds, push name from sender.pushname', () => {
    expect(toRemoteMessage(incoming({}))).toEqual({
      id: `false_${PEER}_3EB0AAAA`,
      chatId: PEER,
      from: PEER,
      fromMe: false,
      timestamp: 1_760_000_000,
      kind: 'text',
      text: 'hi',
      isGroup: false,
      pushName: 'Ana',
    });
  });

  test('media: the caption is the text, the base64 thumbnail in body is never shown as words', () => {
    const m = toRemoteMessage(incoming({ type: 'image', body: THUMB, caption: 'look', mimetype: 'image/jpeg', size: 2048 }));
    expect(m).toMatchObject({
      kind: 'image',
      text: 'look',
      media: { mimetype: 'image/jpeg', size: 2048, handle: `false_${PEER}_3EB0AAAA` },
    });
    const bare = toRemoteMessage(incoming({ type: 'image', body: THUMB, mimetype: 'image/jpeg' }));
    expect(bare?.text).toBeUndefined();
    expect(JSON.stringify(bare)).not.toContain(THUMB.slice(0, 20));
  });

  test('a document keeps its file name (present at run time, absent from the typings)', () => {
    const m = toRemoteMessage(incoming({ type: 'document', body: THUMB, filename: 'invoice.pdf', mimetype: 'application/pdf', size: 10 }));
    expect(m?.media).toEqual({ mimetype: 'application/pdf', filename: 'invoice.pdf', size: 10, handle: `false_${PEER}_3EB0AAAA` });
  });

  test.each([
    ['chat', 'text'],
    ['image', 'image'],
    ['video', 'video'],
    ['audio', 'audio'],
    ['ptt', 'voice'],
    ['document', 'document'],
    ['sticker', 'sticker'],
    ['location', 'location'],
    ['vcard', 'contact'],
    ['multi_vcard', 'contact'],
    ['poll_creation', 'poll'],
    ['call_log', 'call'],
    ['ptv', 'video'],
    ['list_response', 'unknown'],
  ])('type %s -> kind %s', (type, kind) => {
    expect(toRemoteMessage(incoming({ type }))?.kind).toBe(kind);
  });

  test('unknown kinds keep the library type for the placeholder; a voice note without a mimetype gets ogg/opus', () => {
    expect(toRemoteMessage(incoming({ type: 'list_response', body: 'Option 2' }))).toMatchObject({
      kind: 'unknown',
      rawType: 'list_response',
    });
    expect(toRemoteMessage(incoming({ type: 'ptt', body: THUMB }))?.media?.mimetype).toBe('audio/ogg; codecs=opus');
  });

  test('location from lat, lng and loc ("name\\naddress"); the thumbnail body is ignored', () => {
    const m = toRemoteMessage(
      incoming({ type: 'location', body: THUMB, lat: 38.7223, lng: -9.1393, loc: 'Praça do Comércio\n1100-148 Lisboa' }),
    );
    expect(m).toMatchObject({
      kind: 'location',
      location: { lat: 38.7223, lng: -9.1393, name: 'Praça do Comércio', address: '1100-148 Lisboa' },
    });
    expect(m?.text).toBeUndefined();
  });

  test('contacts: one vCard in body, several in vcardList', () => {
    const card = 'BEGIN:VCARD\nVERSION:3.0\nFN:Rui\nTEL;type=CELL;waid=351913000222:+351 913 000 222\nEND:VCARD';
    expect(toRemoteMessage(incoming({ type: 'vcard', body: card }))?.vcards).toEqual([card]);
    expect(
      toRemoteMessage(
        incoming({
          type: 'multi_vcard',
          body: '',
          vcardList: [
            { displayName: 'Rui', vcard: card },
            { displayName: 'Eva', vcard: card.replace('Rui', 'Eva') },
          ],
        }),
      )?.vcards,
    ).toHaveLength(2);
  });

  test('a group message: the participant (author) is the sender; the chat is the group', () => {
    const m = toRemoteMessage(
      incoming({ id: `false_${GROUP}_3EB0G_${PEER}`, from: GROUP, author: wid(PEER), chatId: wid(GROUP), isGroupMsg: true }),
    );
    expect(m).toMatchObject({ chatId: GROUP, from: PEER, isGroup: true, fromMe: false });
  });

  test('our own message typed on the phone: fromMe, sent by us, in the peer chat', () => {
    const m = toRemoteMessage(
      {
        id: `true_${PEER}_3EB0ME`,
        from: ME,
        to: PEER,
        chatId: wid(PEER),
        fromMe: true,
        t: 1_760_000_100,
        type: 'chat',
        body: 'from the phone',
      },
      { meId: ME },
    );
    expect(m).toMatchObject({ id: `true_${PEER}_3EB0ME`, chatId: PEER, from: ME, fromMe: true, text: 'from the phone' });
    expect(m?.pushName).toBeUndefined();
  });

  test('quoted messages: quotedMsgId when loaded, else rebuilt from quotedStanzaID and quotedParticipant', () => {
    expect(toRemoteMessage(incoming({ quotedMsgId: `true_${PEER}_3EB0Q` }))?.quotedId).toBe(`true_${PEER}_3EB0Q`);
    expect(toRemoteMessage(incoming({ quotedStanzaID: '3EB0R', quotedParticipant: wid(ME) }), { meId: ME })?.quotedId).toBe(
      `true_${PEER}_3EB0R`,
    );
    const inGroup = toRemoteMessage(
      incoming({ id: `false_${GROUP}_3EB0G_${PEER}`, chatId: wid(GROUP), author: PEER, quotedStanzaID: '3EB0S', quotedParticipant: PEER }),
      { meId: ME },
    );
    expect(inGroup?.quotedId).toBe(`false_${GROUP}_3EB0S_${PEER}`);
  });

  test('system entries, status updates and channel posts are not messages', () => {
    expect(toRemoteMessage(incoming({ type: 'e2e_notification' }))).toBeUndefined();
    // The parent of several photos sent at once: each picture comes as a message of its own.
    expect(toRemoteMessage(incoming({ type: 'album', body: '' }))).toBeUndefined();
    expect(toRemoteMessage(incoming({ type: 'gp2' }))).toBeUndefined();
    expect(toRemoteMessage(incoming({ isNotification: true }))).toBeUndefined();
    expect(
      toRemoteMessage(incoming({ id: 'false_status@broadcast_3EB0S_351912000111@c.us', chatId: wid('status@broadcast') })),
    ).toBeUndefined();
    expect(toRemoteMessage(incoming({ id: 'false_1203@newsletter_99', chatId: '1203@newsletter' }))).toBeUndefined();
    expect(toRemoteMessage(incoming({ id: undefined }))).toBeUndefined();
  });
});

describe('acks', () => {
  test.each([
    [-7, 'FAILED'],
    [-4, 'FAILED'], // CONTENT_TOO_BIG
    [-1, 'FAILED'],
    [0, 'PENDING'],
    [1, 'SENT'],
    [2, 'DELIVERED'],
    [3, 'READ'],
    [4, 'PLAYED'],
  ])('ack code %i of our message is %s (every negative code is a failure)', (code, ack) => {
    expect(toAckEvent({ id: { fromMe: true, remote: wid(PEER), id: '3EB0SENT' }, ack: code })?.ack).toBe(ack);
  });

  test('an ack code WhatsApp Web has no name for is not reported', () => {
    expect(toAckEvent({ id: { fromMe: true, remote: wid(PEER), id: '3EB0SENT' }, ack: 5 })).toBeUndefined(); // PEER
  });

  test('an ack with a MsgKey object id gives the string id and chat of our sent message', () => {
    const ack = toAckEvent({ id: { fromMe: true, remote: wid(PEER), id: '3EB0SENT' }, ack: 3, from: ME, to: PEER });
    expect(ack).toEqual({ messageId: `true_${PEER}_3EB0SENT`, chatId: PEER, ack: 'READ' });
  });

  test('acks of messages we received are our own reads, not delivery reports', () => {
    expect(toAckEvent({ id: { fromMe: false, remote: wid(PEER), id: '3EB0IN' }, ack: 3 })).toBeUndefined();
    expect(toAckEvent({ id: `false_${PEER}_3EB0IN`, ack: 3 })).toBeUndefined();
  });
});

describe('revokes, edits, reactions, calls', () => {
  test('a media caption edit: the text is the caption, never the thumbnail WhatsApp Web keeps in body', () => {
    const msg = {
      ...incoming({ type: 'image', body: THUMB, caption: 'new caption', mimetype: 'image/jpeg' }),
      latestEditMsgKey: { fromMe: false, remote: wid(PEER), id: '3EB0EDIT2' },
    };
    expect(toEditEvent({ chat: wid(ME), id: msg.id, msg })).toMatchObject({ messageId: msg.id, text: 'new caption' });
    // A media message edited without a caption says nothing in words.
    expect(toEditEvent({ chat: wid(ME), id: msg.id, msg: { ...msg, caption: undefined } })).toBeUndefined();
  });

  test('a revoke names the deleted message (refId) and its chat', () => {
    expect(toRevokeEvent({ id: `false_${PEER}_3EB0REV`, refId: `false_${PEER}_3EB0ORIG`, from: wid(PEER), to: wid(ME) })).toMatchObject({
      messageId: `false_${PEER}_3EB0ORIG`,
      chatId: PEER,
      fromMe: false,
    });
  });

  test('an edit carries the new text, the edited message and a unique id of its own', () => {
    const edit = toEditEvent({
      chat: wid(ME),
      id: `false_${PEER}_3EB0ORIG`,
      msg: {
        ...incoming({ body: 'fixed typo' }),
        id: `false_${PEER}_3EB0ORIG`,
        latestEditMsgKey: { fromMe: false, remote: wid(PEER), id: '3EB0EDIT1' },
        latestEditSenderTimestampMs: 1_760_000_500_000,
      },
    });
    expect(edit).toEqual({
      id: `false_${PEER}_3EB0EDIT1`,
      messageId: `false_${PEER}_3EB0ORIG`,
      chatId: PEER,
      from: PEER,
      fromMe: false,
      text: 'fixed typo',
      timestamp: 1_760_000_500,
    });
  });

  test('a reaction: MsgKey objects for itself and its target, sender Wid, milliseconds to seconds, "" = removed', () => {
    const r = toReactionEvent({
      id: { fromMe: false, remote: wid(PEER), id: '3EB0REACT' },
      msgId: { fromMe: true, remote: wid(PEER), id: '3EB0MINE' },
      reactionText: '👍',
      sender: wid(PEER),
      timestamp: 1_760_000_600_123,
    });
    expect(r).toEqual({
      id: `false_${PEER}_3EB0REACT`,
      messageId: `true_${PEER}_3EB0MINE`,
      chatId: PEER,
      from: PEER,
      fromMe: false,
      emoji: '👍',
      timestamp: 1_760_000_600,
    });
    expect(
      toReactionEvent({ id: `false_${PEER}_3EB0R2`, msgId: `true_${PEER}_3EB0MINE`, reactionText: '', sender: PEER, timestamp: 1 })?.emoji,
    ).toBe('');
  });

  test('incoming calls become call events; our own outgoing calls do not', () => {
    expect(
      toCallEvent({ id: 'CALL1', peerJid: wid(PEER), offerTime: 1_760_000_700, isVideo: true, isGroup: false, outgoing: false }),
    ).toEqual({ id: 'CALL1', from: PEER, isVideo: true, isGroup: false, timestamp: 1_760_000_700 });
    expect(toCallEvent({ id: 'CALL2', peerJid: PEER, outgoing: true })).toBeUndefined();
  });
});
