import { z } from 'zod';
import { DLQ_BOT_OPERATIONS, DLQ_BOT_SCHEMAS } from './dlq-bot-operations';
import { DOCUMENT_INFO, SECURITY_SCHEMES, TAGS } from './document-info';
import { FLOW_START_OPERATIONS, FLOW_START_SCHEMAS } from './flow-start-operations';
import { MESSAGE_OPERATIONS, MESSAGE_SCHEMAS } from './message-operations';
import type { AnswerSpec, NamedSchema, OperationSpec, ParameterSpec } from './operation';
import { PUBLIC_OPERATIONS, PUBLIC_SCHEMAS } from './public-operations';
import { DECISION_SCHEMAS, REGISTRATION_OPERATIONS } from './registration-operations';
import { REGISTRATION_SCHEMAS } from './registration-schemas';
import { SESSION_OPERATIONS, SESSION_SCHEMAS } from './session-operations';
import { SHARED_ANSWERS, SHARED_SCHEMAS } from './shared';
import { SIMULATOR_OPERATIONS, SIMULATOR_SCHEMAS } from './simulator-operations';
import { tidySchema } from './tidy-schema';
import { WEBHOOK_OPERATIONS, WEBHOOK_SCHEMAS } from './webhook-operations';

type Json = Record<string, unknown>;

/** Every route Ponte serves, in the order the document lists them. A new route adds its spec here. */
export const OPERATIONS: OperationSpec[] = [
  ...WEBHOOK_OPERATIONS,
  ...REGISTRATION_OPERATIONS.filter((o) => o.path.startsWith('/hooks/')),
  ...PUBLIC_OPERATIONS,
  ...SESSION_OPERATIONS,
  ...FLOW_START_OPERATIONS,
  ...DLQ_BOT_OPERATIONS,
  ...MESSAGE_OPERATIONS,
  ...REGISTRATION_OPERATIONS.filter((o) => !o.path.startsWith('/hooks/')),
  ...SIMULATOR_OPERATIONS,
];

const NAMED_SCHEMAS: NamedSchema[] = [
  ...SHARED_SCHEMAS,
  ...WEBHOOK_SCHEMAS,
  ...REGISTRATION_SCHEMAS,
  ...DECISION_SCHEMAS,
  ...PUBLIC_SCHEMAS,
  ...SESSION_SCHEMAS,
  ...DLQ_BOT_SCHEMAS,
  ...FLOW_START_SCHEMAS,
  ...MESSAGE_SCHEMAS,
  ...SIMULATOR_SCHEMAS,
];

const SCHEMA_REF = (name: string) => `#/components/schemas/${name}`;
const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** The zod schemas of the document by name; a schema under two names, or a name for two schemas, is a mistake. */
class Names {
  readonly registry = z.registry<{ id: string }>();
  private readonly extras = new Map<string, NamedSchema>();

  add(named: NamedSchema): void {
    const had = this.registry.get(named.schema)?.id;
    if (had && had !== named.name) throw new Error(`openapi: one schema named both ${had} and ${named.name}`);
    const taken = this.extras.get(named.name);
    if (taken && taken.schema !== named.schema) throw new Error(`openapi: two schemas named ${named.name}`);
    if (!had) this.registry.add(named.schema, { id: named.name });
    if (!taken || named.description || named.extra) this.extras.set(named.name, { ...taken, ...named });
  }

  nameOf(schema: z.ZodType): string | undefined {
    return this.registry.get(schema)?.id;
  }

