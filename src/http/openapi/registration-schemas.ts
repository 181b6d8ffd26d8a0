import { z } from 'zod';
import type { NamedSchema } from './operation';

/** Unix milliseconds, as Date.now() gives them. */
const unixMs = z.int().describe('Unix ms.');
const dateTime = z.string().meta({ format: 'date-time' });
const decisionKind = z.enum(['approved', 'rejected', 'needs_changes']);

export const RegistrationStatus = z.enum(['fixing', 'queued', 'delivered', 'rejected', 'failed']);

/** What the registration hook reads (registration/hook-body.ts reads it by hand: anything else is judged there). */
export const RegistrationHookBody = z.looseObject({
  submittedAt: z.string().optional(),
  resultId: z.string().optional().describe("The flow's result; one result is one registration."),
  variables: z.union([z.array(z.looseObject({ name: z.string(), value: z.unknown() })), z.record(z.string(), z.unknown())]).optional(),
  meta: z.looseObject({ resultId: z.string().optional(), submittedAt: z.string().optional() }).optional(),
});

export const RegistrationHookAccepted = z.strictObject({
  registrationId: z.string(),
  status: RegistrationStatus,
  problems: z.array(z.strictObject({ field: z.string(), code: z.string(), message: z.string() })).optional(),
});

const TakenRegistrationDecision = z.strictObject({
  decision: decisionKind,
  message: z.string().optional(),
  fields: z.array(z.string()).optional(),
  receivedAt: dateTime,
});

const RecordedRegistrationDecision = z.strictObject({
  decision: decisionKind,
  message: z.string().optional(),
  fields: z.array(z.string()).optional(),
  receivedAt: dateTime,
  round: z.int().min(1).describe('The delivery it answers.'),
  told: z.boolean().optional().describe('The driver was told (or no chat is known to tell).'),
  passedOnAt: dateTime.optional().describe("The driver told and the agents' note and label added."),
});

export const RegistrationDecisionTaken = z.strictObject({
  registrationId: z.string(),
  round: z.int().min(1).describe('The delivery decided on.'),
  repeated: z.boolean().describe('This decision was taken before; nothing more was done.'),
  decision: TakenRegistrationDecision,
});

export const RegistrationSummary = z.strictObject({
  id: z.string(),
  status: RegistrationStatus,
  session: z.string(),
  phone: z.string().optional(),
  source: z.enum(['flow', 'hook']),
  driverId: z.string().optional(),
  error: z.string().optional(),
  createdAt: dateTime,
  updatedAt: dateTime,
  files: z.int().min(0).describe('How many files it carries.'),
});

const ChatTarget = z.strictObject({
  session: z.string(),
  inboxId: z.int(),
  chatKey: z.string(),
  waChatId: z.string(),
  isGroup: z.boolean(),
  name: z.string().optional(),
  phone: z.string().optional(),
  lid: z.string().optional(),
  reopen: z.enum(['reuse', 'new']),
});

const problem = z.strictObject({
  field: z.string(),
  code: z.string(),
  message: z.strictObject({ pt: z.string(), en: z.string() }),
});

export const Registration = z.strictObject({
  id: z.string(),
  source: z.enum(['flow', 'hook']),
  session: z.string(),
  target: ChatTarget.optional(),
  conversationId: z.int().optional(),
  phone: z.string().optional(),
  resultId: z.string().optional(),
  status: RegistrationStatus,
  fields: z.record(z.string(), z.string()).describe('Answers by Typebot variable name.'),
  files: z.array(
    z.strictObject({ field: z.string(), mediaId: z.string(), filename: z.string(), mimetype: z.string(), size: z.int().min(0) }),
  ),
  problems: z.array(problem).optional(),
  fixing: z.array(z.string()).optional().describe('Variables the driver still has to send again, in order.'),
  driverId: z.string().optional().describe("The backend's id for the driver."),
  error: z.string().optional().describe("The backend's answer or the failure."),
  createdAt: unixMs,
  updatedAt: unixMs,
  submittedAt: z.string().optional(),
  deliveredAt: unixMs.optional(),
  announced: z.boolean().optional(),
  round: z
    .int()
    .min(2)
    .optional()
    .describe('Which delivery this is, once the driver corrected what the backend asked for (absent for the first).'),
  changes: z
    .array(z.string())
    .optional()
    .describe('The variables the backend asked for again (`needs_changes`); the corrected delivery carries only these files.'),
  requested: z.array(z.string()).optional().describe('Of `changes`, those the driver has still to send.'),
  decisions: z.array(RecordedRegistrationDecision).optional().describe("The backend's decisions, one per delivery at most, oldest first."),
});

export const REGISTRATION_SCHEMAS: NamedSchema[] = [
  { name: 'RegistrationStatus', schema: RegistrationStatus },
  {
    name: 'RegistrationHookBody',
    schema: RegistrationHookBody,
    description: `\`{"submittedAt", "resultId", "<variable>": "<value>", ...}\` (Typebot's default), or
\`{"variables": [{"name", "value"}] | {"<variable>": "<value>"}, "meta": {"resultId", "submittedAt"}}\`.
Lists are joined with ", ". File variables (\`registration.fileFields\`) hold one or more URLs.`,
  },
  { name: 'RegistrationHookAccepted', schema: RegistrationHookAccepted },
  { name: 'TakenRegistrationDecision', schema: TakenRegistrationDecision },
  { name: 'RecordedRegistrationDecision', schema: RecordedRegistrationDecision },
  { name: 'RegistrationDecisionTaken', schema: RegistrationDecisionTaken },
  { name: 'RegistrationSummary', schema: RegistrationSummary },
  { name: 'Registration', schema: Registration },
  { name: 'ChatTarget', schema: ChatTarget },
];
