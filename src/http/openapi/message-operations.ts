import { z } from 'zod';
import { JourneyListSchema, JourneySchema, JourneyStepSchema, JourneySummarySchema } from '../admin-message-routes';
import type { NamedSchema, OperationSpec } from './operation';

export const MESSAGE_SCHEMAS: NamedSchema[] = [
  {
    name: 'Journey',
    schema: JourneySchema,
    description: "A message's way through Ponte, both sides' ids and every step (no message text).",
  },
  { name: 'JourneyStep', schema: JourneyStepSchema },
  { name: 'JourneySummary', schema: JourneySummarySchema },
  { name: 'JourneyList', schema: JourneyListSchema },
];

export const MESSAGE_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: '/admin/messages',
    operationId: 'listJourneys',
    tag: 'messages',
    summary: "A chat's recent message journeys",
    auth: 'admin',
    parameters: [
      {
        name: 'chat',
        in: 'query',
        required: true,
        description: 'A phone number or WhatsApp chat id, e.g. `+351912345678`.',
        schema: z.string(),
      },
      {
        name: 'since',
        in: 'query',
        required: false,
        description: 'A duration back from now (`90s`, `30m`, `1h`, `2d`) or an ISO 8601 time; default 1 h.',
        schema: z.string(),
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'At most this many (1 to 500, default 100).',
        schema: z.int().min(1).max(500),
      },
    ],
    responses: {
      '200': { description: 'The journeys, most recent first.', json: JourneyListSchema },
      '400': 'BadRequest',
      '404': 'NotFound',
    },
  },
  {
    method: 'get',
    path: '/admin/messages/{id}',
    operationId: 'getJourney',
    tag: 'messages',
    summary: "One message's journey, by its WhatsApp id or its Chatwoot message id",
    auth: 'admin',
    parameters: [
      { name: 'id', in: 'path', required: true, description: 'A WhatsApp message id or a Chatwoot message id.', schema: z.string() },
    ],
    responses: { '200': { description: 'The journey.', json: JourneySchema }, '404': 'NotFound' },
  },
];
