import { z } from 'zod';
import { flowStartBody } from '../admin-flow-start-routes';
import type { NamedSchema, OperationSpec } from './operation';
import { ErrorBody, sessionIdParam } from './shared';

const FlowStarted = z.strictObject({
  starting: z.literal(true),
  session: z.string(),
  bot: z.string().describe('The bot whose flow starts (the one named, or the session’s own).'),
  phone: z.string().describe('The number as WhatsApp knows it, E.164.'),
  chatKey: z.string().describe('The chat key (`ponte bots list`, resume and restart take it).'),
  chatId: z.string().describe('The WhatsApp chat the flow writes to.'),
  conversationId: z.int().describe('The Chatwoot conversation, created when there was none.'),
});

/** One object for the component and the request: the document names each schema once. */
const FlowStartRequest = flowStartBody();

export const FLOW_START_SCHEMAS: NamedSchema[] = [
  {
    name: 'FlowStartRequest',
    schema: FlowStartRequest,
    description:
      "The person's phone with its country code (a national number only with `sessionStore.defaultCountry`), the bot (default: the session's own) and Typebot variables for the start.",
  },
  { name: 'FlowStarted', schema: FlowStarted },
];

const refusal = (description: string) => ({ description, json: ErrorBody });

export const FLOW_START_OPERATIONS: OperationSpec[] = [
  {
    method: 'post',
    path: '/admin/sessions/{id}/flows',
    operationId: 'startFlow',
    tag: 'bots',
    summary: "Starts a bot's flow for a person who has not written",
    description: `The number is looked up on WhatsApp as for an agent's first message (every form of it), the Chatwoot
contact and conversation are created as for an incoming message, and the flow's start is queued in the
chat's bot lane, where it runs as a trigger's would: the conversation goes \`pending\`, the first bubbles
are sent and mirrored, the person's answers continue the flow. A bot other than the session's keeps the
chat until its flow ends. The session needs a bot, an inbox and a connection on this daemon.`,
    auth: 'admin',
    parameters: [sessionIdParam],
    request: {
      schema: FlowStartRequest,
      schemaName: 'FlowStartRequest',
      required: true,
      examples: {
        invite: {
          summary: 'Another bot than the session’s, with a variable for its start',
          value: { bot: 'registo', phone: '+351912345678', variables: { invite: 'ABC123' } },
        },
        sessionBot: { summary: "The session's own bot", value: { phone: '+351912345679' } },
      },
    },
    responses: {
      '202': { description: 'The conversation exists and the start is queued; the first bubbles follow.', json: FlowStarted },
      '400': 'InvalidRequest',
      '404': refusal('`unknown_session`, or `unknown_bot` (the message names it and the configured bots).'),
      '409': refusal(
        'Someone has the chat (`flow_running` names the bot, `humans_have_chat`, `registration_waiting`), or the session cannot start flows (`no_bot`, `no_inbox`, `not_running_here`, `not_connected`).',
      ),
      '422': refusal('`no_whatsapp`: the number has no WhatsApp account (every form of it was asked).'),
    },
  },
];
