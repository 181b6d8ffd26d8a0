import { z } from 'zod';
import { SESSION_STATES } from '../../core/session-states';
import { moveBody } from '../admin-fleet-routes';
import { addBody } from '../admin-runtime-session-routes';
import { loginBody } from '../admin-session-routes';
import type { NamedSchema, OperationSpec } from './operation';
import { ErrorBody, sessionIdParam } from './shared';

export const SessionState = z.enum(SESSION_STATES);
const dateTime = z.string().meta({ format: 'date-time' });

export const SessionStatus = z.strictObject({
  id: z.string(),
  engine: z.enum(['wppconnect', 'wwebjs', 'simulator']),
  state: z
    .union([SessionState, z.literal('STANDBY')])
    .describe(
      "The engine's state on this daemon. STANDBY means another daemon runs the session, or no daemon does yet. This happens when several daemons share one Redis; `reason` says which.",
    ),
  reason: z.string().optional(),
  me: z.string().optional().describe('The paired number, once CONNECTED.'),
  pairing: z
    .strictObject({
      qr: z.string().optional(),
      pairingCode: z.string().length(8).optional(),
      attempt: z.int().min(1),
      expiresAt: z.int().optional().describe('Unix ms.'),
    })
    .optional()
    .describe('While QR_REQUIRED, either a QR payload (render it, or get `qr.svg`) or an 8-character code.'),
  reconnectAttempts: z.int().min(0),
  since: dateTime,
  owner: z.enum(['this', 'other', 'none']).describe('Which daemon runs it (several daemons may share one Redis).'),
  ownerId: z.string().optional(),
  memoryBytes: z.int().min(0).optional().describe("Memory of the session's browser processes at the last check."),
  inboxId: z.int().optional().describe('Its Chatwoot inbox (in the list).'),
  source: z.enum(['config', 'runtime']).optional().describe('Defined in the configuration file, or added at run time (in the list).'),
  relayedLastHour: z
    .strictObject({ inbound: z.int().min(0), outbound: z.int().min(0) })
    .optional()
    .describe('Messages relayed in the last 60 minutes, by every daemon sharing the Redis (in the list, with Chatwoot).'),
  deadLetters: z.int().min(0).optional().describe('Dead letters of this session waiting for a replay (in the list, with Chatwoot).'),
});

const RuntimeSessionAnswer = z.strictObject({
  session: SessionStatus,
  settings: z
    .record(z.string(), z.unknown())
    .describe('The session settings with defaults applied; webhookSecret and proxy.password shown as "[set]".'),
});

/** runtime.change() judges the merged result with the configuration's own schema; the route takes any object. */
const SessionPatch = z.record(z.string(), z.unknown());
const LoginRequest = loginBody();

const MoveResult = z.strictObject({ session: z.string(), from: z.string().optional(), to: z.string(), tookMs: z.int().min(0) });

const Fleet = z.strictObject({
  shared: z.boolean().describe('false with the embedded Redis: this daemon runs alone.'),
  daemons: z.array(
    z.strictObject({
      id: z.string().describe('Its name (lease.daemonId).'),
      maxSessions: z.int().min(1).optional().describe('fleet.maxSessions; absent: no limit.'),
      sessions: z.array(z.string()).describe('The sessions it runs now.'),
      storage: z
        .string()
        .describe('The id of the storage holding its logins (its sessionStore.dir); daemons with the same one see the same logins.'),
      url: z.string().optional().describe('Its admin API, as it knows itself.'),
      startedAt: dateTime,
      until: z.int().describe('Epoch ms until which it counts as alive unless it reports again.'),
    }),
  ),
});

