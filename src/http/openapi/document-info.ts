/** The document's words around the operations: what it covers, its tags and its security schemes. */
export const DOCUMENT_INFO = {
  title: 'Ponte',
  version: '0.1.0',
  summary: "Ponte's own HTTP surface. Ponte is a bridge between WhatsApp Web sessions and Chatwoot.",
  description: `Every route is served on one port (\`http.port\`). The webhooks, hooks and media links are for Chatwoot,
Typebot and the backend. The health and metrics routes are for the orchestrator and Prometheus. The
admin API is for the CLI and the admin page. This document is served at \`/openapi.json\` and as a page
at \`/admin/ui/api\`; it is generated from the schemas the routes validate with.

**Errors** are JSON: \`{"error": {"code", "message"}}\`. A \`400 invalid_request\` also carries
\`details.problems\`, with one line per problem, each starting with its field path. The media links are
the one exception: they answer \`{"error", "message"}\` (see \`MediaError\`). A path that no route
serves answers \`404 not_found\` with the same error body.

**Two threads.** With Chatwoot configured, a front thread owns the port and answers
\`POST /webhooks/chatwoot\` itself. It passes every other request on to the main thread, and when the
main thread does not answer, the front thread answers \`502 unavailable\`.

**Do not publish** \`/admin\` or \`/metrics\`. Only \`/webhooks/chatwoot\`, the hooks and \`/media\` are meant
to be reached from outside.

Some routes exist only when their feature is configured:
- \`/media\` needs \`typebot\`;
- \`/hooks/typebot/registration\`, \`/hooks/registrations/{id}/decision\` and \`/admin/registrations\` need \`registration\`;
- \`/admin/bots\` needs \`typebot\` and a session with a \`bot\`;
- \`/admin/dlq\` and \`/webhooks/chatwoot\` need \`chatwoot\`.

Without its section, an admin area answers \`404 not_configured\`, naming the section to configure.`,
};

export const TAGS = [
  { name: 'webhooks', description: 'Chatwoot calls these.' },
  { name: 'hooks', description: 'Typebot flows and other senders call these.' },
  { name: 'media', description: 'Files that users sent to a flow, behind signed links that expire.' },
  { name: 'health', description: 'Liveness, readiness, Prometheus metrics and this document.' },
  { name: 'sessions', description: 'WhatsApp sessions, their pairing and logout.' },
  { name: 'dead-letters', description: 'Events that could not be relayed, and their replay.' },
  { name: 'messages', description: 'Where a message is: its journey through Ponte, step by step, without its text.' },
  { name: 'bots', description: 'Chats that a Typebot flow has, or that humans have taken over.' },
  { name: 'registrations', description: 'Driver registrations and their delivery to the backend.' },
  {
    name: 'simulator',
    description: 'Controls the simulated WhatsApp account of `engine simulator` sessions. Used by the demo and the tests.',
  },
  {
    name: 'ui',
    description: 'The admin web page. Its files load without a token; the page then calls the admin API with the token typed in.',
  },
];

export const SECURITY_SCHEMES = {
  adminBearer: { type: 'http', scheme: 'bearer', description: '`Authorization: Bearer <http.adminToken>`.' },
  chatwootSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Chatwoot-Signature',
    description: '`sha256=<hex HMAC-SHA256 of "<X-Chatwoot-Timestamp>.<raw body>" with chatwoot.webhookSecret>` (Chatwoot 4.13+).',
  },
  chatwootTimestamp: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Chatwoot-Timestamp',
    description: "Unix seconds. It must be within 5 minutes of Ponte's clock.",
  },
  chatwootUrlToken: {
    type: 'apiKey',
    in: 'query',
    name: 'token',
    description: '`chatwoot.webhookToken`, for Chatwoot versions that do not sign.',
  },
  registrationToken: { type: 'apiKey', in: 'query', name: 'token', description: '`registration.hookToken`.' },
  registrationSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Ponte-Signature',
    description: '`sha256=<hex HMAC-SHA256 of "<X-Ponte-Timestamp>.<raw body>" with registration.secret>`.',
  },
  registrationTimestamp: { type: 'apiKey', in: 'header', name: 'X-Ponte-Timestamp', description: 'Unix seconds. It must be recent.' },
};
