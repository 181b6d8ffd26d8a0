import path from 'node:path';
import { z } from 'zod';

import { MIN_SHARED_SECRET, secret } from './secret';
import { mediaSchema, typebotSchema } from './bot-schema';
import { registrationSchema } from './registration-schema';

export { secret };

const port = z
  .number({ error: 'expected a whole number from 0 to 65535' })
  .int({ error: 'expected a whole number from 0 to 65535' })
  .min(0, { error: 'expected a whole number from 0 to 65535' })
  .max(65535, { error: 'expected a whole number from 0 to 65535' });

const durationMs = (def: number) => z.number({ error: 'expected a number of milliseconds' }).int().min(0).default(def);

export const httpSchema = z
  .object({
    port: port.default(8080).describe('TCP port of the HTTP server (webhooks, admin API, metrics)'),
    host: z.string().default('0.0.0.0').describe('Address to listen on'),
    adminToken: secret('admin token', MIN_SHARED_SECRET).describe(
      'Bearer token for /admin and the CLI (secret; also PONTE_HTTP__ADMINTOKEN_FILE)',
    ),
    publicUrl: z
      .url({ error: 'expected an absolute URL like https://ponte.example.com' })
      .optional()
      .describe('How others reach this daemon (used in links Ponte hands out)'),
  })
  .strict();

export const redisSchema = z
  .object({
    url: z
      .string()
      .default('embedded')
      .refine((v) => v === 'embedded' || /^rediss?:\/\//.test(v), {
        message: 'expected "embedded" or a URL like redis://host:6379/0',
      })
      .describe('"embedded" starts a private redis-server child; otherwise a redis:// URL'),
    dataDir: z
      .string()
      .default('redis')
      .describe('Data directory of the embedded redis-server (AOF on); relative to the top-level dataDir'),
    binary: z.string().default('redis-server').describe('redis-server executable for the embedded mode'),
    appendfsync: z
      .enum(['everysec', 'always'])
      .default('everysec')
      .describe(
        'When the embedded Redis flushes its append-only file to disk: everysec (a power cut or kernel crash may lose the last second; ' +
          'a killed Ponte or redis-server loses nothing) or always (nothing, at a cost in throughput: see the README)',
      ),
    keyPrefix: z.string().default('ponte:').describe('Prefix of every key Ponte writes'),
    idMapRetentionDays: z
      .number()
      .min(8, { error: 'expected at least 8 days: catch-up looks back up to a week, and what it finds must still be known' })
      .max(3650)
      .default(90)
      .describe(
        'How long the WhatsApp <-> Chatwoot id map keeps a relayed message (about 300 B of Redis each, see the README sizing table): ' +
          'within it a re-delivered or caught-up message is never relayed twice, quotes of it are quoted and its ticks reach Chatwoot. At least 8',
      ),
  })
  .strict();

export const logSchema = z
  .object({
    level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info').describe('Log level'),
    pretty: z.boolean().default(false).describe('Human-readable logs instead of JSON lines'),
  })
  .strict();

export const simulatorSchema = z
  .object({
    requireQr: z.boolean().default(false).describe('Start unpaired: show QR codes until a pairing happens'),
    pairAfterMs: durationMs(0).describe('How long after the first QR the simulated phone pairs (0 = never by itself)'),
    qrRotateMs: durationMs(20000).describe('How often a new QR code replaces the last one'),
    connectDelayMs: durationMs(0).describe('Time spent in CONNECTING before the next state'),
    ackIntervalMs: durationMs(300).describe('Time between SENT, DELIVERED and READ acks of a sent message'),
    phone: z.string().default('+351910000000').describe('Number of the simulated account (E.164)'),
  })
  .strict();

export const pacingSchema = z
  .object({
    minGapMs: durationMs(1000).describe('Least time between two sends of the number (protects it from bans)'),
    jitterMs: durationMs(800).describe('Random extra time added to each gap'),
    typing: z.boolean().default(true).describe('Show "typing..." before a text, for a time that grows with its length'),
    typingMsPerChar: durationMs(25).describe('Typing time per character'),
    maxTypingMs: durationMs(2500).describe('Longest typing time'),
  })
  .strict();

