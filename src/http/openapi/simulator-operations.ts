import { z } from 'zod';
import { simulatorControlSchema } from '../../engines/simulator/simulator-control';
import { inboundSchema } from '../../engines/simulator/simulator-customer';
import { stateBody } from '../simulator-routes';
import type { NamedSchema, OperationSpec, ParameterSpec } from './operation';
import { SessionState } from './session-operations';
import { ErrorBody } from './shared';

const session: ParameterSpec = {
  name: 'session',
  in: 'path',
  required: true,
  description: 'A session with `engine simulator`.',
  schema: z.string(),
};

const SimulatorSent = z.strictObject({
  id: z.string(),
  at: z.int().describe('Unix ms.'),
  message: z.strictObject({
    kind: z.enum(['text', 'image', 'video', 'audio', 'voice', 'document', 'sticker', 'location', 'contact', 'reaction']),
    chatId: z.string(),
    text: z.string().optional(),
    caption: z.string().optional(),
    quotedId: z.string().optional(),
    location: z.looseObject({ lat: z.number(), lng: z.number(), name: z.string().optional() }).optional(),
    vcard: z.string().optional(),
    messageId: z.string().optional(),
    emoji: z.string().optional(),
    media: z.strictObject({ mimetype: z.string(), filename: z.string().optional(), size: z.int().min(0), base64: z.string() }).optional(),
  }),
  revoked: z.boolean().optional(),
  deletedForMe: z.boolean().optional(),
  quoteDropped: z.boolean().optional(),
});

export const SIMULATOR_SCHEMAS: NamedSchema[] = [
  {
    name: 'SimulatorInbound',
    schema: inboundSchema,
    description: `One WhatsApp event. \`type\` says which fields it needs:
- \`text\` needs \`text\`.
- The media types (\`image\`, \`video\`, \`audio\`, \`voice\`, \`document\`, \`sticker\`, \`ptv\`) need \`media\`.
- \`album\` needs \`pictures\` (their ids are \`<album id>-1\`, \`-2\`, ...); \`location\` needs \`location\`; \`contact\` needs \`vcard\`.
- \`reaction\`, \`edit\` and \`revoke\` need \`targetId\`, and \`edit\` also needs the new \`text\`.
- A group message (\`chatId\` ending \`@g.us\`) needs \`author\`.
A \`media\` that is \`gone\` fails to download; one \`reuploading\` is "not yet" until \`finishReupload\`. \`silent\`
records it in the phone's history without an event (a message the live connection missed).`,
  },
  { name: 'SimulatorControl', schema: simulatorControlSchema },
  { name: 'SimulatorState', schema: stateBody },
  { name: 'SimulatorSent', schema: SimulatorSent },
];

export const SIMULATOR_OPERATIONS: OperationSpec[] = [
  {
    method: 'post',
    path: '/admin/simulator/{session}/inbound',
    operationId: 'simulatorInbound',
    tag: 'simulator',
    summary: 'A WhatsApp event on the simulated account (a customer writes, reacts, calls…)',
    auth: 'admin',
    parameters: [session],
    request: {
      schema: inboundSchema,
      schemaName: 'SimulatorInbound',
      required: true,
      examples: {
        text: { summary: 'A customer writes', value: { from: '+351912345678', type: 'text', text: 'Olá', pushName: 'Rita' } },
        location: {
          summary: 'A customer shares a location',
          value: { from: '+351912345678', type: 'location', location: { lat: 38.7223, lng: -9.1393, name: 'Lisboa' } },
        },
      },
    },
    responses: {
      '202': {
        description: `Injected. \`delivered\` is false when the session is not CONNECTED or the event was \`silent\` (it is in
the simulated phone's history, for catch-up). A delivered message, reaction, edit or deletion is
persisted in Redis before this answer: it reaches Chatwoot even if the daemon is killed right after.`,
        json: z.strictObject({ id: z.string().describe('The WhatsApp message id.'), delivered: z.boolean(), state: SessionState }),
      },
      '400': 'InvalidRequest',
      '404': 'NotFound',
      '503': {
        description: `\`not_persisted\`: the event reached the simulated phone but Redis did not take it. Ponte holds it in
memory and keeps trying (a crash meanwhile loses it); sending it again with the same \`id\` is safe.`,
        json: ErrorBody,
      },
    },
  },
  {
    method: 'get',
    path: '/admin/simulator/{session}/sent',
    operationId: 'simulatorSent',
    tag: 'simulator',
    summary: 'What Ponte sent on the simulated account, oldest first',
    auth: 'admin',
    parameters: [session],
    responses: {
      '200': { description: 'The sent messages.', json: z.strictObject({ sent: z.array(SimulatorSent) }) },
      '404': 'NotFound',
    },
  },
  {
    method: 'post',
    path: '/admin/simulator/{session}/control',
    operationId: 'simulatorControl',
    tag: 'simulator',
    summary: 'Switches on what real WhatsApp Web does unkindly (ENGINES.md "Second look"), for tests and the demo',
    description: `Each key switches one thing: \`knowByLid\` (WhatsApp Web knows this number by a linked id from now on; the
answer gives the lid), \`waitForAck\` (sends return only once the server acked them), \`withholdAcks\` (the
server never acks sends made from now on), \`failNextSend\` (the next send is acked with this failure code),
\`expireRevokeWindow\` (the time limit for deleting for everyone has passed for every message sent so far),
\`breakCallRejection\` (rejecting calls fails), \`refusePairingCodes\` (a pairing-code request is refused, and
the library leaks the rejection), \`finishReupload\` (the phone finished re-uploading the media of this
message id).`,
    auth: 'admin',
    parameters: [session],
    request: {
      schema: simulatorControlSchema,
      schemaName: 'SimulatorControl',
      required: true,
      examples: {
        linkedId: { summary: "The customer's number is known by a linked id (@lid)", value: { knowByLid: '+351912345678' } },
        acksNeverCome: { summary: "WhatsApp's server stops acking", value: { withholdAcks: true } },
      },
    },
    responses: {
      '200': {
        description: "What the switch did (the linked id given), and the session's state.",
        json: z.strictObject({ lid: z.string().optional(), state: SessionState }),
      },
      '400': 'InvalidRequest',
      '404': 'NotFound',
    },
  },
  {
    method: 'post',
    path: '/admin/simulator/{session}/state',
    operationId: 'simulatorState',
    tag: 'simulator',
    summary: 'Forces a state, as the phone or the network would (CONNECTED pairs it)',
    auth: 'admin',
    parameters: [session],
    request: {
      schema: stateBody,
      schemaName: 'SimulatorState',
      required: true,
      examples: {
        networkDrop: { summary: 'The network drops', value: { state: 'TRANSIENT_DISCONNECT', reason: 'wifi lost' } },
        back: { summary: 'Connected again', value: { state: 'CONNECTED' } },
      },
    },
    responses: {
      '200': { description: 'The state now.', json: z.strictObject({ state: SessionState }) },
      '400': 'InvalidRequest',
      '404': 'NotFound',
    },
  },
];
