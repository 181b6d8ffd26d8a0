import type { Harness } from '../../helpers/relay-harness';

export const NUMBERS = 200;
export const PER_NUMBER = 5;

/** 1,000 messages from 200 new numbers, interleaved the way a busy inbox receives them. */
export function injectBurst(h: Harness, tag: string): Map<string, string[]> {
  const expected = new Map<string, string[]>();
  for (let j = 0; j < PER_NUMBER; j++) {
    for (let i = 0; i < NUMBERS; i++) {
      const phone = `+3519130${String(i).padStart(5, '0')}`;
      const text = `${tag} ${i} #${j}`;
      h.inject({ id: `${tag}-${i}-${j}`, from: phone, pushName: `Burst ${i}`, type: 'text', text });
      expected.set(phone, [...(expected.get(phone) ?? []), text]);
    }
  }
  return expected;
}

/** Exactly one contact, contact_inbox and conversation per number; every message once, each chat in order. */
export function expectBurstDelivered(h: Harness, expected: Map<string, string[]>): void {
  const cw = h.chatwoot;
  const contacts = cw.contacts();
  const conversations = cw.conversations();
  const messages = cw.messages();
  expect(contacts).toHaveLength(NUMBERS);
  expect(cw.contactInboxes()).toHaveLength(NUMBERS);
  expect(conversations).toHaveLength(NUMBERS);
  expect(messages).toHaveLength(NUMBERS * PER_NUMBER);
  expect(new Set(messages.map((m) => m.source_id)).size).toBe(NUMBERS * PER_NUMBER);
  // Chatwoot shows a conversation's messages by id: compare that order with the order they were sent in.
  const byConversation = new Map<number, string[]>();
  for (const m of messages) byConversation.set(m.conversation_id, [...(byConversation.get(m.conversation_id) ?? []), m.content ?? '']);
  const contactByPhone = new Map(contacts.map((c) => [c.phone_number, c]));
  for (const [phone, texts] of expected) {
    const contact = contactByPhone.get(phone);
    expect(contact).toBeDefined();
    const convs = conversations.filter((c) => c.contact_id === contact!.id);
    expect(convs).toHaveLength(1);
    expect(byConversation.get(convs[0].id)).toEqual(texts);
  }
}
