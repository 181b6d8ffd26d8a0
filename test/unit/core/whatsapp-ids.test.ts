import {
  isBroadcastId,
  isChatKey,
  isGroupId,
  isLidId,
  isNewsletterId,
  isPersonalId,
  isPhoneId,
  isStatusId,
  isStatusOrChannel,
  phoneDigitsOf,
  phoneId,
  phoneOfId,
  userOf,
  whatsAppIdKind,
} from '../../../src/core/whatsapp-ids';

describe('the kind of a WhatsApp id', () => {
  test.each([
    ['351912345678@c.us', 'phone'],
    ['351912345678:12@s.whatsapp.net', 'phone'],
    ['123456789012345@lid', 'lid'],
    ['120363012345678901@g.us', 'group'],
    ['351912345678-1600000000@g.us', 'group'],
    ['status@broadcast', 'status'],
    ['1600000000@broadcast', 'broadcast'],
    ['120363123456789012@newsletter', 'newsletter'],
    ['351912345678', 'other'],
    ['someone@example.com', 'other'],
    ['x@constructor', 'other'],
    ['', 'other'],
  ])('%s is %s', (id, kind) => {
    expect(whatsAppIdKind(id)).toBe(kind);
  });

  test('one-to-one chats are phone and linked ids, never groups or broadcasts', () => {
    expect(['351912345678@c.us', '123@lid'].map(isPersonalId)).toEqual([true, true]);
    expect(['1@g.us', 'status@broadcast', '1@newsletter', '351912345678'].map(isPersonalId)).toEqual([false, false, false, false]);
    expect(isPhoneId('123@lid')).toBe(false);
    expect(isLidId('123@lid')).toBe(true);
    expect(isGroupId('1@g.us')).toBe(true);
    expect(isGroupId('1@c.us')).toBe(false);
  });

  test("status updates and channels are nobody's conversation; broadcast lists count as broadcasts only", () => {
    expect(isStatusId('status@broadcast')).toBe(true);
    expect(isNewsletterId('1@newsletter')).toBe(true);
    expect(['status@broadcast', '1@newsletter', '1@broadcast', '1@c.us'].map(isStatusOrChannel)).toEqual([true, true, false, false]);
    expect(['status@broadcast', '1@newsletter', '1@broadcast', '1@c.us', '1@g.us'].map(isBroadcastId)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});

describe('the phone number inside an id', () => {
  test('a phone id gives its digits, without the device of the protocol form', () => {
    expect(phoneDigitsOf('351912345678@c.us')).toBe('351912345678');
    expect(phoneDigitsOf('351912345678:12@s.whatsapp.net')).toBe('351912345678');
    expect(phoneOfId('351912345678@c.us')).toBe('+351912345678');
  });

  test('linked ids, groups, broadcasts and bare numbers have none', () => {
    for (const id of ['123456789@lid', '120363012345678901@g.us', 'status@broadcast', '351912345678', '@c.us', undefined]) {
      expect(phoneDigitsOf(id)).toBeUndefined();
      expect(phoneOfId(id)).toBeUndefined();
    }
  });

  test("a person's id from a number written any way", () => {
    expect(phoneId('+351 912 345 678')).toBe('351912345678@c.us');
    expect(phoneId('351912345678')).toBe('351912345678@c.us');
  });

  test('the user half of an id', () => {
    expect(userOf('120363012345678901@g.us')).toBe('120363012345678901');
    expect(userOf('no-server')).toBe('no-server');
  });
});

describe('chat keys a conversation may carry back', () => {
  test('only the forms Ponte writes', () => {
    expect(['351912345678@c.us', '120363012345678901@g.us', '351912345678-1600000000@g.us', '123456@lid'].every(isChatKey)).toBe(true);
    expect(
      ['351912345678', '+351912345678@c.us', 'status@broadcast', '1@newsletter', '351912345678:1@s.whatsapp.net', 'abc@lid'].some(
        isChatKey,
      ),
    ).toBe(false);
  });
});
