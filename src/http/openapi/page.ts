interface Media {
  schema?: unknown;
  examples?: Record<string, { summary?: string; value: unknown }>;
}
interface Answer {
  $ref?: string;
  description?: string;
  content?: Record<string, Media>;
}
interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  security?: Array<Record<string, unknown>>;
  parameters?: Array<{ name: string; in: string; required?: boolean; description?: string }>;
  requestBody?: { required?: boolean; content: Record<string, Media> };
  responses: Record<string, Answer>;
}
/** The parts of the document the page shows. */
interface ApiDocument {
  openapi: string;
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation | undefined>>;
  components?: { schemas?: Record<string, unknown>; responses?: Record<string, Answer> };
}

const escape = (text: unknown): string =>
  String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const pretty = (value: unknown): string => `<pre>${escape(JSON.stringify(value, null, 2))}</pre>`;

/** `#/components/schemas/Name` as a link to the schema on this page. */
const refLinks = (html: string): string =>
  html.replace(
    /&quot;#\/components\/schemas\/([A-Za-z0-9_]+)&quot;/g,
    (_m, name: string) => `&quot;<a href="#schema-${name}">#/components/schemas/${name}</a>&quot;`,
  );

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/**
 * The document as one page without script: each operation with its parameters, body, examples and
 * answers, then the shared schemas. Everything from the document is escaped.
 */
export function renderApiPage(document: object): string {
  const doc = document as ApiDocument;
  const parts: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const auth = op.security ? op.security.map((s) => Object.keys(s).join(' + ')).join(' or ') : 'none';
      parts.push(
        `<section id="op-${escape(op.operationId)}"><h3><code>${escape(method.toUpperCase())} ${escape(path)}</code> — ${escape(op.summary)}</h3>`,
      );
      parts.push(`<p class="auth">Authentication: ${escape(auth)}</p>`);
      if (op.description) parts.push(`<p class="desc">${escape(op.description)}</p>`);
      if (op.parameters?.length) {
        parts.push('<h4>Parameters</h4><ul>');
        for (const p of op.parameters) {
          parts.push(
            `<li><code>${escape(p.name)}</code> (${escape(p.in)}${p.required ? ', required' : ''})${p.description ? ` — ${escape(p.description)}` : ''}</li>`,
          );
        }
        parts.push('</ul>');
      }
      const body = op.requestBody?.content?.['application/json'];
      if (body) {
        parts.push(`<h4>Body${op.requestBody?.required ? '' : ' (optional)'}</h4>${refLinks(pretty(body.schema))}`);
        for (const [name, ex] of Object.entries(body.examples ?? {})) {
          parts.push(`<h5>Example <code>${escape(name)}</code>: ${escape(ex.summary ?? '')}</h5>${pretty(ex.value)}`);
        }
      }
      parts.push('<h4>Answers</h4><dl>');
      for (const [status, answer] of Object.entries(op.responses)) {
        const resolved = (answer.$ref ? doc.components?.responses?.[answer.$ref.split('/').pop()!] : answer) ?? answer;
        parts.push(`<dt>${escape(status)}</dt><dd>${escape(resolved.description ?? '')}`);
        for (const [type, media] of Object.entries(resolved.content ?? {})) {
          parts.push(`<div><code>${escape(type)}</code>${refLinks(pretty(media.schema))}</div>`);
        }
        parts.push('</dd>');
      }
      parts.push('</dl></section>');
    }
  }
  const schemas = Object.entries(doc.components?.schemas ?? {}).map(
    ([name, schema]) => `<section id="schema-${escape(name)}"><h3>${escape(name)}</h3>${refLinks(pretty(schema))}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(doc.info.title)} HTTP API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem}pre{background:#f4f4f4;padding:.5rem;overflow:auto;font-size:13px}section{border-top:1px solid #ddd;padding:.5rem 0}.desc{white-space:pre-wrap}.auth{color:#555}dt{font-weight:bold}</style>
</head><body>
<h1>${escape(doc.info.title)} ${escape(doc.info.version)} — HTTP API</h1>
<p>The same document as JSON: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escape(doc.openapi)}).</p>
<p class="desc">${escape(doc.info.description ?? '')}</p>
<h2>Operations</h2>
${parts.join('\n')}
<h2>Schemas</h2>
${schemas.join('\n')}
</body></html>
`;
}
