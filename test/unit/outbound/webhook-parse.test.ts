import { parseWebhook } from '../../../src/chatwoot/webhook-parse';

const conversation = {
  id: 42,
  inbox_id: 3,
  contact_inbox: { source_id: '351912345678@c.us' },
  meta: { sender: { phone_number: '+351912345678' } },
  // The last public message: never the content to send (PITFALLS.md 5).
  messages: [{ id: 1, content: 'an OLD public message' }],
};
const created = (over: Record<string, unknown> = {}) => ({
  event: 'message_created',
  id: 1234,
  message_type: 'outgoing',
  private: false,
  content: 'Hello **there**',
  content_attributes: {},
  source_id: null,
  created_at: '2026-04-20T10:00:00.000Z',
  inbox: { id: 3 },
  sender: { id: 2, type: 'user' },
  attachments: [],
  conversation,
  ...over,
});

describe('Chatwoot webhook parsing', () => {
  test('an outgoing agent message becomes a send with WhatsApp formatting, from its own fields', () => {
    const parsed = parseWebhook(created());
    expect(parsed).toMatchObject({
      event: {
        type: 'send',
        message: { id: 1234, conversationId: 42, inboxId: 3, chatKey: '351912345678@c.us', text: 'Hello *there*', createdAt: 1776679200 },
      },
      deliveryKey: 'created:1234',
    });
  });
  test('a private note is ignored, never turned into a re-send of the last public message', () => {
    expect(parseWebhook(created({ private: true, content: 'internal' }))).toEqual({ ignored: 'private_note' });
  });
  test("incoming messages and messages carrying a source_id (Ponte's own inserts) are ignored", () => {
    expect(parseWebhook(created({ message_type: 'incoming' }))).toEqual({ ignored: 'not_outgoing' });
    expect(parseWebhook(created({ source_id: 'WAID:ABC' }))).toEqual({ ignored: 'own_insert' });
  });
  test('template messages are sent like outgoing ones', () => {
    expect(parseWebhook(created({ message_type: 'template' }))).toMatchObject({ event: { type: 'send' } });
  });
  test('attachments carry URL, type and a filename from the data_url', () => {
    const parsed = parseWebhook(
      created({
        content: '',
        attachments: [
          {
            data_url: 'https://cw.test/rails/active_storage/blobs/redirect/eyJ/fatura%20mar%C3%A7o.pdf',
            extension: 'pdf',
            file_type: 'file',
            file_size: 48213,
          },
        ],
      }),
    );
    expect(parsed).toMatchObject({
      event: {
        message: {
          attachments: [{ url: expect.stringContaining('fatura'), filename: 'fatura março.pdf', mimetype: 'application/pdf', size: 48213 }],
        },
      },
    });
  });
  test('quotes keep both the Chatwoot id and the external id', () => {
    const parsed = parseWebhook(created({ content_attributes: { in_reply_to: 99, in_reply_to_external_id: 'WAID:XYZ' } }));
    expect(parsed).toMatchObject({ event: { message: { inReplyTo: { helpdeskId: 99, externalId: 'WAID:XYZ' } } } });
  });
  test('a deletion arrives as message_updated with content_attributes.deleted', () => {
    expect(parseWebhook(created({ event: 'message_updated', content_attributes: { deleted: true } }))).toMatchObject({
      event: { type: 'delete', id: 1234, conversationId: 42 },
    });
    expect(parseWebhook(created({ event: 'message_updated', content_attributes: {} }))).toEqual({ ignored: 'update' });
  });
  test('an empty message and unknown events are ignored with a reason', () => {
    expect(parseWebhook(created({ content: '   ' }))).toEqual({ ignored: 'empty' });
    expect(parseWebhook({ event: 'contact_updated' })).toEqual({ ignored: 'event_contact_updated' });
    expect(parseWebhook('nope')).toEqual({ ignored: 'not_an_object' });
  });
  test('typing events carry the chat', () => {
    expect(parseWebhook({ event: 'conversation_typing_on', conversation, is_private: false })).toMatchObject({
      event: { type: 'typing', on: true, chatKey: '351912345678@c.us' },
    });
    expect(parseWebhook({ event: 'conversation_typing_on', conversation, is_private: true })).toEqual({ ignored: 'typing_private' });
  });
});