export const callsSchema = z
  .object({
    reject: z
      .boolean()
      .default(false)
      .describe('Reject incoming calls automatically (with the Chatwoot relay, agents get a private note about every call either way)'),
    reply: z.string().optional().describe('Text sent to the caller after an automatic rejection (one-to-one calls only)'),
  })
  .strict();

export const wppconnectEngineSchema = z
  .object({
    whatsappVersion: z
      .string()
      .optional()
      .describe('Pin a WhatsApp Web build (e.g. "2.3000.1025012345-alpha") when a new build breaks the library; default: the current one'),
    deviceSyncTimeoutMs: durationMs(600000).describe(
      "How long a first pairing may take to load the phone's chats before the library gives up (wppconnect's own default is 3 minutes)",
    ),
  })
  .strict();

export const wwebjsEngineSchema = z
  .object({
    webVersion: z
      .string()
      .optional()
      .describe(
        'Pin a WhatsApp Web build (e.g. "2.3000.1025012345-alpha") when a new build breaks the library; needs webVersionCache remote or local',
      ),
    webVersionCache: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('none') }).strict(),
        z
          .object({
            type: z.literal('local'),
            path: z
              .string()
              .optional()
              .describe(
                "Folder of saved builds; a relative path is inside the session's data directory (default .wwebjs_cache there). The local cache also saves every live build it loads, ready to pin",
              ),
          })
          .strict(),
        z
          .object({
            type: z.literal('remote'),
            remotePath: z.string().describe('URL of a saved build, with {version} for webVersion'),
            strict: z.boolean().default(false).describe('Fail when that build cannot be fetched instead of using the live one'),
          })
          .strict(),
      ])
      .default({ type: 'local' })
      .describe('Where whatsapp-web.js keeps or finds WhatsApp Web builds (none, local or remote)'),
  })
  .strict();

