import fc from 'fast-check';
import { z } from 'zod';
import { parseWebhook } from '../../../src/chatwoot/webhook-parse';
import { agentReply, answer, conversation } from './webhook-support';

/** What the lanes may receive: every field of the type the relays read it as. */
const id = z.int().positive();
const text = z.string();
const agentEventShape = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('send'),
    message: z.strictObject({
      id,
      conversationId: id,
      inboxId: id,
      chatKey: text.optional(),
      contactPhone: text.optional(),
      text,
      createdAt: z.number(),
      attachments: z.array(
        z.strictObject({ url: text, filename: text.optional(), mimetype: text.optional(), size: z.number().optional() }),
      ),
      inReplyTo: z.strictObject({ helpdeskId: z.number().optional(), externalId: text.optional() }).optional(),
    }),
  }),
  z.strictObject({ type: z.literal('delete'), id, conversationId: id, inboxId: id }),
  z.strictObject({
    type: z.literal('typing'),
    conversationId: id,
    inboxId: id,
    chatKey: text.optional(),
    contactPhone: text.optional(),
    on: z.boolean(),
  }),
  z.strictObject({ type: z.literal('resolved'), conversationId: id, inboxId: id, chatKey: text.optional(), contactPhone: text.optional() }),
  z.strictObject({
    type: z.literal('labels'),
    conversationId: id,
    inboxId: id,
    chatKey: text.optional(),
    contactPhone: text.optional(),
    added: z.array(text).min(1),
  }),
]);

/** One of the three outcomes, each well formed; an event survives the lane's JSON unchanged. */
function wellFormed(outcome: ReturnType<typeof parseWebhook>): void {
  const kinds = ['event', 'ignored', 'invalid'].filter((k) => k in outcome);
  expect(kinds).toHaveLength(1);
  if ('event' in outcome) {
    expect(agentEventShape.safeParse(outcome.event).error).toBeUndefined();
    expect(JSON.parse(JSON.stringify(outcome.event))).toEqual(outcome.event);
    expect(typeof outcome.deliveryKey).toBe('string');
    expect(outcome.deliveryKey.length).toBeLessThan(2000);
  }
  // Metric labels come from these: a small fixed vocabulary, whatever the body says.
  if ('ignored' in outcome) expect(outcome.ignored).toMatch(/^[a-z_]{1,40}$/);
}

const EVENTS = [
  'message_created',
  'message_updated',
  'conversation_typing_on',
  'conversation_typing_off',
  'conversation_status_changed',
  'conversation_updated',
  'contact_updated',
];
/** Paths Ponte reads, and a few it does not. */
const PATHS = [
  ['event'],
  ['id'],
  ['message_type'],
  ['private'],
  ['source_id'],
  ['content'],
  ['content_attributes'],
  ['content_attributes', 'in_reply_to'],
  ['content_attributes', 'in_reply_to_external_id'],
  ['content_attributes', 'deleted'],
  ['attachments'],
  ['attachments', '0'],
  ['attachments', '0', 'data_url'],
  ['attachments', '0', 'file_size'],
  ['created_at'],
  ['inbox'],
  ['inbox', 'id'],
  ['conversation'],
  ['conversation', 'id'],
  ['conversation', 'inbox_id'],
  ['conversation', 'contact_inbox'],
  ['conversation', 'contact_inbox', 'source_id'],
  ['conversation', 'meta', 'sender', 'phone_number'],
  ['changed_attributes'],
  ['status'],
  ['is_private'],
  ['sender'],
  ['updated_at'],
];

function setAt(body: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  const root = structuredClone(body);
  let target: Record<string, unknown> = root;
  for (const key of path.slice(0, -1)) {
    if (!target[key] || typeof target[key] !== 'object') target[key] = {};
    target = target[key] as Record<string, unknown>;
  }
  target[path[path.length - 1]] = value;
  return root;
}

const base = fc.constantFrom(
  agentReply({
    attachments: [{ data_url: 'https://cw.example/rails/active_storage/blobs/redirect/x/a.pdf', file_type: 'file', file_size: 10 }],
  }),
  agentReply({ event: 'message_updated', content_attributes: { deleted: true } }),
  { event: 'conversation_typing_on', is_private: false, conversation },
  { ...conversation, event: 'conversation_status_changed', status: 'resolved' },
  { ...conversation, event: 'conversation_updated', changed_attributes: [{ label_list: { previous_value: [], current_value: ['bot'] } }] },
);

describe('the webhook parser, over generated payloads', () => {
  test('any JSON value: no throw, one well-formed outcome', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (body) => wellFormed(parseWebhook(body))),
      { numRuns: 2000 },
    );
  });

  test('any JSON object carrying an event Ponte acts on: no throw, one well-formed outcome', () => {
    const body = fc
      .record({ event: fc.constantFrom(...EVENTS) })
      .chain((head) => fc.dictionary(fc.string(), fc.jsonValue()).map((rest) => ({ ...rest, ...head })));
    fc.assert(
      fc.property(body, (b) => wellFormed(parseWebhook(b))),
      { numRuns: 2000 },
    );
  });

  test('a genuine body with any field replaced by any value: answered 200 or 4xx, never 5xx; what is queued is well typed', async () => {
    const mutated = fc
      .tuple(
        base,
        fc.array(fc.tuple(fc.constantFrom(...PATHS), fc.oneof(fc.jsonValue(), fc.constant(undefined))), { minLength: 1, maxLength: 3 }),
      )
      .map(([b, edits]) => edits.reduce((acc, [path, value]) => setAt(acc, path, value), b));
    await fc.assert(
      fc.asyncProperty(mutated, async (body) => {
        wellFormed(parseWebhook(body));
        const res = await answer(body);
        expect(res.status === 200 || (res.status >= 400 && res.status < 500)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  test('a reply of the right types, whatever their values, is never refused', () => {
    const reply = fc.record({
      id: fc.integer({ min: 1, max: 2 ** 31 }),
      content: fc.option(fc.string(), { nil: null }),
      conversationId: fc.integer({ min: 1, max: 2 ** 31 }),
      phone: fc.option(fc.string(), { nil: null }),
      sourceId: fc.option(fc.string(), { nil: null }),
      attachments: fc.array(
        fc.record({
          data_url: fc.webUrl(),
          file_size: fc.option(fc.nat(), { nil: null }),
          extension: fc.option(fc.string({ maxLength: 5 }), { nil: null }),
        }),
        { maxLength: 15 },
      ),
      inReplyTo: fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: undefined }),
      createdAt: fc.oneof(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
    });
    fc.assert(
      fc.property(reply, (r) => {
        const outcome = parseWebhook(
          agentReply({
            id: r.id,
            content: r.content,
            attachments: r.attachments,
            created_at: r.createdAt,
            content_attributes: r.inReplyTo ? { in_reply_to: r.inReplyTo } : {},
            conversation: {
              id: r.conversationId,
              inbox_id: 3,
              contact_inbox: { source_id: r.sourceId },
              meta: { sender: { phone_number: r.phone } },
            },
          }),
        );
        wellFormed(outcome);
        expect('invalid' in outcome).toBe(false);
        if ('ignored' in outcome) expect(outcome.ignored).toBe('empty');
      }),
      { numRuns: 1000 },
    );
  });
});
