import { answer, agentReply, conversation, nestedJson, serialisingIntake, type Counted } from './webhook-support';
import type { AgentEvent } from '../../../src/core/agent-messages';

const withJson = (body: Record<string, unknown>, path: string[], json: string): string => {
  // Puts raw JSON text at `path`, for values JSON.stringify cannot produce (a very deep one).
  const marker = '"__RAW__"';
  let target: Record<string, unknown> = structuredClone(body);
  const root = target;
  for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
  target[path[path.length - 1]] = '__RAW__';
  return JSON.stringify(root).replace(marker, json);
};

describe('a signed webhook of the wrong shape gets a 4xx or a counted "ignored", never a 5xx', () => {
  test.each<[string, unknown]>([
    ['content as an object', agentReply({ content: { text: 'hi' } })],
    ['attachments as a string', agentReply({ attachments: 'http://127.0.0.1:9/x' })],
    ['attachments [null]', agentReply({ attachments: [null] })],
    ['an attachment whose data_url is a number', agentReply({ attachments: [{ data_url: 7 }] })],
    ['the phone as a number', agentReply({ conversation: { ...conversation, meta: { sender: { phone_number: 351912345678 } } } })],
    ['the message id as a string', agentReply({ id: '1234' })],
    ['the conversation id as an object', agentReply({ conversation: { ...conversation, id: { $gt: 0 } } })],
    ['private as a string', agentReply({ private: 'no' })],
    ['a quote id as an object', agentReply({ content_attributes: { in_reply_to: { id: 9 } } })],
    [
      'typing on a conversation whose id is an object',
      { event: 'conversation_typing_on', is_private: false, conversation: { ...conversation, id: { deep: [1, 2, 3] } } },
    ],
    [
      'a deletion whose conversation id is a string',
      agentReply({ event: 'message_updated', content_attributes: { deleted: true }, conversation: { ...conversation, id: '42' } }),
    ],
    [
      'labels as a string',
      {
        event: 'conversation_updated',
        id: 42,
        inbox_id: 3,
        changed_attributes: [{ label_list: { previous_value: [], current_value: 'bot' } }],
      },
    ],
  ])('%s: 422, counted, nothing persisted', async (_what, body) => {
    const stored: AgentEvent[] = [];
    const counted: Counted = { rejected: [], ignored: [] };
    const res = await answer(body, serialisingIntake(stored), counted);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ error: { code: 'invalid_payload' } });
    expect(counted.rejected).toEqual(['malformed']);
    expect(stored).toEqual([]);
  });

  test.each<[string, string]>([
    [
      'a conversation id nested 200,000 deep',
      withJson({ event: 'conversation_typing_on', is_private: false, conversation }, ['conversation', 'id'], nestedJson(200_000)),
    ],
    ['content nested 200,000 deep', withJson(agentReply(), ['content'], nestedJson(200_000))],
    ['an unread field nested 40 deep', withJson(agentReply(), ['sender'], nestedJson(40))],
  ])('%s: 422, never "could not persist the event"', async (_what, raw) => {
    const res = await answer(raw);
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).not.toMatch(/could not persist/);
  });

  test.each<[string, unknown, string]>([
    ['no conversation', agentReply({ conversation: undefined, inbox: undefined }), 'incomplete'],
    ['no message id', agentReply({ id: undefined }), 'incomplete'],
    ['a typing event without a conversation', { event: 'conversation_typing_on', is_private: false }, 'typing_private'],
    ['an event name of any length', { event: 'x'.repeat(10_000) }, 'event_unknown'],
  ])('missing fields (%s) are a counted "ignored"', async (_what, body, reason) => {
    const counted: Counted = { rejected: [], ignored: [] };
    const res = await answer(body, undefined, counted);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ignored', reason });
    expect(counted.ignored).toEqual([reason]);
  });

  test("a message Ponte leaves alone is not judged on fields it does not read (Chatwoot's own shapes may change there)", async () => {
    const res = await answer(agentReply({ message_type: 'incoming', attachments: 'whatever', content: { odd: true } }));
    expect(res).toEqual({ status: 200, body: { status: 'ignored', reason: 'not_outgoing' } });
  });

  test('a well-formed reply still goes through, typed as Ponte expects', async () => {
    const stored: AgentEvent[] = [];
    const res = await answer(
      agentReply({
        attachments: [
          {
            data_url: 'https://cw.example/rails/active_storage/blobs/redirect/x/a.pdf',
            file_type: 'file',
            extension: 'pdf',
            file_size: 10,
            content_type: null,
          },
        ],
      }),
      serialisingIntake(stored),
    );
    expect(res.status).toBe(200);
    expect(stored).toMatchObject([
      {
        type: 'send',
        message: {
          id: 1234,
          conversationId: 42,
          inboxId: 3,
          text: 'Olá *Maria*',
          contactPhone: '+351912345678',
          attachments: [{ filename: 'a.pdf', mimetype: 'application/pdf' }],
        },
      },
    ]);
  });
});