export const browserSchema = z
  .object({
    executablePath: z
      .string()
      .default(() => process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium')
      .describe("Chromium used by the wppconnect and wwebjs engines (default $PUPPETEER_EXECUTABLE_PATH or Debian's /usr/bin/chromium)"),
    headless: z.boolean().default(true).describe('Run Chromium without a window'),
    extraArgs: z.array(z.string()).default([]).describe('Extra Chromium command-line flags'),
    launchTimeoutMs: durationMs(60000).describe('Longest time a browser start may take'),
    sandbox: z
      .enum(['auto', 'on', 'off'])
      .default('auto')
      .describe(
        "Chromium's sandbox: auto keeps it wherever it can work (not as root, nor without user namespaces, as in a container with the default seccomp profile)",
      ),
    wppconnect: wppconnectEngineSchema.default(() => wppconnectEngineSchema.parse({})).describe('Settings of the wppconnect engine'),
    wwebjs: wwebjsEngineSchema.default(() => wwebjsEngineSchema.parse({})).describe('Settings of the whatsapp-web.js engine'),
  })
  .strict();

export const sessionStoreSchema = z
  .object({
    dir: z
      .string()
      .default('sessions')
      .describe('Where each session keeps its WhatsApp login (<dir>/<id>); relative to the top-level dataDir'),
    pairingTimeoutMs: durationMs(300000).describe('How long a login waits for the phone to scan the QR or enter the code'),
    defaultCountry: z
      .string()
      .regex(/^[A-Za-z]{2}$/, { error: 'expected a two-letter country code, e.g. PT or BR' })
      .optional()
      .describe(
        'Country of a pairing phone number typed without its country code (two letters, e.g. PT); without it such a number is refused',
      ),
  })
  .strict();

export const leaseSchema = z
  .object({
    ttlMs: durationMs(15000).describe('A session belongs to one daemon for this long, renewed while it runs'),
    daemonId: z
      .string()
      .min(1)
      .optional()
      .describe(
        "This daemon's name in session leases, `ponte sessions list` and `ponte sessions move --to` (default <hostname>:<http port>); must differ between daemons sharing a Redis, and stay the same across its restarts",
      ),
  })
  .strict();

export const fleetSchema = z
  .object({
    maxSessions: z
      .number()
      .int()
      .min(0)
      .default(0)
      .describe(
        'Most sessions this daemon runs at once, 0 for no limit; the others wait for a daemon with room. Needs a Redis shared by the daemons (not embedded)',
      ),
  })
  .strict();

export const watchdogSchema = z
  .object({
    intervalMs: durationMs(30000).describe("How often each session's browser is checked (page answers, memory); 0 turns the watchdog off"),
    timeoutMs: durationMs(10000).describe('A browser that has not answered a check within this long counts as hung'),
    failures: z
      .number()
      .int()
      .min(1)
      .default(2)
      .describe('Bad checks in a row (hung, crashed, above memoryLimitMB) before the browser is restarted'),
  })
  .strict();

export const proxySchema = z
  .object({
    url: z
      .url({
        protocol: /^(https?|socks[45])$/,
        error: 'expected the proxy as a URL: http://host:port, https://host:port, socks5://host:port or socks4://host:port',
      })
      .refine((u) => !new URL(u).username && !new URL(u).password, {
        error: 'carries credentials: put them in proxy.username and proxy.password instead (a URL ends up in logs and on command lines)',
      })
      .refine((u) => ['', '/'].includes(new URL(u).pathname) && !new URL(u).search, {
        error: 'has a path or query: expected only scheme, host and port, e.g. http://proxy.example.com:3128',
      })
      .describe("The proxy the session's browser goes through (scheme, host and port)"),
    username: z.string().min(1).optional().describe('Proxy user, when the proxy asks for credentials'),
    password: z.string().optional().describe('Proxy password (never logged)'),
  })
  .strict()
  .refine((p) => p.password === undefined || p.username !== undefined, { error: 'has a password without a username', path: ['password'] })
  // Chromium has no way to answer a SOCKS proxy's authentication (only HTTP proxies' challenges reach puppeteer).
  .refine((p) => !p.username || !p.url.startsWith('socks'), {
    error:
      'Chromium cannot authenticate to a SOCKS proxy: use an HTTP proxy for credentials, or a SOCKS proxy that allows this host without them',
    path: ['username'],
  });

export const sessionSchema = z
  .object({
    id: z
      .string({ error: 'expected a session id' })
      .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, { error: 'expected lowercase letters, digits, "-" or "_" (max 63)' })
      .describe('Session id (used in URLs, keys and metrics)'),
    engine: z
      .enum(['simulator', 'wppconnect', 'wwebjs'], {
        error: 'expected one of simulator, wppconnect, wwebjs',
      })
      .describe('WhatsApp engine: wppconnect or wwebjs (whatsapp-web.js) drive Chromium; simulator is in memory'),
    calls: callsSchema.default(() => callsSchema.parse({})).describe('Incoming WhatsApp calls'),
    memoryLimitMB: z
      .number()
      .positive()
      .optional()
      .describe("Restart the session's browser when its memory (PSS of all its processes) stays above this many MiB (see watchdog)"),
    simulator: simulatorSchema.default(() => simulatorSchema.parse({})).describe('Simulator engine settings'),
    inboxId: z.number().int().positive().optional().describe('Chatwoot API-channel inbox of this session (no relay without it)'),
    groups: z.enum(['relay', 'ignore']).default('relay').describe('Relay group chats (one conversation per group) or ignore them'),
    ownMessages: z
      .enum(['outgoing', 'private', 'ignore'])
      .default('outgoing')
      .describe('Messages typed on the phone itself: outgoing messages, private notes, or not mirrored'),
    reopen: z.enum(['reuse', 'new']).default('reuse').describe('A resolved conversation is reopened (reuse) or a new one is created (new)'),
    maxMediaMB: z.number().positive().default(40).describe('Media above this size becomes a text note instead of an attachment'),
    pacing: pacingSchema.default(() => pacingSchema.parse({})).describe('How sends to WhatsApp are spaced'),
    typingFromAgents: z.boolean().default(false).describe('Show "typing..." on WhatsApp while an agent types in Chatwoot'),
    readFromAgents: z
      .boolean()
      .default(false)
      .describe(
        'Mark the WhatsApp chat read when an agent opens the conversation in Chatwoot (seen by the poll: within catchup.maxIntervalMs)',
      ),
    bot: z
      .string()
      .min(1)
      .optional()
      .describe("A Typebot flow (typebot.bots.<name>) answers this session's conversations until an agent takes over"),
    webhookSecret: secret("inbox's webhook secret", MIN_SHARED_SECRET)
      .optional()
      .describe("This inbox's own webhook secret (Chatwoot 4.13 gives each API inbox its own); default chatwoot.webhookSecret"),
    proxy: proxySchema
      .optional()
      .describe("A proxy for this session's browser: HTTP (with credentials if it asks for them) or SOCKS (without)"),
    sendTimeoutMs: z
      .number({ error: 'expected a number of milliseconds' })
      .int()
      .min(100, { error: 'expected at least 100 (0 would mean no time at all to reach WhatsApp)' })
      .default(60000)
      .describe(
        'Longest a send to WhatsApp may take; past it the outcome is unknown and, before any retry, the chat is searched for the message so the customer never gets it twice',
      ),
  })
  .strict();