  /** `$ref` for a named schema, else its JSON Schema inline (parameters, headers, text bodies). */
  ref(schema: z.ZodType): unknown {
    const name = this.nameOf(schema);
    return name ? { $ref: SCHEMA_REF(name) } : tidySchema(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  }

  components(): Json {
    const generated = z.toJSONSchema(this.registry, { io: 'input', unrepresentable: 'any', uri: SCHEMA_REF }).schemas;
    const out: Json = {};
    for (const name of [...this.extras.keys()].sort()) {
      const { description, extra } = this.extras.get(name)!;
      out[name] = { ...(tidySchema(generated[name]) as Json), ...(description ? { description } : {}), ...extra };
    }
    return out;
  }
}

function answerObject(answer: AnswerSpec, names: Names): Json {
  const content: Json = {};
  if (answer.json) content['application/json'] = { schema: names.ref(answer.json) };
  for (const [type, schema] of Object.entries(answer.content ?? {})) content[type] = { schema: names.ref(schema) };
  const headers = Object.fromEntries(
    Object.entries(answer.headers ?? {}).map(([name, h]) => [
      name,
      { ...(h.description ? { description: h.description } : {}), ...(h.required ? { required: true } : {}), schema: names.ref(h.schema) },
    ]),
  );
  return {
    description: answer.description,
    ...(Object.keys(headers).length ? { headers } : {}),
    ...(Object.keys(content).length ? { content } : {}),
  };
}

function parameterObject(p: ParameterSpec, names: Names): Json {
  return {
    name: p.name,
    in: p.in,
    ...(p.description ? { description: p.description } : {}),
    required: p.in === 'path' ? true : (p.required ?? false),
    schema: names.ref(p.schema),
  };
}

function operationObject(spec: OperationSpec, names: Names): Json {
  const responses: Record<string, AnswerSpec | string> = { ...spec.responses };
  if (spec.auth === 'admin') responses['401'] ??= 'Unauthorized';
  const security = spec.auth === 'admin' ? [{ adminBearer: [] }] : spec.auth === 'public' ? undefined : spec.auth;
  const request = spec.request;
  return {
    tags: [spec.tag],
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    ...(security ? { security } : {}),
    ...(spec.parameters?.length ? { parameters: spec.parameters.map((p) => parameterObject(p, names)) } : {}),
    ...(request
      ? {
          requestBody: {
            required: request.required ?? true,
            content: { 'application/json': { schema: names.ref(request.schema), examples: request.examples } },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.keys(responses)
        .sort()
        .map((status) => {
          const answer = responses[status];
          if (typeof answer === 'string') {
            if (!SHARED_ANSWERS[answer]) throw new Error(`openapi: ${spec.operationId} names an unknown shared answer ${answer}`);
            return [status, { $ref: `#/components/responses/${answer}` }];
          }
          return [status, answerObject(answer, names)];
        }),
    ),
  };
}

/** Bodies without a name of their own are named after their operation (`ListSessionsAnswer`). */
function nameEverything(names: Names): void {
  for (const named of NAMED_SCHEMAS) names.add(named);
  for (const spec of OPERATIONS) {
    if (spec.request) names.add({ name: spec.request.schemaName, schema: spec.request.schema });
    for (const [status, answer] of Object.entries(spec.responses)) {
      if (typeof answer === 'string' || !answer.json || names.nameOf(answer.json)) continue;
      names.add({ name: `${pascal(spec.operationId)}Answer${/^2/.test(status) ? '' : status}`, schema: answer.json });
    }
  }
}

/** Ponte's OpenAPI 3.1 document, generated from the operations' zod schemas. */
export function buildOpenApiDocument(): Json {
  const names = new Names();
  nameEverything(names);
  const paths: Record<string, Json> = {};
  for (const spec of OPERATIONS) {
    const item = (paths[spec.path] ??= {});
    if (item[spec.method]) throw new Error(`openapi: ${spec.method.toUpperCase()} ${spec.path} is declared twice`);
    item[spec.method] = operationObject(spec, names);
  }
  const operationIds = OPERATIONS.map((o) => o.operationId);
  const twice = operationIds.find((id, i) => operationIds.indexOf(id) !== i);
  if (twice) throw new Error(`openapi: operationId ${twice} is used twice`);
  const responses = Object.fromEntries(Object.entries(SHARED_ANSWERS).map(([name, a]) => [name, answerObject(a, names)]));
  return {
    openapi: '3.1.0',
    info: DOCUMENT_INFO,
    servers: [{ url: 'http://localhost:8080', description: 'A daemon with the default `http.port`' }],
    tags: TAGS,
    paths,
    components: { securitySchemes: SECURITY_SCHEMES, responses, schemas: names.components() },
  };
}

let cached: Json | undefined;

/** Built once per process: the operations do not change while it runs. */
export function openApiDocument(): Json {
  cached ??= buildOpenApiDocument();
  return cached;
}
