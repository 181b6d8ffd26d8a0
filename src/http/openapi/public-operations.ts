import { z } from 'zod';
import type { NamedSchema, OperationSpec, ParameterSpec } from './operation';

const Health = z.strictObject({ status: z.literal('ok'), pid: z.int(), uptimeSeconds: z.int().min(0) });

const IntakeStatus = z.strictObject({
  mode: z.enum(['webhook', 'websocket', 'poll']),
  realtime: z
    .strictObject({
      state: z.enum(['idle', 'connecting', 'connected', 'subscribed', 'disconnected', 'rejected', 'stopped', 'deaf']),
      since: z.string().meta({ format: 'date-time' }),
      reconnects: z.int().min(0),
      lastError: z.string().optional(),
      url: z.string(),
    })
    .optional(),
  pollIntervalMs: z.record(z.string(), z.int().min(0)).describe("The poll's current interval, per session."),
});

const Readiness = z.strictObject({
  status: z.enum(['ready', 'not_ready']),
  reasons: z.array(z.string().meta({ examples: ['session main is still CONNECTING'] })),
  intake: IntakeStatus.optional(),
  warnings: z.array(z.string()).optional(),
});

const MediaError = z.strictObject({ error: z.enum(['forbidden', 'not_found']), message: z.string() });

export const PUBLIC_SCHEMAS: NamedSchema[] = [
  { name: 'Health', schema: Health },
  { name: 'Readiness', schema: Readiness },
  {
    name: 'IntakeStatus',
    schema: IntakeStatus,
    description: "How agents' messages come in (`chatwoot.intake`). Present with Chatwoot configured.",
  },
  { name: 'MediaError', schema: MediaError },
];

const mediaToken: ParameterSpec = {
  name: 'token',
  in: 'path',
  required: true,
  description: 'A signed token that expires. Ponte makes it; it cannot be guessed.',
  schema: z.string(),
};
const mediaAnswers = {
  '200': {
    description: 'The file, with the type and name it was sent with (`Content-Disposition` inline, `Cache-Control` private, no-store).',
    content: { '*/*': z.string().meta({ contentMediaType: 'application/octet-stream' }) },
  },
  '403': { description: 'A forged or expired link.', json: MediaError },
  '404': { description: 'The file was deleted (after `media.retentionHours`, or once the backend has it).', json: MediaError },
};
const text = (description: string, type: string) => ({ description, content: { [type]: z.string() } });

export const PUBLIC_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: '/media/{token}',
    operationId: 'mediaByToken',
    tag: 'media',
    summary: 'A file a user sent to a flow',
    description:
      'The signed link Ponte gives Typebot for a file. It is valid for `media.linkTtlHours`, and the file is kept for `media.retentionHours`.',
    auth: 'public',
    parameters: [mediaToken],
    responses: mediaAnswers,
  },
  {
    method: 'get',
    path: '/media/{token}/{name}',
    operationId: 'mediaByTokenAndName',
    tag: 'media',
    summary: 'A file a user sent to a flow, with its file name',
    description: 'The same file as `/media/{token}`. The name is only there for whoever reads the link; the token alone chooses the file.',
    auth: 'public',
    parameters: [mediaToken, { name: 'name', in: 'path', required: true, schema: z.string() }],
    responses: mediaAnswers,
  },
  {
    method: 'get',
    path: '/healthz',
    operationId: 'healthz',
    tag: 'health',
    summary: 'The process is alive',
    auth: 'public',
    responses: { '200': { description: 'Always, while the process answers.', json: Health } },
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readyz',
    tag: 'health',
    summary: 'Ready to relay',
    description:
      'Ready once Redis is up and no session of this daemon is still CONNECTING. A realtime socket that is down only adds a warning, because the poll covers it.',
    auth: 'public',
    responses: {
      '200': { description: 'Ready.', json: Readiness },
      '503': { description: 'Not ready, with the reasons.', json: Readiness },
    },
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    tag: 'health',
    summary: 'Prometheus metrics (prefix `ponte_`)',
    description: 'The list of metrics is in `prometheus/metrics.md`. Labels never carry a phone number, chat id or message id.',
    auth: 'public',
    responses: { '200': text('Prometheus text exposition format.', 'text/plain') },
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    tag: 'health',
    summary: 'This document',
    description: 'Generated from the schemas the routes validate with. It holds no secret and no data, so it needs no token.',
    auth: 'public',
    responses: { '200': { description: 'OpenAPI 3.1, as JSON.', json: z.record(z.string(), z.unknown()) } },
  },
  {
    method: 'get',
    path: '/',
    operationId: 'root',
    tag: 'ui',
    summary: 'Redirects a browser to the admin page',
    auth: 'public',
    responses: { '302': 'Redirect' },
  },
  {
    method: 'get',
    path: '/admin/ui',
    operationId: 'adminPage',
    tag: 'ui',
    summary: 'The admin page',
    auth: 'public',
    responses: { '200': text('The page. Its Content-Security-Policy allows only its own script and style.', 'text/html') },
  },
  {
    method: 'get',
    path: '/admin/ui/',
    operationId: 'adminPageSlash',
    tag: 'ui',
    summary: "Redirects to `/admin/ui` (so that the page's relative asset paths resolve)",
    auth: 'public',
    responses: { '301': 'Redirect' },
  },
  {
    method: 'get',
    path: '/admin/ui/app.js',
    operationId: 'adminPageScript',
    tag: 'ui',
    summary: "The admin page's script",
    auth: 'public',
    responses: { '200': text('Plain JavaScript.', 'text/javascript') },
  },
  {
    method: 'get',
    path: '/admin/ui/app.css',
    operationId: 'adminPageStyle',
    tag: 'ui',
    summary: "The admin page's style",
    auth: 'public',
    responses: { '200': text('CSS.', 'text/css') },
  },
  {
    method: 'get',
    path: '/admin/ui/api',
    operationId: 'apiPage',
    tag: 'ui',
    summary: 'This document as a page: every operation with its schemas and examples',
    auth: 'public',
    responses: { '200': text('The page (no script).', 'text/html') },
  },
];