export const sessionsSchema = z.array(sessionSchema).default([]).describe('WhatsApp sessions (one phone each)');

export const websocketSchema = z
  .object({
    url: z
      .url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL, e.g. wss://chatwoot.example.com/cable' })
      .optional()
      .describe("Chatwoot's ActionCable endpoint; default: baseUrl with http(s) turned into ws(s) and /cable appended"),
    staleAfterMs: durationMs(10000).describe('Reconnect when nothing arrived for this long (Chatwoot pings every 3 s)'),
    subscribeTimeoutMs: durationMs(10000).describe('Longest wait from connecting to a confirmed subscription'),
    reconnectMinMs: durationMs(1000).describe('First reconnect delay after a drop (doubles each failed attempt, with jitter)'),
    reconnectMaxMs: durationMs(60000).describe('Longest reconnect delay'),
  })
  .strict();

export const chatwootSchema = z
  .object({
    baseUrl: z
      .url({ error: 'expected the Chatwoot URL, e.g. https://chatwoot.example.com' })
      .refine((u) => ['', '/'].includes(new URL(u).pathname) && !new URL(u).search, {
        error:
          'has a path or query: expected only the origin Chatwoot is served at, e.g. https://chatwoot.example.com (Ponte adds /api/v1/...)',
      })
      .describe("Chatwoot's URL as Chatwoot knows itself (its FRONTEND_URL; the origin only: scheme, host and port)"),
    internalUrl: z
      .url({ error: 'expected a URL like http://rails:3000' })
      .refine((u) => ['', '/'].includes(new URL(u).pathname) && !new URL(u).search, {
        error: 'has a path or query: expected only an origin, e.g. http://rails:3000',
      })
      .optional()
      .describe(
        'Where Ponte reaches Chatwoot when baseUrl is not reachable from here (e.g. http://rails:3000 inside docker compose): API calls, the realtime socket and attachment downloads go there, attachment links on baseUrl are rewritten to it',
      ),
    accountId: z.number({ error: 'expected the numeric account id' }).int().positive().describe('Chatwoot account id'),
    apiToken: secret('Chatwoot user access token').describe(
      'A user (agent or admin) access token; agent-bot tokens cannot read contacts or set statuses',
    ),
    webhookSecret: secret('webhook secret', MIN_SHARED_SECRET)
      .optional()
      .describe("The inbox's webhook secret (Chatwoot 4.13+ signs webhooks with it)"),
    webhookToken: secret('webhook token', MIN_SHARED_SECRET)
      .optional()
      .describe('For older Chatwoot: a token the webhook URL must carry (?token=...)'),
    timeoutMs: durationMs(10000).describe('Timeout of one Chatwoot API call'),
    outboundMaxAgeHours: z
      .number()
      .positive()
      .default(24)
      .describe('Agent messages older than this are not sent by catch-up after downtime'),
    intake: z
      .enum(['webhook', 'websocket', 'poll'], { error: 'expected "webhook", "websocket" or "poll"' })
      .default('webhook')
      .describe(
        "How agent messages reach Ponte: webhook (Chatwoot calls /webhooks/chatwoot), websocket (Ponte listens on Chatwoot's " +
          'realtime socket and polls while it is down; no public URL needed) or poll (polling alone; catchup.maxIntervalMs is the worst-case delay)',
      ),
    websocket: websocketSchema.default(() => websocketSchema.parse({})).describe('The realtime socket of intake: websocket'),
    statusConversation: z
      .boolean()
      .default(true)
      .describe(
        'A conversation in each inbox with a contact named Ponte: the number reaching or leaving CONNECTED (with the reason), the QR code or pairing code while it needs pairing; agents may write "status" or "pair [+phone]" there, and nothing written there goes to WhatsApp',
      ),
  })
  .strict();

