import { z } from 'zod';
import { DecisionBody } from '../registration-decision-routes';
import type { NamedSchema, OperationSpec, ParameterSpec } from './operation';
import { ErrorBody } from './shared';
import {
  Registration,
  RegistrationDecisionTaken,
  RegistrationHookAccepted,
  RegistrationHookBody,
  RegistrationStatus,
  RegistrationSummary,
} from './registration-schemas';

const registrationId: ParameterSpec = {
  name: 'id',
  in: 'path',
  required: true,
  schema: z.string().meta({ examples: ['reg-3f1c2a9b'] }),
};
const signedOrToken: Array<Record<string, string[]>> = [
  { registrationToken: [] },
  { registrationSignature: [], registrationTimestamp: [] },
];

export const DECISION_SCHEMAS: NamedSchema[] = [{ name: 'RegistrationDecisionBody', schema: DecisionBody }];

export const REGISTRATION_OPERATIONS: OperationSpec[] = [
  {
    method: 'post',
    path: '/hooks/typebot/registration',
    operationId: 'registrationHook',
    tag: 'hooks',
    summary: "A registration flow's variables, from a Typebot HTTP Request block",
    description: `Ponte checks the registration, asks the driver on WhatsApp to fix what is wrong, and delivers the
valid registration to the backend exactly once. The same flow result (or the same answers) is one
registration, however often it is posted. Authentication takes one of two forms:
- \`?token=<registration.hookToken>\`, checked before any byte of the body is read. Typebot cannot
  sign, so this is its way in.
- A signature like the one Ponte sends to the backend: \`X-Ponte-Timestamp\` and
  \`X-Ponte-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with registration.secret>\`.
  Without a token, the body may be at most 64 KB.

The body is either Typebot's default shape (the variables at the top level) or a custom body with
\`variables\`. File variables hold URLs; Ponte fetches the files from the configured hosts.`,
    auth: signedOrToken,
    request: {
      schema: RegistrationHookBody,
      schemaName: 'RegistrationHookBody',
      required: true,
      examples: {
        typebotDefault: {
          summary: "Typebot's default body (variables at the top level); the files are missing, so the driver is asked for them",
          value: {
            submittedAt: '2026-05-04T10:15:00.000Z',
            resultId: 'result-example-1',
            nome_completo: 'Maria João Silva',
            nif: '123456789',
            telefone: '+351913000777',
            email: 'maria@example.pt',
            morada: 'Rua das Flores 12',
            codigo_postal: '1000-100',
            cidade: 'Lisboa',
          },
        },
        variablesList: {
          summary: 'A custom body with a list of variables',
          value: {
            variables: [
              { name: 'nome_completo', value: 'Rui Costa' },
              { name: 'nif', value: '501442600' },
              { name: 'telefone', value: '+351913000888' },
            ],
            meta: { resultId: 'result-example-2' },
          },
        },
      },
    },
    responses: {
      '202': {
        description: "Taken. The registration's id and status (`fixing` lists the problems the driver is asked to fix).",
        json: RegistrationHookAccepted,
      },
      '400': 'BadRequest',
      '401': 'Unauthorized',
      '413': 'TooLarge',
    },
  },
  {
    method: 'post',
    path: '/hooks/registrations/{id}/decision',
    operationId: 'registrationDecision',
    tag: 'hooks',
    summary: "The backend's decision on a registration Ponte delivered",
    description: `The backend approves, rejects or asks for changes to a delivered registration (the \`id\` is the
\`meta.registrationId\` and \`Idempotency-Key\` of the delivery). Ponte tells the driver on WhatsApp (its
own sentence, then \`message\`, at most 1000 characters), adds a private note in Chatwoot and the label
\`registo-aprovado\` or \`registo-recusado\`, and keeps the decision on the registration
(\`GET /admin/registrations/{id}\`). \`needs_changes\` asks the driver for each of \`fields\` again (required
with it, refused without it), one at a time. Once all are in and the registration is valid, the corrected
registration goes to the backend once, as delivery 2 (3, ...): \`Idempotency-Key: <id>.2\`, \`meta.round: 2\`,
\`meta.changed: [fields]\`, every text field and only the files named in \`fields\`. The backend then decides
on that delivery.

The first decision on a delivery stands. The same decision again (a retry) answers \`200\` with
\`repeated: true\` and does nothing more; a different one answers \`409 decision_recorded\`.

Authentication is the registration hook's: signed with \`registration.secret\` (\`X-Ponte-Timestamp\`,
\`X-Ponte-Signature\`), or \`?token=<registration.hookToken>\`. Both are checked before the body, which
may be at most 16 KB.`,
    auth: [{ registrationSignature: [], registrationTimestamp: [] }, { registrationToken: [] }],
    parameters: [registrationId],
    request: {
      schema: DecisionBody,
      schemaName: 'RegistrationDecisionBody',
      required: true,
      examples: {
        approved: {
          summary: 'Approved, with a word for the driver',
          value: { decision: 'approved', message: 'Pode começar a fazer entregas amanhã.' },
        },
        rejected: { summary: 'Rejected', value: { decision: 'rejected', message: 'A carta de condução está caducada.' } },
        needsChanges: {
          summary: 'The driver must send the e-mail and the front of the licence again',
          value: { decision: 'needs_changes', message: 'A foto da carta está desfocada.', fields: ['email', 'cnh_frente'] },
        },
      },
    },
    responses: {
      '200': { description: 'The same decision was taken before; nothing more is done.', json: RegistrationDecisionTaken },
      '202': {
        description: 'Taken. The driver and the agents are told in a moment, after any news of the delivery itself.',
        json: RegistrationDecisionTaken,
      },
      '400': {
        description: `The body is not JSON (\`malformed_json\`), breaks the schema (\`invalid_request\`, with
\`details.problems\`), or \`fields\` names a variable the registration does not have (\`unknown_field\`,
with \`details.unknown\` and \`details.known\`).`,
        json: ErrorBody,
      },
      '401': 'Unauthorized',
      '404': 'NotFound',
      '409': {
        description: `\`not_delivered\`: the registration is not at the backend (still being fixed by the driver, queued,
or refused); \`details.status\` says which. \`decision_recorded\`: another decision on this delivery
was taken already; \`details.recorded\` is that one, which stands.`,
        json: ErrorBody,
      },
      '413': 'TooLarge',
    },
  },
  {
    method: 'get',
    path: '/admin/registrations',
    operationId: 'listRegistrations',
    tag: 'registrations',
    summary: 'Registrations, newest first',
    auth: 'admin',
    parameters: [
      { name: 'status', in: 'query', required: false, schema: RegistrationStatus },
      {
        name: 'limit',
        in: 'query',
        required: false,
        description: 'At most this many (1 to 500, default 50).',
        schema: z.int().min(1).max(500).default(50),
      },
    ],
    responses: {
      '200': { description: 'The registrations.', json: z.strictObject({ registrations: z.array(RegistrationSummary) }) },
      '400': 'BadRequest',
      '404': 'NotFound',
    },
  },
  {
    method: 'get',
    path: '/admin/registrations/{id}',
    operationId: 'getRegistration',
    tag: 'registrations',
    summary: "One registration, with its answers, files, problems and the backend's answer",
    auth: 'admin',
    parameters: [registrationId],
    responses: { '200': { description: 'The registration.', json: Registration }, '404': 'NotFound' },
  },
  {
    method: 'post',
    path: '/admin/registrations/{id}/retry',
    operationId: 'retryRegistration',
    tag: 'registrations',
    summary: 'Sends a failed or rejected registration again (the same body and Idempotency-Key)',
    auth: 'admin',
    parameters: [registrationId],
    responses: {
      '202': { description: 'Queued again.', json: z.strictObject({ id: z.string(), status: z.literal('queued') }) },
      '404': 'NotFound',
      '409': {
        description: 'Already delivered (`already_delivered`, never sent twice), or still being fixed by the driver (`invalid`).',
        json: ErrorBody,
      },
    },
  },
];
