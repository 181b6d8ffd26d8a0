import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { contractPath, readContract } from '../contracts';

export const SWAGGER_PATH = process.env.CHATWOOT_SWAGGER_PATH ?? contractPath('chatwoot-4.13.swagger.json');
const DOC_ID = 'chatwoot-4.13';

type Json = Record<string, unknown>;

/**
 * Places where the 4.13 swagger contradicts itself or the server (CONTRACTS.md). Each patch is applied to an
 * in-memory copy; anything not listed here is enforced exactly as the swagger says.
 */
export const SPEC_PATCHES: ReadonlyArray<{ where: string; why: string; apply: (doc: Json) => void }> = [
  {
    where: 'POST /contacts/filter: payload[].query_operator',
    why: "The last condition carries query_operator:null (the swagger's own example and CONTRACTS.md do this), but the schema says string.",
    apply: (doc) => {
      const items = dig(doc, [
        'paths',
        '/api/v1/accounts/{account_id}/contacts/filter',
        'post',
        'requestBody',
        'content',
        'application/json',
        'schema',
        'properties',
        'payload',
        'items',
        'properties',
      ]);
      items.query_operator = { type: ['string', 'null'], enum: ['AND', 'OR', null] };
    },
  },
  {
    where: 'components.schemas.inbox_contact.provider (POST /contacts/{id}/contact_inboxes)',
    why: 'Same _inbox_slim partial as contact_inbox.inbox, which the swagger itself types string|null; an API channel has no provider.',
    apply: (doc) => {
      dig(doc, ['components', 'schemas', 'inbox_contact', 'properties']).provider = { type: ['string', 'null'] };
    },
  },
  {
    where: 'components.schemas.inbox: widget_color, website_url, website_token, web_widget_script, reply_time',
    why: '_inbox.json.jbuilder renders them as resource.channel.try(...) for every channel: null for an API inbox, but the schema says string.',
    apply: (doc) => {
      const props = dig(doc, ['components', 'schemas', 'inbox', 'properties']);
      for (const key of ['widget_color', 'website_url', 'website_token', 'web_widget_script', 'reply_time'])
        props[key] = { type: ['string', 'null'] };
    },
  },
  {
    where: 'components.schemas.message.content',
    why: '_message.json.jbuilder renders message.content, which is null for an attachment-only message.',
    apply: (doc) => {
      dig(doc, ['components', 'schemas', 'message', 'properties']).content = { type: ['string', 'null'] };
    },
  },
];

/**
 * Responses whose swagger schema is wrong about the shape the server renders. POST /contacts is declared as
 * `extended_contact` (= the `contact` schema, whose `payload` is an ARRAY), but contacts/create.json.jbuilder
 * renders `{payload:{contact, contact_inbox}}`. We still validate the pieces against the swagger's own
 * contact_list_item and contact_inbox components.
 */
export const RESPONSE_OVERRIDES: Record<string, Json> = {
  'post /api/v1/accounts/{account_id}/contacts 200': {
    type: 'object',
    required: ['payload'],
    properties: {
      payload: {
        type: 'object',
        required: ['contact', 'contact_inbox'],
        properties: {
          contact: { $ref: `${DOC_ID}#/components/schemas/contact_list_item` },
          contact_inbox: { $ref: `${DOC_ID}#/components/schemas/contact_inbox` },
        },
      },
    },
  },
};

function dig(obj: Json, path: string[]): Json {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) throw new Error(`swagger patch target missing: ${path.join(' > ')}`);
    cur = (cur as Json)[key];
  }
  return cur as Json;
}

