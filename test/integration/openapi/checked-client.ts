import { DocumentSchemas, mediaMatches, operationFor, operations, type Operation } from './openapi-doc';

type Json = Record<string, any>;

export interface CallOptions {
  /** An object is sent as JSON; a string is sent as is (with the JSON content type). */
  body?: unknown;
  headers?: Record<string, string>;
  /** The admin token is sent to /admin routes unless this says otherwise. */
  auth?: 'admin' | 'none' | 'wrong';
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  /** The parsed body when it is JSON. */
  json: any;
}

/**
 * fetch() that holds every exchange to the document: the path and method must be documented, the
 * status must be one of the operation's responses, the content type one it lists, a JSON body valid
 * against its schema, required headers present; and a request the daemon accepted (2xx) must be valid
 * against the documented request schema. Each checked `METHOD template` is remembered.
 */
export class CheckedClient {
  readonly exercised = new Set<string>();
  /** `METHOD template example` of each documented request example sent exactly as documented. */
  readonly examplesSent = new Set<string>();
  private readonly schemas: DocumentSchemas;

  constructor(
    private readonly doc: Json,
    private readonly base: () => string,
    private readonly adminToken: string,
  ) {
    this.schemas = new DocumentSchemas(doc);
  }

  async call(method: string, target: string, options: CallOptions = {}): Promise<Answer> {
    const url = new URL(target, this.base());
    const found = operationFor(this.doc, method, url.pathname);
    if (!found) throw new Error(`${method} ${url.pathname} is not in docs/openapi.yaml`);
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth ?? 'admin';
    if (url.pathname.startsWith('/admin/') && !url.pathname.startsWith('/admin/ui') && auth !== 'none') {
      headers.Authorization = `Bearer ${auth === 'wrong' ? `${this.adminToken}-not` : this.adminToken}`;
    }
    let payload: string | undefined;
    if (options.body !== undefined) {
      payload = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      headers['Content-Type'] ??= 'application/json';
    }
    const res = await fetch(url, { method, headers, body: payload, redirect: 'manual' });
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    const json = /json/.test(contentType) && text ? (JSON.parse(text) as unknown) : undefined;
    const answer = { status: res.status, headers: res.headers, text, json };
    this.check(found, url.pathname, answer, options.body);
    this.exercised.add(`${found.method.toUpperCase()} ${found.path}`);
    const sent = JSON.stringify(typeof options.body === 'string' ? parseOrUndefined(options.body) : options.body);
    for (const [name, value] of this.examples(found.method, found.path)) {
      if (JSON.stringify(value) === sent) this.examplesSent.add(`${found.method.toUpperCase()} ${found.path} ${name}`);
    }
    return answer;
  }

  private check(found: Operation, path: string, answer: Answer, sent: unknown): void {
    const where = `${found.method.toUpperCase()} ${path} -> ${answer.status}`;
    const status = String(answer.status);
    const responses = found.op.responses as Json;
    if (!responses[status])
      throw new Error(
        `${where}: status not documented (documented: ${Object.keys(responses).join(', ')}); body ${answer.text.slice(0, 300)}`,
      );
    const [response, at] = this.resolve(responses[status], ['paths', found.path, found.method, 'responses', status]);
    for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
      if (header.required && !answer.headers.get(name)) throw new Error(`${where}: required header ${name} missing`);
    }
    const content = response.content as Json | undefined;
    if (content) {
      const actual = answer.headers.get('content-type') ?? '';
      const media = Object.keys(content).find((range) => mediaMatches(range, actual));
      if (!media) throw new Error(`${where}: Content-Type ${actual} not documented (documented: ${Object.keys(content).join(', ')})`);
      if (/json/.test(media)) {
        const problems = this.schemas.problems([...at, 'content', media, 'schema'], answer.json);
        if (problems) throw new Error(`${where}: body does not match the document: ${problems}; body ${answer.text.slice(0, 500)}`);
      }
    }
    const requestSchema = found.op.requestBody?.content?.['application/json'];
    // Signed bodies travel as the exact string that was signed: judged once parsed.
    const value = typeof sent === 'string' ? parseOrUndefined(sent) : sent;
    if (requestSchema && answer.status < 300 && value !== undefined) {
      const problems = this.schemas.problems(
        ['paths', found.path, found.method, 'requestBody', 'content', 'application/json', 'schema'],
        value,
      );
      if (problems) throw new Error(`${where}: the daemon accepted a body the document calls invalid: ${problems}`);
    }
  }

  /** A response object and where its schemas sit, following one `$ref` into components.responses. */
  private resolve(response: Json, at: string[]): [Json, string[]] {
    const ref = response.$ref as string | undefined;
    if (!ref) return [response, at];
    const segments = ref.replace(/^#\//, '').split('/');
    return [segments.reduce<Json>((node, s) => node[s], this.doc), segments];
  }

  /** Every documented request example, as `METHOD template name`. */
  allExamples(): string[] {
    return operations(this.doc).flatMap((o) =>
      this.examples(o.method, o.path).map(([name]) => `${o.method.toUpperCase()} ${o.path} ${name}`),
    );
  }

  /** The documented examples of an operation's JSON request body, by name. */
  examples(method: string, template: string): Array<[string, unknown]> {
    const media = this.doc.paths[template]?.[method.toLowerCase()]?.requestBody?.content?.['application/json'];
    return Object.entries((media?.examples ?? {}) as Record<string, { value: unknown }>).map(([name, e]) => [name, e.value]);
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
