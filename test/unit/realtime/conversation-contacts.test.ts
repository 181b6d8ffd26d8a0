import type { AgentEvent } from '../../../src/core/agent-messages';
import { ConversationContacts } from '../../../src/chatwoot/realtime/conversation-contacts';
import type { CwConversation } from '../../../src/chatwoot/types';

const send = (conversationId: number, chatKey?: string): AgentEvent => ({
  type: 'send',
  message: { id: conversationId * 10, conversationId, inboxId: 1, chatKey, text: 'hi', attachments: [], createdAt: 1 },
});

function client(phones: Record<number, string | undefined>) {
  const calls: number[] = [];
  return {
    calls,
    async getConversation(id: number): Promise<CwConversation> {
      calls.push(id);
      if (!(id in phones)) throw new Error(`conversation ${id}: 503`);
      return { id, inbox_id: 1, status: 'open', meta: { sender: { id: 5, phone_number: phones[id] } } };
    },
  };
}

describe('ConversationContacts (phone lookup for realtime messages)', () => {
  test('no lookup when the source id already is a WhatsApp chat id', async () => {
    const c = client({});
    const contacts = new ConversationContacts(c);
    const e = send(1, '351912000001@c.us');
    expect(await contacts.complete(e)).toBe(e);
    expect(await contacts.complete({ type: 'delete', id: 1, conversationId: 1, inboxId: 1 })).toEqual({
      type: 'delete',
      id: 1,
      conversationId: 1,
      inboxId: 1,
    });
    expect(c.calls).toEqual([]);
  });

  test('a UUID source id (a conversation an agent started) gets the contact phone, looked up once per conversation', async () => {
    const c = client({ 7: '+351912000007' });
    const contacts = new ConversationContacts(c);
    const out = await contacts.complete(send(7, '0b3c4f7e-1111-4d0e-9a52-9f4f1c7f2a10'));
    expect(out.type === 'send' && out.message).toMatchObject({
      chatKey: '0b3c4f7e-1111-4d0e-9a52-9f4f1c7f2a10',
      contactPhone: '+351912000007',
    });
    await contacts.complete(send(7, '0b3c4f7e-1111-4d0e-9a52-9f4f1c7f2a10'));
    const typing = await contacts.complete({ type: 'typing', conversationId: 7, inboxId: 1, on: true });
    expect(typing).toMatchObject({ contactPhone: '+351912000007' });
    expect(c.calls).toEqual([7]);
  });

  test('entries expire, and the cache is bounded', async () => {
    let now = 0;
    const c = client({ 1: '+351912000001', 2: '+351912000002', 3: '+351912000003' });
    const contacts = new ConversationContacts(c, 1000, 2, () => now);
    await contacts.complete(send(1));
    now = 999;
    await contacts.complete(send(1));
    now = 1001;
    await contacts.complete(send(1));
    expect(c.calls).toEqual([1, 1]);
    await contacts.complete(send(2));
    await contacts.complete(send(3)); // pushes 1 out
    await contacts.complete(send(1));
    expect(c.calls).toEqual([1, 1, 2, 3, 1]);
  });

  test('a failed lookup throws (the caller leaves the message to the poll) and is not cached', async () => {
    const c = client({});
    const contacts = new ConversationContacts(c);
    await expect(contacts.complete(send(4))).rejects.toThrow('conversation 4: 503');
    await expect(contacts.complete(send(4))).rejects.toThrow('503');
    expect(c.calls).toEqual([4, 4]);
  });
});