export const SESSION_SCHEMAS: NamedSchema[] = [
  { name: 'SessionState', schema: SessionState },
  { name: 'SessionStatus', schema: SessionStatus },
  { name: 'RuntimeSessionAnswer', schema: RuntimeSessionAnswer },
  {
    name: 'AddSessionRequest',
    schema: addBody,
    description: 'The keys of sessions[] in the configuration as `session` (id and engine at least), and whether to create its inbox.',
  },
  { name: 'SessionPatch', schema: SessionPatch, description: 'A JSON merge patch of the keys of sessions[].' },
  {
    name: 'LoginRequest',
    schema: LoginRequest,
    description: 'The phone to pair by code, with its country code (a national number only with `sessionStore.defaultCountry`).',
  },
  {
    name: 'MoveRequest',
    schema: moveBody,
    description: "`to` is the target daemon's name (lease.daemonId), as GET /admin/fleet lists it.",
  },
  { name: 'MoveResult', schema: MoveResult },
  { name: 'Fleet', schema: Fleet },
];

const id = [sessionIdParam];

export const SESSION_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: '/admin/sessions',
    operationId: 'listSessions',
    tag: 'sessions',
    summary: 'Every configured session and its state',
    auth: 'admin',
    responses: { '200': { description: 'The sessions.', json: z.strictObject({ sessions: z.array(SessionStatus) }) } },
  },
  {
    method: 'post',
    path: '/admin/sessions',
    operationId: 'addSession',
    tag: 'sessions',
    summary: 'Adds a number while the daemon runs (kept in Redis), optionally creating its Chatwoot inbox',
    description: `\`session\` has the keys of \`sessions[]\` in the configuration and is checked by the same schema and
rules. With \`createInbox\`, an API-channel inbox named \`inboxName\` (default "WhatsApp <id>") is
created in Chatwoot with its webhook at \`http.publicUrl\`/webhooks/chatwoot, and its webhook secret
becomes the session's \`webhookSecret\`. The session starts at once. An id the configuration file uses
cannot be added: the file wins.`,
    auth: 'admin',
    request: {
      schema: addBody,
      schemaName: 'AddSessionRequest',
      required: true,
      examples: {
        withInbox: {
          summary: 'A number and its inbox in one call',
          value: { session: { id: 'sales', engine: 'wppconnect' }, createInbox: true, inboxName: 'Vendas' },
        },
      },
    },
    responses: {
      '201': { description: 'The session as it runs now, and its settings (secrets shown as "[set]").', json: RuntimeSessionAnswer },
      '400': 'InvalidRequest',
      '404': 'NotFound',
      '409': 'SessionConflict',
      '502': 'InboxNotCreated',
    },
  },
  {
    method: 'patch',
    path: '/admin/sessions/{id}',
    operationId: 'changeSession',
    tag: 'sessions',
    summary: 'Changes a number added at run time (a JSON merge patch); it restarts with its saved login',
    description:
      "Keys set to null go back to their default. The configuration file's sessions are changed in the file (409 `config_session`).",
    auth: 'admin',
    parameters: id,
    request: {
      schema: SessionPatch,
      schemaName: 'SessionPatch',
      required: true,
      examples: { groups: { summary: 'Ignore group chats', value: { groups: 'ignore' } } },
    },
    responses: {
      '200': { description: 'The session as it runs now, and its settings.', json: RuntimeSessionAnswer },
      '400': 'InvalidRequest',
      '404': 'NotFound',
      '409': 'SessionConflict',
    },
  },
  {
    method: 'get',
    path: '/admin/sessions/{id}',
    operationId: 'getSession',
    tag: 'sessions',
    summary: "One session's state, with its QR code or pairing code while it pairs",
    auth: 'admin',
    parameters: id,
    responses: { '200': { description: 'The session.', json: SessionStatus }, '404': 'NotFound' },
  },
  {
    method: 'delete',
    path: '/admin/sessions/{id}',
    operationId: 'logoutSession',
    tag: 'sessions',
    summary: "Unpairs the phone and deletes the session's login data",
    auth: 'admin',
    parameters: id,
    responses: { '200': { description: 'The session, now LOGGED_OUT.', json: SessionStatus }, '404': 'NotFound', '409': 'NotOwned' },
  },
  {
    method: 'post',
    path: '/admin/sessions/{id}/remove',
    operationId: 'removeSession',
    tag: 'sessions',
    summary: 'Logs a number added at run time out, deletes its data and forgets it',
    description:
      'When WhatsApp cannot be told (the phone unreachable), the data is deleted anyway and `warning` says to unlink the device on the phone.',
    auth: 'admin',
    parameters: id,
    responses: {
      '200': { description: 'Removed.', json: z.strictObject({ removed: z.string(), warning: z.string().optional() }) },
      '404': 'NotFound',
      '409': 'SessionConflict',
    },
  },
  {
    method: 'post',
    path: '/admin/sessions/{id}/login',
    operationId: 'loginSession',
    tag: 'sessions',
    summary: 'Starts pairing (QR code, or an 8-character code for `phone`)',
    description: `A connected session is left as it is. Otherwise it connects again and shows a new QR code. With
\`phone\`, it shows a pairing code to type on that phone instead (WhatsApp › Linked devices › Link
with phone number instead).`,
    auth: 'admin',
    parameters: id,
    request: {
      schema: LoginRequest,
      schemaName: 'LoginRequest',
      required: false,
      examples: {
        qr: { summary: 'Pair by QR code', value: {} },
        code: { summary: 'Pair by code on this phone', value: { phone: '+351912345678' } },
      },
    },
    responses: {
      '200': { description: 'The session; the QR code or pairing code appears in `pairing` once shown.', json: SessionStatus },
      '400': 'InvalidRequest',
      '404': 'NotFound',
      '409': 'NotOwned',
    },
  },
  {
    method: 'get',
    path: '/admin/sessions/{id}/qr.svg',
    operationId: 'sessionQr',
    tag: 'sessions',
    summary: 'The current QR code as an SVG image',
    auth: 'admin',
    parameters: id,
    responses: {
      '200': {
        description: 'The QR code. `X-Pairing-Attempt` names which one it is (QR codes rotate).',
        headers: { 'X-Pairing-Attempt': { schema: z.int().min(1) } },
        content: { 'image/svg+xml': z.string() },
      },
      '404': 'NotFound',
    },
  },
  {
    method: 'post',
    path: '/admin/sessions/{id}/move',
    operationId: 'moveSession',
    tag: 'sessions',
    summary: 'Moves a session to another daemon sharing the Redis',
    description: `The session stops where it runs and starts on \`to\` with its saved login; the answer comes once it
runs there (at most three lease lifetimes, \`lease.ttlMs\`). Any daemon of the fleet can be asked.
Refused when \`to\` is not running, has no room (\`fleet.maxSessions\`), or does not see the storage
holding the session's login (its \`sessionStore.dir\`): the phone would have to pair again there.`,
    auth: 'admin',
    parameters: id,
    request: {
      schema: moveBody,
      schemaName: 'MoveRequest',
      required: true,
      examples: { toDaemon: { summary: 'Move it to the daemon named ponte-b (its lease.daemonId)', value: { to: 'ponte-b' } } },
    },
    responses: {
      '200': { description: 'The session runs on `to` (`from` is the daemon that ran it, absent when none did).', json: MoveResult },
      '400': 'InvalidRequest',
      '404': 'NotFound',
      '409': 'MoveRefused',
      '504': { description: 'The session did not start on `to` in time (`move_timeout`); the move is called off.', json: ErrorBody },
    },
  },
  {
    method: 'get',
    path: '/admin/fleet',
    operationId: 'listFleet',
    tag: 'sessions',
    summary: 'The daemons sharing this Redis and the sessions each runs',
    description: 'A daemon with the embedded Redis runs alone (`shared` false, no daemons listed).',
    auth: 'admin',
    responses: { '200': { description: 'The daemons alive now, by name.', json: Fleet } },
  },
];
