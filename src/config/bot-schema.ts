import { z } from 'zod';

const durationMs = (def: number) => z.number({ error: 'expected a number of milliseconds' }).int().min(0).default(def);

/** When a conversation with no running flow starts one. */
export const triggerSchema = z
  .union(
    [
      z.literal('always'),
      z.object({ keywords: z.array(z.string().min(1)).min(1, { error: 'list at least one keyword' }) }).strict(),
      z.object({ label: z.string().min(1) }).strict(),
    ],
    { error: 'expected "always", {keywords: [..]} or {label: <name>}' },
  )
  .describe(
    'always (every new conversation), {keywords: [..]} (a message containing one) or {label: <name>} (the Chatwoot conversation carries the label)',
  );

export const botSchema = z
  .object({
    baseUrl: z
      .url({ error: 'expected the Typebot viewer URL, e.g. https://bot.example.com' })
      .describe('Typebot viewer URL (the chat API is under /api)'),
    publicId: z
      .string()
      .min(1, { error: 'expected the public id of the published bot' })
      .describe('Public id of the published bot (Share › API)'),
    apiToken: z.string().min(1).optional().describe('Typebot API token; not needed for published bots'),
    trigger: triggerSchema.default('always'),
    handoffKeywords: z
      .array(z.string().min(1))
      .default(['agente', 'atendente', 'humano', 'agent', 'human'])
      .describe('A user message equal to one of these (case and accents ignored) hands the conversation to an agent'),
    expiryMinutes: z
      .number()
      .positive()
      .default(240)
      .describe('Silence after which a running flow is dropped (a later message starts a fresh one if the trigger matches)'),
    debounceMs: durationMs(1500).describe('Quick messages within this gap are sent to the flow as one answer (text inputs only)'),
    prefilledVariables: z
      .record(z.string(), z.string())
      .default({ phone: '{phone}', name: '{name}', session: '{session}' })
      .describe('Typebot variables set at the start: variable name -> value, where {phone}, {name} and {session} are filled in'),
    maxWaitSeconds: z.number().min(0).max(60).default(10).describe("Cap on a flow's Wait blocks"),
    timeoutMs: durationMs(15000).describe(
      'How long one Typebot call is waited for (a continueChat: this plus retryForMs, since it is never sent twice)',
    ),
    retryForMs: durationMs(30000).describe(
      'How long a Typebot call that fails in a way that may pass (timeout, unreachable, 408, 429, 5xx) is tried again, with backoff from 0.5 s to 5 s and Retry-After honoured, before the conversation goes to agents; 0: never. A continueChat Typebot may already have taken (a timeout, a 504, a cut connection) is not sent again: it is waited for instead',
    ),
  })
  .strict();

export const typebotSchema = z
  .object({
    language: z.enum(['pt', 'en']).default('pt').describe('Language of the sentences Ponte itself says (hints, handoff)'),
    bots: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'expected lowercase letters, digits, "-" or "_"' }), botSchema)
      .describe('Bots by name; a session uses one with `bot: <name>`'),
    resumeLabel: z.string().min(1).default('bot').describe('Adding this label to a Chatwoot conversation hands it back to its bot'),
  })
  .strict();

export const mediaSchema = z
  .object({
    dir: z
      .string()
      .default('media')
      .describe(
        'Where files users send to a flow are kept (served to Typebot at /media/<signed token>); relative to the top-level dataDir',
      ),
    linkTtlHours: z.number().positive().default(72).describe('How long a /media link stays valid'),
    retentionHours: z
      .number()
      .positive()
      .default(168)
      .describe('Files older than this are deleted (registration files are kept until delivered)'),
  })
  .strict();

export type BotConfig = z.infer<typeof botSchema>;
export type TypebotConfig = z.infer<typeof typebotSchema>;
export type MediaConfig = z.infer<typeof mediaSchema>;
export type TriggerConfig = z.infer<typeof triggerSchema>;
