import { z } from 'zod';
import { secret } from './secret';

export const registrationFieldsSchema = z
  .object({
    name: z.string().default('nome_completo'),
    nif: z.string().default('nif'),
    phone: z.string().default('telefone'),
    email: z.string().default('email'),
    address: z.string().default('morada'),
    postalCode: z.string().default('codigo_postal'),
    city: z.string().default('cidade'),
  })
  .strict()
  .describe('Typebot variable holding each field');

export const registrationSchema = z
  .object({
    bot: z.string().min(1).describe('The bot (typebot.bots.<name>) whose completed flow is a registration'),
    endpoint: z.url({ error: 'expected the backend URL, e.g. https://api.example.com/drivers/register-typebot/' }).describe('Backend endpoint receiving registrations'),
    secret: secret('registration signing secret').describe('HMAC secret of X-Ponte-Signature (and of /hooks/typebot/registration)'),
    hookToken: secret('registration hook token').optional().describe('Alternative to signing for /hooks/typebot/registration: ?token=<it>'),
    timeoutMs: z.number().int().min(1).default(30000).describe('Timeout of one delivery attempt'),
    retryHours: z.number().positive().default(24).describe('How long timeouts, network errors and 5xx are retried'),
    fields: registrationFieldsSchema.default(() => registrationFieldsSchema.parse({})),
    fileFields: z.array(z.string().min(1)).default(['cnh_frente', 'cnh_verso', 'comprovante_morada']).describe('Variables holding files (URLs)'),
    maxFileMB: z.number().positive().default(10).describe('Largest accepted file'),
    keepFilesHours: z.number().min(0).default(0).describe('How long files stay in Ponte after a successful delivery (0: deleted at once)'),
    resultsApi: z
      .object({
        baseUrl: z.url().describe('Typebot builder URL'),
        token: secret('Typebot API token'),
      })
      .strict()
      .optional()
      .describe("Typebot's results API, to read the flow's variables by name when it completes"),
  })
  .strict();

export type RegistrationConfig = z.infer<typeof registrationSchema>;
