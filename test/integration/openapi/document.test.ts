import fs from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { z } from 'zod';
import { OPERATIONS } from '../../../src/http/openapi/document';
import { renderOpenApiYaml } from '../../../src/http/openapi/yaml';
import { envelopeSchema, messageEventSchema, conversationEventSchema } from '../../../src/chatwoot/webhook-schema';
import { inboundSchema } from '../../../src/engines/simulator/simulator-customer';
import { SESSION_STATES } from '../../../src/engines/types';
import { DOC_PATH, DocumentSchemas, loadDocument, operations, schemaLocations } from './openapi-doc';

const doc = loadDocument();
const schemas = doc.components.schemas;

/** What zod would accept as input, as JSON Schema (refinements are not representable, and not needed here). */
const fromZod = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties: Record<string, { enum?: string[] }>;
    required?: string[];
  };

describe('the OpenAPI document (served at /openapi.json, committed as docs/openapi.yaml)', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    // loadDocument() gives untyped YAML; checking its shape is the parser's job here.
    const result = await validate(structuredClone(doc) as Parameters<typeof validate>[0]);
    expect(result).toMatchObject({ valid: true, warnings: [] });
  });

  test('every schema in it is strict JSON Schema 2020-12 (no unknown keyword, no misspelt type, every $ref resolves)', () => {
    const compiler = new DocumentSchemas(doc);
    const locations = schemaLocations(doc);
    expect(locations.length).toBeGreaterThan(40);
    for (const at of locations) expect(() => compiler.validator(at)).not.toThrow();
  });

  test('every operation has a unique operationId, a summary and a success answer; the admin API asks for the Bearer token and documents 401', () => {
    const ops = operations(doc);
    const ids = ops.map((o) => o.op.operationId);
    expect(new Set(ids).size).toBe(ops.length);
    for (const { method, path, op } of ops) {
      const where = `${method.toUpperCase()} ${path}`;
      expect([where, typeof op.summary]).toEqual([where, 'string']);
      expect([where, Object.keys(op.responses).some((s) => /^[23]\d\d$/.test(s))]).toEqual([where, true]);
      if (path.startsWith('/admin/') && !path.startsWith('/admin/ui')) {
        expect([where, op.security]).toEqual([where, [{ adminBearer: [] }]]);
        expect([where, Object.keys(op.responses)]).toEqual([where, expect.arrayContaining(['401'])]);
      }
    }
  });

  test('every request example is valid against its own schema', () => {
    const compiler = new DocumentSchemas(doc);
    let checked = 0;
    for (const { method, path, op } of operations(doc)) {
      const media = op.requestBody?.content?.['application/json'];
      for (const [name, example] of Object.entries((media?.examples ?? {}) as Record<string, { value: unknown }>)) {
        checked += 1;
        const problems = compiler.problems(['paths', path, method, 'requestBody', 'content', 'application/json', 'schema'], example.value);
        expect([`${method} ${path} example ${name}`, problems]).toEqual([`${method} ${path} example ${name}`, '']);
      }
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  });

  test('every operation that takes a body documents at least one example of it', () => {
    const without = operations(doc)
      .filter(({ op }) => op.requestBody && !Object.keys(op.requestBody.content['application/json'].examples ?? {}).length)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(without).toEqual([]);
  });

  test('docs/openapi.yaml is the generated document (npm run docs:openapi writes it)', () => {
    expect(fs.readFileSync(DOC_PATH, 'utf8')).toBe(renderOpenApiYaml());
  });
});

describe('the OpenAPI document says what the code validates with', () => {
  test("each request body is the route's own zod schema, named in components", () => {
    for (const spec of OPERATIONS.filter((o) => o.request)) {
      const media = doc.paths[spec.path][spec.method].requestBody.content['application/json'];
      expect([spec.operationId, media.schema]).toEqual([spec.operationId, { $ref: `#/components/schemas/${spec.request!.schemaName}` }]);
      const generated = z.toJSONSchema(spec.request!.schema, { io: 'input', unrepresentable: 'any' }) as { properties?: object };
      const documented = schemas[spec.request!.schemaName];
      expect([spec.operationId, Object.keys(documented.properties ?? {})]).toEqual([
        spec.operationId,
        Object.keys(generated.properties ?? {}),
      ]);
    }
  });

  test('the simulator inbound body has the fields, required fields and types of the zod schema the route parses with', () => {
    const code = fromZod(inboundSchema);
    const documented = schemas.SimulatorInbound;
    expect(Object.keys(documented.properties).sort()).toEqual(Object.keys(code.properties).sort());
    expect([...documented.required].sort()).toEqual([...(code.required ?? [])].sort());
    expect(documented.properties.type.enum).toEqual(code.properties.type.enum);
  });

  test("session states are the engines' states", () => {
    expect(schemas.SessionState.enum).toEqual([...SESSION_STATES]);
  });

  test("the webhook's documented fields are the ones Ponte reads from Chatwoot's body", () => {
    expect(Object.keys(schemas.ChatwootWebhookEnvelope.properties).sort()).toEqual(Object.keys(fromZod(envelopeSchema).properties).sort());
    expect(Object.keys(schemas.ChatwootMessageEvent.properties).sort()).toEqual(Object.keys(fromZod(messageEventSchema).properties).sort());
    expect(Object.keys(schemas.ChatwootConversationEvent.properties).sort()).toEqual(
      Object.keys(fromZod(conversationEventSchema).properties).sort(),
    );
  });
});