const pointer = (segments: string[]): string =>
  `${DOC_ID}#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

export interface SchemaIssue {
  field: string;
  message: string;
  code: string;
}

/** Compiles request/response validators straight from the swagger document so $refs resolve inside it. */
export class OpenApiValidator {
  private static instance: OpenApiValidator | undefined;
  readonly doc: Json;
  readonly unchecked: boolean;
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction | null>();

  /** Compiling the 430 kB document costs ~150 ms; every fake in the process shares one. */
  static shared(): OpenApiValidator {
    OpenApiValidator.instance ??= new OpenApiValidator();
    return OpenApiValidator.instance;
  }

  /** patched=false gives the swagger verbatim (no SPEC_PATCHES, no RESPONSE_OVERRIDES), to prove why they exist. */
  constructor(
    path = SWAGGER_PATH,
    private readonly patched = true,
  ) {
    const doc = readContract(path);
    // Without the definition (the demo's stand-ins only) nothing is documented, so nothing is checked.
    this.unchecked = !doc;
    this.doc = doc ?? { paths: {}, components: { schemas: {} } };
    if (patched && doc) for (const p of SPEC_PATCHES) p.apply(this.doc);
    // strict:false because OpenAPI adds keywords (example, discriminator…) that are not JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addFormat('binary', true);
    this.ajv.addFormat('double', true);
    this.ajv.addSchema(this.doc, DOC_ID);
  }

  private operation(method: string, path: string): Json | undefined {
    const item = (this.doc.paths as Json)[path] as Json | undefined;
    return item?.[method.toLowerCase()] as Json | undefined;
  }

  private compiled(key: string, build: () => Json | null): ValidateFunction | null {
    if (!this.cache.has(key)) {
      const schema = build();
      this.cache.set(key, schema ? this.ajv.compile(schema) : null);
    }
    return this.cache.get(key) ?? null;
  }

  /** null when the swagger has no JSON request body for this operation (then CONTRACTS.md rules apply). */
  requestValidator(method: string, path: string): ((body: unknown) => SchemaIssue[]) | null {
    const validate = this.compiled(`req ${method.toLowerCase()} ${path}`, () => {
      const op = this.operation(method, path);
      const rb = op?.requestBody as Json | undefined;
      const content = rb?.content as Json | undefined;
      if (!content?.['application/json']) return null;
      return { $ref: pointer(['paths', path, method.toLowerCase(), 'requestBody', 'content', 'application/json', 'schema']) };
    });
    if (!validate) return null;
    return (body) => (validate(body) ? [] : toIssues(validate.errors));
  }

  hasResponseSchema(method: string, path: string, status: number): boolean {
    return this.responseValidator(method, path, status) !== null;
  }

  /** Returns the issues of a response body against the documented (or overridden) schema; [] when valid. */
  validateResponse(method: string, path: string, status: number, body: unknown): SchemaIssue[] {
    const validate = this.responseValidator(method, path, status);
    if (!validate) throw new Error(`swagger documents no JSON response for ${method.toUpperCase()} ${path} ${status}`);
    return validate(body) ? [] : toIssues(validate.errors);
  }

  /** Validates against a named component, e.g. 'contact_list_item'. */
  validateComponent(name: string, value: unknown): SchemaIssue[] {
    const validate = this.compiled(`component ${name}`, () => ({ $ref: pointer(['components', 'schemas', name]) }));
    if (!validate) throw new Error(`no component ${name}`);
    return validate(value) ? [] : toIssues(validate.errors);
  }

  private responseValidator(method: string, path: string, status: number): ValidateFunction | null {
    const key = `${method.toLowerCase()} ${path} ${status}`;
    return this.compiled(`res ${key}`, () => {
      if (this.unchecked) return null;
      if (this.patched && RESPONSE_OVERRIDES[key]) return RESPONSE_OVERRIDES[key];
      const responses = this.operation(method, path)?.responses as Json | undefined;
      const content = (responses?.[String(status)] as Json | undefined)?.content as Json | undefined;
      if (!content?.['application/json']) return null;
      return { $ref: pointer(['paths', path, method.toLowerCase(), 'responses', String(status), 'content', 'application/json', 'schema']) };
    });
  }
}

function toIssues(errors: ErrorObject[] | null | undefined): SchemaIssue[] {
  return (errors ?? []).map((e) => ({ field: e.instancePath || '/', message: e.message ?? 'invalid', code: e.keyword }));
}

export function describeIssues(issues: SchemaIssue[]): string {
  return issues.map((i) => `${i.field} ${i.message}`).join('; ');
}
