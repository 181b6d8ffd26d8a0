import { realtimeToEvent } from '../../../src/chatwoot/realtime/frame-to-event';
import { parseWebhook } from '../../../src/chatwoot/webhook-parse';

/** Message#push_event_data as ActionCableListener broadcasts it (CONTRACTS.md, Realtime), plus account_id. */
function pushData(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 1234,
    content: 'Olá **João**',
    account_id: 1,
    inbox_id: 3,
    conversation_id: 42,
    message_type: 1,
    created_at: 1776679200,
    updated_at: '2026-04-20T10:00:00.000Z',
    private: false,
    status: 'sent',
    source_id: null,
    content_type: 'text',
    content_attributes: {},
    sender_type: 'User',
    sender_id: 2,
    external_source_ids: {},
    additional_attributes: {},
    processed_message_content: 'Olá **João**',
    sentiment: {},
    echo_id: 'echo-1',
    conversation: { assignee_id: 2, unread_count: 0, last_activity_at: 1776679200, contact_inbox: { source_id: '5511999998888@c.us' } },
    sender: {
      id: 2,
      name: 'Jane Agent',
      available_name: 'Jane Agent',
      avatar_url: '',
      type: 'user',
      availability_status: 'online',
      thumbnail: '',
    },
    ...over,
  };
}

const created = (over: Record<string, unknown> = {}) => ({ event: 'message.created', data: pushData(over) });