export const queueSchema = z
  .object({
    concurrency: z
      .number()
      .int()
      .min(1)
      .max(256)
      .default(32)
      .describe('Chats relayed in parallel per direction (each chat stays in order)'),
    maxAttempts: z.number().int().min(1).default(12).describe('Attempts before a message goes to the dead-letter list'),
    baseDelayMs: durationMs(500).describe('First retry delay (doubles each attempt, with jitter)'),
    maxDelayMs: durationMs(300000).describe('Longest retry delay'),
    maxAgeHours: z.number().positive().default(24).describe('A message still failing after this long is dead-lettered'),
    filesInFlight: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(1)
      .describe(
        "Files above 1 MB (WhatsApp media, agents' attachments) this daemon holds in memory at once, both directions together: each is held whole " +
          'while it is relayed (with the real engines 3 to 5 times its size on the way, the browser page handing files over as base64); ' +
          "the others wait their turn in their chat's lane, none is dropped. Smaller files go at once",
      ),
  })
  .strict();

export const journeysSchema = z
  .object({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Keep each message's journey in Redis (received, persisted, each attempt and why it failed, posted or sent, ticks, dead letter, replay): ponte messages show / find",
      ),
    maxSteps: z.number().int().min(5).max(1000).default(50).describe('Steps kept per message (the oldest go first)'),
    retentionHours: z
      .number()
      .positive()
      .max(24 * 30)
      .default(72)
      .describe("How long a message's journey is kept after its last step"),
    maxPerChat: z
      .number()
      .int()
      .min(1)
      .max(10000)
      .default(500)
      .describe('Journeys ponte messages find lists per chat (the least recent go first)'),
  })
  .strict();

export const tracingSchema = z
  .object({
    otlpUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL like http://otel-collector:4318' })
      .optional()
      .describe(
        'OpenTelemetry collector receiving spans over OTLP/HTTP (http://host:4318, or the full …/v1/traces URL); without it no span is made',
      ),
    serviceName: z.string().min(1).default('ponte').describe('service.name of the spans (tell daemons apart with their host, not this)'),
    sampleRatio: z
      .number({ error: 'expected a number from 0 to 1' })
      .min(0, { error: 'expected a number from 0 to 1' })
      .max(1, { error: 'expected a number from 0 to 1' })
      .default(1)
      .describe("Share of messages traced (0.1: one in ten); a message's spans are kept or dropped together, across threads and daemons"),
  })
  .strict();

export const catchupSchema = z
  .object({
    minIntervalMs: durationMs(2000).describe('Shortest catch-up interval (while it keeps finding missed messages)'),
    maxIntervalMs: durationMs(300000).describe('Longest catch-up interval (while it finds nothing)'),
    lookbackMinutes: z.number().positive().default(60).describe('How far back the first catch-up after a start looks'),
  })
  .strict();

/**
 * What a session needs from the rest of the configuration. The file's sessions and those added at run
 * time (core/runtime-sessions.ts) are held to the same rules.
 */
export function sessionProblems(
  c: { chatwoot?: unknown; typebot?: { bots: Record<string, unknown> } },
  s: Pick<SessionConfig, 'inboxId' | 'bot'>,
): Array<{ path: string[]; message: string }> {
  const out: Array<{ path: string[]; message: string }> = [];
  if (c.chatwoot && s.inboxId === undefined) {
    out.push({
      path: ['inboxId'],
      message:
        "with the chatwoot section every session needs its API-channel inbox (the number in the inbox's URL, …/inboxes/<id>), or its messages would go nowhere",
    });
  }
  if (s.bot && !c.typebot?.bots[s.bot]) out.push({ path: ['bot'], message: `names bot "${s.bot}", which typebot.bots does not define` });
  if (s.bot && !c.chatwoot)
    out.push({ path: ['bot'], message: 'bots need the chatwoot section (Chatwoot stays the record of every conversation)' });
  return out;
}

