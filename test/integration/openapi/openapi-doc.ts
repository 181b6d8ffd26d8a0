import path from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { buildOpenApiDocument } from '../../../src/http/openapi/document';

/** docs/openapi.yaml: the generated document, committed for readers of the repository. */
export const DOC_PATH = path.resolve(__dirname, '../../../docs/openapi.yaml');
const DOC_ID = 'ponte-openapi';
export const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'] as const;

type Json = Record<string, any>;

export interface Operation {
  method: string;
  /** The document's path template, e.g. /admin/sessions/{id}. */
  path: string;
  op: Json;
}

/** Ponte's HTTP surface, as other systems are told it is: the document the daemon serves at /openapi.json. */
export function loadDocument(): Json {
  return structuredClone(buildOpenApiDocument());
}

export function operations(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [p, item] of Object.entries(doc.paths as Json)) {
    for (const m of METHODS) if (item[m]) out.push({ method: m, path: p, op: item[m] });
  }
  return out;
}

/** `/a/{x}/b` and `/a/:y/b` both become `/a/{}/b`: parameter names are not part of the surface. */
export function shape(template: string): string {
  return template.replace(/\{[^}]+\}|:[A-Za-z_]\w*/g, '{}');
}

/** The operation a concrete request path falls under: literal templates win over parameterised ones. */
export function operationFor(doc: Json, method: string, urlPath: string): Operation | undefined {
  const candidates = operations(doc).filter((o) => o.method === method.toLowerCase());
  const matches = candidates.filter((o) => templateRegExp(o.path).test(urlPath));
  return matches.sort((a, b) => paramCount(a.path) - paramCount(b.path))[0];
}

function templateRegExp(template: string): RegExp {
  const source = template
    .split(/\{[^}]+\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^/]+');
  return new RegExp(`^${source}$`);
}

const paramCount = (template: string) => (template.match(/\{/g) ?? []).length;

/** JSON Pointer into the document, for ajv $refs. */
export const pointer = (segments: string[]): string =>
  `${DOC_ID}#/${segments.map((s) => encodeURIComponent(s.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/')}`;

/** Does `actual` (a Content-Type header) fall under the documented media range? */
export function mediaMatches(range: string, actual: string): boolean {
  const type = actual.split(';')[0].trim().toLowerCase();
  if (range === '*/*') return true;
  if (range.endsWith('/*')) return type.startsWith(range.slice(0, -1));
  return type === range.toLowerCase();
}

/**
 * Ajv (JSON Schema 2020-12, the dialect of OpenAPI 3.1) over the whole document, so every `$ref`
 * resolves inside it. Strict: an unknown keyword or a misspelt type in a schema is an error.
 */
export class DocumentSchemas {
  readonly ajv: Ajv2020;
  private readonly cache = new Map<string, ValidateFunction>();

  constructor(readonly doc: Json) {
    this.ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(this.ajv);
    // The document's own members are OpenAPI, not JSON Schema: declared so strict mode lets the root
    // through. Only the schemas they hold are ever compiled (through $refs into them).
    for (const member of Object.keys(doc)) this.ajv.addKeyword(member);
    this.ajv.addSchema({ ...doc, $id: DOC_ID });
  }

  validator(segments: string[]): ValidateFunction {
    const ref = pointer(segments);
    let v = this.cache.get(ref);
    if (!v) {
      v = this.ajv.compile({ $ref: ref });
      this.cache.set(ref, v);
    }
    return v;
  }

  /** '' when valid, else every problem as `path message`. */
  problems(segments: string[], value: unknown): string {
    const v = this.validator(segments);
    return v(value) ? '' : (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`).join('; ');
  }
}

/** Where every schema of the document sits (components, parameters, bodies, responses, headers). */
export function schemaLocations(doc: Json): string[][] {
  const found: string[][] = [];
  const walk = (node: unknown, at: string[]) => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'examples' || k === 'example') continue;
      if (k === 'schema' && v && typeof v === 'object') found.push([...at, k]);
      else walk(v, [...at, k]);
    }
  };
  walk(doc.paths, ['paths']);
  walk(doc.components, ['components']);
  for (const name of Object.keys(doc.components?.schemas ?? {})) found.push(['components', 'schemas', name]);
  return found;
}
