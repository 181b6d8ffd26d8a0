import Ajv2020 from 'ajv/dist/2020';
import type { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { RESULT_SCHEMAS } from './results-schema';
import { contractPath, readContract } from '../contracts';

export const OPENAPI_PATH = process.env.TYPEBOT_OPENAPI_PATH ?? contractPath('typebot-chat-api.openapi.json');
const DOC_ID = 'typebot-chat-api';
const RESULTS_ID = 'typebot-builder-results';

export const START_CHAT = '/v1/typebots/{publicId}/startChat';
export const CONTINUE_CHAT = '/v1/sessions/{sessionId}/continueChat';
export type ChatOperation = typeof START_CHAT | typeof CONTINUE_CHAT;

type Json = Record<string, unknown>;

interface Patch {
  where: string;
  why: string;
  apply: (doc: Json) => void;
}

function dig(obj: unknown, path: Array<string | number>): Json {
  let cur: unknown = obj;
  for (const key of path) {
    if (typeof cur !== 'object' || cur === null || !(key in cur)) throw new Error(`OpenAPI patch target missing: ${path.join(' > ')}`);
    cur = (cur as Json)[key as string];
  }
  return cur as Json;
}

const bodySchema = (doc: Json, op: ChatOperation): Json =>
  dig(doc, ['paths', op, 'post', 'requestBody', 'content', 'application/json', 'schema']);
const okSchema = (doc: Json, op: ChatOperation): Json =>
  dig(doc, ['paths', op, 'post', 'responses', '200', 'content', 'application/json', 'schema']);

/**
 * Places where the viewer OpenAPI (3.18.0) says less than the server accepts. Applied to an in-memory copy;
 * anything not listed is enforced exactly as the OpenAPI says.
 */
export const SPEC_PATCHES: readonly Patch[] = [
  {
    where: 'POST startChat / continueChat: requestBody.message',
    why: 'messageSchema is z.preprocess(string -> {type:"text",text}), so the server accepts a bare string (CONTRACTS.md: `"message?": "text" | {…}`); the OpenAPI export drops the preprocess.',
    apply: (doc) => {
      for (const op of [START_CHAT, CONTINUE_CHAT] as const) {
        const message = dig(bodySchema(doc, op), ['properties', 'message']);
        (message.anyOf as Json[]).unshift({ type: 'string' });
      }
    },
  },
];

/**
 * Places where the OpenAPI allows anything (`{}`, from z.any()) but CONTRACTS.md documents the shape. They only
 * constrain what the fake sends, so its bubbles are what a bridge will really meet.
 */
export const SPEC_TIGHTENINGS: readonly Patch[] = [
  {
    where: 'startChat / continueChat 200: messages[] text bubble content.richText',
    why: 'richText is z.any(); CONTRACTS.md: Slate elements p, a(url), ol/ul/li/lic, leaves {text, bold?, italic?, underline?}.',
    apply: (doc) => {
      dig(doc, ['components', 'schemas']).FakeSlateElement = {
        type: 'object',
        required: ['type', 'children'],
        properties: {
          type: { enum: ['p', 'a', 'ol', 'ul', 'li', 'lic'] },
          url: { type: 'string' },
          children: {
            type: 'array',
            items: { anyOf: [{ $ref: '#/components/schemas/FakeSlateElement' }, { $ref: '#/components/schemas/FakeSlateText' }] },
          },
        },
        if: { properties: { type: { const: 'a' } } },
        then: { required: ['url'] },
      };
      dig(doc, ['components', 'schemas']).FakeSlateText = {
        type: 'object',
        required: ['text'],
        properties: { text: { type: 'string' }, bold: { type: 'boolean' }, italic: { type: 'boolean' }, underline: { type: 'boolean' } },
      };
      for (const op of [START_CHAT, CONTINUE_CHAT] as const) {
        const variants = dig(okSchema(doc, op), ['properties', 'messages', 'items', 'allOf', 1, 'anyOf']) as unknown as Json[];
        const text = variants.find((v) => dig(v, ['properties', 'type']).const === 'text');
        if (!text) throw new Error('OpenAPI patch target missing: text bubble variant');
        const richText = (dig(text, ['properties', 'content', 'anyOf']) as unknown as Json[]).find(
          (c) => dig(c, ['properties', 'type']).const === 'richText',
        );
        if (!richText) throw new Error('OpenAPI patch target missing: richText content variant');
        dig(richText, ['properties']).richText = { type: 'array', items: { $ref: '#/components/schemas/FakeSlateElement' } };
        richText.required = ['type', 'richText'];
      }
    },
  },
];

export interface SchemaIssue {
  path: string;
  message: string;
  code: string;
}

/** Validators compiled from the OpenAPI document itself, so its internal $refs resolve. */
export class TypebotOpenApi {
  private static instance: TypebotOpenApi | undefined;
  readonly doc: Json;
  readonly unchecked: boolean;
  private readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction | null>();

  /** Every fake in the process shares one compiled document. */
  static shared(): TypebotOpenApi {
    TypebotOpenApi.instance ??= new TypebotOpenApi();
    return TypebotOpenApi.instance;
  }

  /** patched=false gives the OpenAPI verbatim (no patches, no tightenings), to prove why they exist. */
  constructor(path = OPENAPI_PATH, patched = true) {
    const doc = readContract(path);
    // Without the definition (the demo's stand-ins only) nothing is documented, so nothing is checked.
    this.unchecked = !doc;
    this.doc = doc ?? { paths: {} };
    if (patched && doc) for (const p of [...SPEC_PATCHES, ...SPEC_TIGHTENINGS]) p.apply(this.doc);
    // strict:false: OpenAPI keywords (x-native-type, description…) are not JSON Schema.
    this.ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(this.ajv);
    this.ajv.addSchema(this.doc, DOC_ID);
    this.ajv.addSchema(RESULT_SCHEMAS, RESULTS_ID);
  }

  private compiled(key: string, ref: () => string | null): ValidateFunction | null {
    if (!this.cache.has(key)) {
      const target = ref();
      this.cache.set(key, target ? this.ajv.compile({ $ref: target }) : null);
    }
    return this.cache.get(key) ?? null;
  }

  validateRequest(op: ChatOperation, body: unknown): SchemaIssue[] {
    if (this.unchecked) return [];
    const validate = this.compiled(`req ${op}`, () =>
      pointer(['paths', op, 'post', 'requestBody', 'content', 'application/json', 'schema']),
    );
    return run(validate as ValidateFunction, body);
  }

  /** null when the OpenAPI documents no JSON body for that status. */
  validateResponse(op: ChatOperation, status: number, body: unknown): SchemaIssue[] | null {
    if (this.unchecked) return null;
    const validate = this.compiled(`res ${op} ${status}`, () => {
      const responses = dig(this.doc, ['paths', op, 'post', 'responses']);
      const content = (responses[String(status)] as Json | undefined)?.content as Json | undefined;
      return content?.['application/json']
        ? pointer(['paths', op, 'post', 'responses', String(status), 'content', 'application/json', 'schema'])
        : null;
    });
    return validate ? run(validate, body) : null;
  }

  /** The builder results API is not in the viewer OpenAPI; results-schema.ts holds its CONTRACTS.md shape. */
  validateResultsResponse(status: number, body: unknown): SchemaIssue[] {
    const validate = this.compiled(`results ${status}`, () => `${RESULTS_ID}#/$defs/${status === 200 ? 'resultResponse' : 'error'}`);
    return run(validate as ValidateFunction, body);
  }
}

const pointer = (segments: string[]): string =>
  `${DOC_ID}#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

function run(validate: ValidateFunction, body: unknown): SchemaIssue[] {
  return validate(body) ? [] : toIssues(validate.errors);
}

/**
 * With allErrors, a bad bubble reports a failure for every variant of the anyOf. A variant whose own `type`
 * does not match is not the one that was meant, so its errors are dropped; what is left names the real problem.
 */
function toIssues(errors: ErrorObject[] | null | undefined): SchemaIssue[] {
  const all = errors ?? [];
  const dead: string[] = [];
  for (const union of all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    for (const e of all) {
      const branch = e.schemaPath.startsWith(`${union.schemaPath}/`)
        ? e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0]
        : undefined;
      if (branch !== undefined && e.instancePath === `${union.instancePath}/type` && (e.keyword === 'const' || e.keyword === 'enum')) {
        dead.push(`${union.schemaPath}/${branch}/`);
      }
    }
  }
  const alive = all.filter((e) => !dead.some((prefix) => e.schemaPath.startsWith(prefix)));
  const specific = alive.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const kept = specific.length > 0 ? specific : alive.length > 0 ? alive : all;
  const issues = kept.map((e) => ({ path: e.instancePath || '/', message: e.message ?? 'invalid', code: e.keyword }));
  return issues.filter((i, k) => issues.findIndex((j) => j.path === i.path && j.message === i.message) === k);
}

export function describeIssues(issues: SchemaIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join('; ');
}
