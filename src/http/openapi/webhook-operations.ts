import { z } from 'zod';
import {
  contactInboxSchema,
  conversationEventSchema,
  conversationRefSchema,
  envelopeSchema,
  messageEventSchema,
  metaSchema,
} from '../../chatwoot/webhook-schema';
import type { NamedSchema, OperationSpec } from './operation';
import { ErrorBody } from './shared';

/** The parser reads the envelope, then the message or the conversation the event names: both, as one body. */
const ChatwootWebhookEvent = z.intersection(envelopeSchema, z.union([messageEventSchema, conversationEventSchema]));

const WebhookAnswer = z.strictObject({
  status: z.enum(['queued', 'duplicate', 'ignored']),
  reason: z
    .string()
    .optional()
    .describe(
      'Why an event was ignored: `private_note`, `not_outgoing`, `own_insert` (a message Ponte wrote itself), `unmapped_inbox`, `event_<name>`, ...',
    ),
});

export const WEBHOOK_SCHEMAS: NamedSchema[] = [
  {
    name: 'ChatwootWebhookEvent',
    schema: ChatwootWebhookEvent,
    description:
      "The body Chatwoot posts. Ponte reads only the fields below and does not judge the rest. A `message_created` that is outgoing, public and has no `source_id` is sent on WhatsApp. A `message_updated` with `content_attributes.deleted` deletes it there. Typing and read marks are relayed when configured. A `conversation_status_changed` to resolved ends a bot's episode. A label added to a conversation may hand the chat back to its bot.",
  },
  { name: 'ChatwootWebhookEnvelope', schema: envelopeSchema, description: 'What decides whether Ponte acts at all.' },
  { name: 'ChatwootMessageEvent', schema: messageEventSchema },
  {
    name: 'ChatwootConversationEvent',
    schema: conversationEventSchema,
    description: 'conversation_status_changed and conversation_updated; the body is the conversation itself.',
  },
  { name: 'ChatwootConversationRef', schema: conversationRefSchema },
  {
    name: 'ChatwootContactInbox',
    schema: contactInboxSchema,
    description:
      "`source_id` is the WhatsApp chat (`<digits>@c.us`, `<id>@g.us`, `<id>@lid`). Any other value makes Ponte send to the contact's phone number, looked up on WhatsApp.",
  },
  { name: 'ChatwootConversationMeta', schema: metaSchema },
  { name: 'WebhookAnswer', schema: WebhookAnswer },
];

export const WEBHOOK_OPERATIONS: OperationSpec[] = [
  {
    method: 'post',
    path: '/webhooks/chatwoot',
    operationId: 'chatwootWebhook',
    tag: 'webhooks',
    summary: "Chatwoot's inbox webhook",
    description: `The URL of the API-channel inbox's webhook. The front thread authenticates the event, persists it
in Redis and answers within milliseconds. The work itself (sending on WhatsApp, deleting, typing)
happens afterwards. Authentication takes one of two forms:
- Chatwoot 4.13+ signs the body. \`X-Chatwoot-Signature\` is \`sha256=<hex HMAC-SHA256 of
  "<timestamp>.<body>" with chatwoot.webhookSecret>\`, and the timestamp must be within 5 minutes.
- Older Chatwoot versions use the URL token \`?token=<chatwoot.webhookToken>\`.

The same path with a trailing slash, or in another letter case, is answered too.`,
    auth: [{ chatwootSignature: [], chatwootTimestamp: [] }, { chatwootUrlToken: [] }],
    parameters: [
      {
        name: 'X-Chatwoot-Delivery',
        in: 'header',
        required: false,
        description: "Chatwoot's delivery id. A delivery id seen before is answered `duplicate`.",
        schema: z.string(),
      },
    ],
    request: {
      schema: ChatwootWebhookEvent,
      schemaName: 'ChatwootWebhookEvent',
      required: true,
      examples: {
        agentReply: {
          summary: "An agent's reply in a conversation with a WhatsApp chat (sent on WhatsApp)",
          value: {
            event: 'message_created',
            id: 1042,
            content: 'Olá! A sua encomenda já saiu.',
            message_type: 'outgoing',
            private: false,
            source_id: null,
            content_attributes: {},
            created_at: '2026-05-04T10:15:00.000Z',
            inbox: { id: 1, name: 'WhatsApp' },
            conversation: {
              id: 7,
              inbox_id: 1,
              contact_inbox: { source_id: '351912345678@c.us' },
              meta: { sender: { phone_number: '+351912345678' } },
            },
          },
        },
        privateNote: {
          summary: 'A private note (never leaves Chatwoot; answered `ignored`)',
          value: {
            event: 'message_created',
            id: 1043,
            content: 'Cliente habitual.',
            message_type: 'outgoing',
            private: true,
            conversation: { id: 7, inbox_id: 1 },
          },
        },
      },
    },
    responses: {
      '200': {
        description: 'Persisted (`queued`), seen before (`duplicate`), or nothing for Ponte to do (`ignored`, with the reason).',
        json: WebhookAnswer,
      },
      '400': 'BadRequest',
      '401': 'Unauthorized',
      '413': 'TooLarge',
      '422': {
        description:
          "The body does not have Chatwoot's shape (fields of the wrong type, or nested too deep). The agent's message shows as failed in Chatwoot, so it is not silently dropped.",
        json: ErrorBody,
      },
      '500': 'Internal',
      '503': {
        description: 'Redis could not persist the event. Chatwoot marks the message failed, and catch-up sends it later.',
        json: ErrorBody,
      },
    },
  },
];
