import { z } from 'zod';
import { replayBody } from '../admin-dlq-routes';
import type { NamedSchema, OperationSpec } from './operation';

const DeadLetterSummary = z.strictObject({
  id: z.string(),
  queue: z.string(),
  lane: z.string(),
  reason: z.string(),
  attempts: z.int().min(1),
  enqueuedAt: z.int().describe('Unix ms.'),
  failedAt: z.int().describe('Unix ms.'),
  summary: z.string().describe('A line without message content, e.g. `main: send`.'),
});

const DeadLetter = z.strictObject({
  id: z.string(),
  queue: z.string(),
  lane: z.string(),
  data: z.unknown().describe('The queued event as it was; it may hold message content.'),
  reason: z.string(),
  attempts: z.int().min(1),
  enqueuedAt: z.int(),
  failedAt: z.int(),
});

const BotChat = z.strictObject({ session: z.string(), chatKey: z.string(), mode: z.enum(['bot', 'human']) });

export const DLQ_BOT_SCHEMAS: NamedSchema[] = [
  { name: 'DeadLetterSummary', schema: DeadLetterSummary },
  { name: 'DeadLetter', schema: DeadLetter },
  {
    name: 'ReplayRequest',
    schema: replayBody,
    description: 'Either `id` or `"all": true`, optionally limited to one `queue`.',
    // The route's refinement, which JSON Schema can say and zod's conversion does not.
    extra: {
      oneOf: [
        { required: ['id'], properties: { id: { type: 'string' } } },
        { required: ['all'], properties: { all: { const: true } } },
      ],
    },
  },
  { name: 'BotChat', schema: BotChat },
];

const chatParams = [
  { name: 'session', in: 'path' as const, required: true, schema: z.string() },
  { name: 'chat', in: 'path' as const, required: true, description: 'The chat key, e.g. `351912345678@c.us`.', schema: z.string() },
];

export const DLQ_BOT_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: '/admin/dlq',
    operationId: 'listDeadLetters',
    tag: 'dead-letters',
    summary: 'Events that failed every retry, with the reason (no message content)',
    auth: 'admin',
    parameters: [
      {
        name: 'queue',
        in: 'query',
        required: false,
        description: 'One queue (`inbound`, `outbound`, `bot`, `registration`; those this daemon runs). Default is all.',
        schema: z.string(),
      },
    ],
    responses: {
      '200': {
        description: 'The dead letters, oldest failure first within each queue.',
        json: z.strictObject({ entries: z.array(DeadLetterSummary) }),
      },
      '400': 'BadRequest',
      '404': 'NotFound',
    },
  },
  {
    method: 'get',
    path: '/admin/dlq/{queue}/{id}',
    operationId: 'getDeadLetter',
    tag: 'dead-letters',
    summary: 'One dead letter, including the event itself (it may hold message content)',
    auth: 'admin',
    parameters: [
      { name: 'queue', in: 'path', required: true, schema: z.string() },
      { name: 'id', in: 'path', required: true, schema: z.string() },
    ],
    responses: { '200': { description: 'The dead letter.', json: DeadLetter }, '400': 'BadRequest', '404': 'NotFound' },
  },
  {
    method: 'post',
    path: '/admin/dlq/replay',
    operationId: 'replayDeadLetters',
    tag: 'dead-letters',
    summary: "Puts dead letters back at the end of their chat's lane",
    description: 'Replaying is safe to repeat. The id map drops whatever already went through.',
    auth: 'admin',
    request: {
      schema: replayBody,
      schemaName: 'ReplayRequest',
      required: true,
      examples: {
        all: { summary: 'Every dead letter of every queue', value: { all: true } },
        allOutbound: { summary: 'Every dead letter of one queue', value: { queue: 'outbound', all: true } },
      },
    },
    responses: {
      '200': { description: 'The ids put back in line.', json: z.strictObject({ replayed: z.array(z.string()) }) },
      '400': 'InvalidRequest',
      '404': 'NotFound',
    },
  },
  {
    method: 'get',
    path: '/admin/bots',
    operationId: 'listBotChats',
    tag: 'bots',
    summary: 'Chats with a running flow (`bot`) or in human hands (`human`)',
    auth: 'admin',
    parameters: [{ name: 'session', in: 'query', required: false, schema: z.string() }],
    responses: { '200': { description: 'The chats.', json: z.strictObject({ chats: z.array(BotChat) }) }, '404': 'NotFound' },
  },
  {
    method: 'post',
    path: '/admin/bots/{session}/{chat}/resume',
    operationId: 'resumeBot',
    tag: 'bots',
    summary: 'Gives a chat in human hands back to its bot, where the flow was',
    auth: 'admin',
    parameters: chatParams,
    responses: { '200': { description: 'Handed back.', json: z.strictObject({ resumed: z.literal(true) }) }, '404': 'NotFound' },
  },
  {
    method: 'post',
    path: '/admin/bots/{session}/{chat}/restart',
    operationId: 'restartBot',
    tag: 'bots',
    summary: "Starts the chat's flow afresh",
    auth: 'admin',
    parameters: chatParams,
    responses: { '202': { description: 'The flow restarts.', json: z.strictObject({ restarting: z.literal(true) }) }, '404': 'NotFound' },
  },
];