export const configSchema = z
  .object({
    dataDir: z
      .string()
      .default('data')
      .describe(
        'Root of what Ponte keeps on disk (logins, files, the embedded Redis): relative directories below are taken from here; back it up',
      ),
    http: httpSchema.describe('HTTP server: webhooks, hooks, admin API and page, health, metrics'),
    redis: redisSchema.default(() => redisSchema.parse({})).describe('Redis, where every event waits until it is relayed'),
    log: logSchema
      .default(() => logSchema.parse({}))
      .describe('Logs (JSON lines on stdout; secrets redacted, message bodies never written)'),
    sessions: sessionsSchema,
    chatwoot: chatwootSchema.optional().describe('Chatwoot connection; without it sessions run but nothing is relayed'),
    queue: queueSchema.default(() => queueSchema.parse({})).describe('Relay queues'),
    catchup: catchupSchema.default(() => catchupSchema.parse({})).describe('Recovery of messages missed while disconnected'),
    journeys: journeysSchema
      .default(() => journeysSchema.parse({}))
      .describe("Every message's timeline, both directions, for support (README: a customer says a message is missing)"),
    browser: browserSchema.default(() => browserSchema.parse({})).describe('Chromium for the real engines'),
    sessionStore: sessionStoreSchema.default(() => sessionStoreSchema.parse({})).describe('Session data (WhatsApp logins)'),
    lease: leaseSchema
      .default(() => leaseSchema.parse({}))
      .describe('Sharing one Redis between daemons: each session runs on one daemon at a time'),
    fleet: fleetSchema
      .default(() => fleetSchema.parse({}))
      .describe('Several daemons on one Redis sharing the sessions (README "A fleet of daemons")'),
    watchdog: watchdogSchema.default(() => watchdogSchema.parse({})).describe('Restarts browsers that crash, hang or grow too large'),
    shutdownTimeoutMs: durationMs(10000).describe('Longest time in-flight work gets on SIGTERM'),
    typebot: typebotSchema.optional().describe('Typebot flows over WhatsApp'),
    media: mediaSchema.default(() => mediaSchema.parse({})).describe('Files users send to flows'),
    registration: registrationSchema.optional().describe('Driver registration: completed flows forwarded to the backend'),
    tracing: tracingSchema
      .default(() => tracingSchema.parse({}))
      .describe('Traces of each message\'s way (README "Traces"): off unless otlpUrl is set'),
  })
  .strict()
  .superRefine((c, ctx) => {
    for (const [i, s] of c.sessions.entries()) {
      for (const p of sessionProblems(c, s)) ctx.addIssue({ code: 'custom', path: ['sessions', i, ...p.path], message: p.message });
    }
    if (c.registration && !c.typebot?.bots[c.registration.bot]) {
      ctx.addIssue({
        code: 'custom',
        path: ['registration', 'bot'],
        message: `names bot "${c.registration.bot}", which typebot.bots does not define`,
      });
    }
  })
  // One data root: the directories below it stay under it, wherever the daemon is started from.
  .transform((c) => {
    const root = path.resolve(c.dataDir);
    const under = (dir: string) => path.resolve(root, dir);
    return {
      ...c,
      dataDir: root,
      redis: { ...c.redis, dataDir: under(c.redis.dataDir) },
      sessionStore: { ...c.sessionStore, dir: under(c.sessionStore.dir) },
      media: { ...c.media, dir: under(c.media.dir) },
    };
  });

export type PonteConfig = z.infer<typeof configSchema>;
export type ChatwootConfig = z.infer<typeof chatwootSchema>;
export type WebsocketConfig = z.infer<typeof websocketSchema>;
export type QueueConfig = z.infer<typeof queueSchema>;
export type JourneysConfig = z.infer<typeof journeysSchema>;
export type SessionConfig = z.infer<typeof sessionSchema>;
export type ProxyConfig = z.infer<typeof proxySchema>;
export type SimulatorConfig = z.infer<typeof simulatorSchema>;
export type BrowserConfig = z.infer<typeof browserSchema>;
export type SessionStoreConfig = z.infer<typeof sessionStoreSchema>;
export type WatchdogConfig = z.infer<typeof watchdogSchema>;
export type CallsConfig = z.infer<typeof callsSchema>;
export type TracingConfig = z.infer<typeof tracingSchema>;
export type { TypebotConfig, BotConfig, MediaConfig, TriggerConfig } from './bot-schema';
export type { RegistrationConfig } from './registration-schema';