describe('realtime frames -> agent events', () => {
  test('an outgoing agent reply becomes the same send the webhook would produce', () => {
    const out = realtimeToEvent(created(), 1);
    expect(out).toEqual({
      event: {
        type: 'send',
        message: {
          id: 1234,
          conversationId: 42,
          inboxId: 3,
          chatKey: '5511999998888@c.us',
          contactPhone: undefined,
          text: 'Olá *João*',
          attachments: [],
          inReplyTo: undefined,
          createdAt: 1776679200,
        },
      },
      deliveryKey: 'created:1234',
      inboxId: 3,
    });
  });

  test("the delivery key is the webhook's, so one event seen on both paths is claimed once", () => {
    const hook = parseWebhook({
      event: 'message_created',
      id: 1234,
      message_type: 'outgoing',
      private: false,
      source_id: null,
      content: 'x',
      inbox: { id: 3 },
      conversation: { id: 42, inbox_id: 3 },
    });
    expect('deliveryKey' in hook && hook.deliveryKey).toBe('created:1234');
  });

  test('template messages (3) are sent; attachments and quotes are kept', () => {
    const out = realtimeToEvent(
      created({
        message_type: 3,
        content_attributes: { in_reply_to: 99, in_reply_to_external_id: 'WAID:ABC' },
        attachments: [
          {
            id: 7,
            message_id: 1234,
            file_type: 'file',
            account_id: 1,
            extension: 'pdf',
            content_type: 'application/pdf',
            data_url: 'https://cw.test/rails/active_storage/blobs/redirect/xyz/fatura.pdf',
            thumb_url: '',
            file_size: 10,
          },
        ],
      }),
      1,
    );
    expect('event' in out && out.event.type === 'send' && out.event.message).toMatchObject({
      attachments: [
        {
          url: 'https://cw.test/rails/active_storage/blobs/redirect/xyz/fatura.pdf',
          filename: 'fatura.pdf',
          mimetype: 'application/pdf',
          size: 10,
        },
      ],
      inReplyTo: { helpdeskId: 99, externalId: 'WAID:ABC' },
    });
  });

  test.each([
    ['a private note', { private: true }, 'private_note'],
    ['an incoming message (0)', { message_type: 0, sender_type: 'Contact' }, 'not_outgoing'],
    ['an activity message (2)', { message_type: 2, content: 'Conversation was resolved' }, 'not_outgoing'],
    ["Ponte's own insert (source_id)", { source_id: 'WAID:3EB0' }, 'own_insert'],
    ['an empty message', { content: '  ' }, 'empty'],
  ])('%s is ignored, counted like the webhook counts it', (_what, over, reason) => {
    expect(realtimeToEvent(created(over), 1)).toEqual({ ignored: reason, counted: true });
  });

  test('message.updated with content_attributes.deleted is a delete; any other update is ignored', () => {
    const deleted = {
      event: 'message.updated',
      data: pushData({ content: 'This message was deleted', content_attributes: { deleted: true }, previous_changes: {} }),
    };
    expect(realtimeToEvent(deleted, 1)).toEqual({
      event: { type: 'delete', id: 1234, conversationId: 42, inboxId: 3 },
      deliveryKey: 'deleted:1234',
      inboxId: 3,
    });
    const status = { event: 'message.updated', data: pushData({ status: 'read' }) };
    expect(realtimeToEvent(status, 1)).toEqual({ ignored: 'update', counted: true });
    const ownDeleted = { event: 'message.updated', data: pushData({ source_id: 'WAID:1', content_attributes: { deleted: true } }) };
    expect(realtimeToEvent(ownDeleted, 1)).toEqual({ ignored: 'own_insert', counted: true });
  });

  test("events of another account (a user in several) or of an inbox no session maps are not Ponte's business", () => {
    expect(realtimeToEvent(created({ account_id: 2 }), 1)).toEqual({ ignored: 'other_account', counted: false });
    expect(realtimeToEvent(created({ inbox_id: 9 }), 1, (id) => id === 3)).toEqual({ ignored: 'other_inbox', counted: false });
    expect('event' in realtimeToEvent(created(), 1, (id) => id === 3)).toBe(true);
  });

  test('typing events carry the conversation push data', () => {
    const conversation = {
      id: 42,
      inbox_id: 3,
      contact_inbox: { source_id: '5511999998888@c.us' },
      meta: { sender: { phone_number: '+5511999998888' } },
    };
    const out = realtimeToEvent(
      { event: 'conversation.typing_on', data: { conversation, user: { id: 2 }, is_private: false, account_id: 1 } },
      1,
    );
    expect('event' in out && out.event).toEqual({
      type: 'typing',
      conversationId: 42,
      inboxId: 3,
      chatKey: '5511999998888@c.us',
      contactPhone: '+5511999998888',
      on: true,
    });
    const priv = realtimeToEvent(
      { event: 'conversation.typing_off', data: { conversation, user: { id: 2 }, is_private: true, account_id: 1 } },
      1,
    );
    expect(priv).toEqual({ ignored: 'typing_private', counted: true });
  });

  test('a conversation resolved by an agent becomes a resolved event (a bot may greet the next episode)', () => {
    const data = {
      id: 7,
      inbox_id: 1,
      status: 'resolved',
      account_id: 1,
      contact_inbox: { source_id: '351912345678@c.us' },
      meta: { sender: { phone_number: '+351912345678' } },
    };
    expect(realtimeToEvent({ event: 'conversation.status_changed', data }, 1)).toMatchObject({
      event: { type: 'resolved', conversationId: 7, inboxId: 1, chatKey: '351912345678@c.us' },
      inboxId: 1,
    });
    expect(realtimeToEvent({ event: 'conversation.status_changed', data: { ...data, status: 'open' } }, 1)).toEqual({
      ignored: 'status_change',
      counted: true,
    });
    expect(realtimeToEvent({ event: 'conversation.status_changed', data }, 1, () => false)).toEqual({
      ignored: 'other_inbox',
      counted: false,
    });
  });

  test('other events and malformed payloads are routine noise, not counted', () => {
    for (const e of ['conversation.created', 'conversation.updated', 'assignee.changed', 'presence.update', 'contact.updated', undefined]) {
      expect(realtimeToEvent({ event: e, data: {} }, 1)).toEqual({ ignored: 'other_event', counted: false });
    }
    expect(realtimeToEvent(null, 1)).toEqual({ ignored: 'not_an_object', counted: false });
    expect(realtimeToEvent({ event: 'message.created', data: 'x' }, 1)).toEqual({ ignored: 'incomplete', counted: false });
    expect(realtimeToEvent(created({ conversation_id: undefined }), 1)).toEqual({ ignored: 'incomplete', counted: false });
  });
});
