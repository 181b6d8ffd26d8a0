import { z } from 'zod';
import { MIN_SHARED_SECRET, secret } from './secret';

/** host, host:port or scheme://host[:port], nothing more. */
function isHostEntry(entry: string): boolean {
  try {
    const u = new URL(entry.includes('://') ? entry : `http://${entry}`);
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') &&
      (u.pathname === '/' || u.pathname === '') &&
      !u.search &&
      !u.hash &&
      !u.username
    );
  } catch {
    return false;
  }
}

export const registrationFieldsSchema = z
  .object({
    name: z.string().default('nome_completo').describe("Variable with the driver's full name"),
    nif: z.string().default('nif').describe('Variable with the Portuguese tax number (NIF, check digit verified)'),
    phone: z.string().default('telefone').describe('Variable with the phone number'),
    email: z.string().default('email').describe('Variable with the e-mail address'),
    address: z.string().default('morada').describe('Variable with the street address'),
    postalCode: z.string().default('codigo_postal').describe('Variable with the postal code (NNNN-NNN)'),
    city: z.string().default('cidade').describe('Variable with the city'),
  })
  .strict()
  .describe('Typebot variable holding each field');

export const registrationSchema = z
  .object({
    bot: z.string().min(1).describe('The bot (typebot.bots.<name>) whose completed flow is a registration'),
    endpoint: z
      .url({ error: 'expected the backend URL, e.g. https://api.example.com/drivers/register-typebot/' })
      .describe('Backend endpoint receiving registrations'),
    secret: secret('registration signing secret', MIN_SHARED_SECRET).describe(
      'HMAC secret of X-Ponte-Signature (and of /hooks/typebot/registration)',
    ),
    hookToken: secret('registration hook token', MIN_SHARED_SECRET)
      .optional()
      .describe('Alternative to signing for /hooks/typebot/registration: ?token=<it>'),
    timeoutMs: z.number().int().min(1).default(30000).describe('Timeout of one delivery attempt'),
    retryHours: z.number().positive().default(24).describe('How long timeouts, network errors and 5xx are retried'),
    fields: registrationFieldsSchema.default(() => registrationFieldsSchema.parse({})),
    fileFields: z
      .array(z.string().min(1))
      .default(['cnh_frente', 'cnh_verso', 'comprovante_morada'])
      .describe('Variables holding files (URLs)'),
    maxFileMB: z.number().positive().default(10).describe('Largest accepted file'),
    fileHosts: z
      .array(
        z.string().min(1).refine(isHostEntry, { error: 'expected a host, host:port or an origin like https://files.example.com:8443' }),
      )
      .optional()
      .describe(
        "Hosts whose file URLs (in a flow's answers or the hook body) Ponte fetches: host (default ports), host:port or an origin; " +
          'after a redirect, also the one storage host it names. Default: the hosts of typebot.bots[].baseUrl and resultsApi.baseUrl. ' +
          "Ponte's own /media links are always taken; list your Typebot's S3 host when flows upload there",
      ),
    keepFilesHours: z.number().min(0).default(0).describe('How long files stay in Ponte after a successful delivery (0: deleted at once)'),
    resultsApi: z
      .object({
        baseUrl: z.url().describe('Typebot builder URL'),
        token: secret('Typebot API token').describe(
          'A Typebot API token of a member of the workspace (Settings › My account › API tokens)',
        ),
      })
      .strict()
      .optional()
      .describe("Typebot's results API, to read the flow's variables by name when it completes"),
  })
  .strict();

export type RegistrationConfig = z.infer<typeof registrationSchema>;
