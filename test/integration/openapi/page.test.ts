import { renderApiPage } from '../../../src/http/openapi/page';
import { loadDocument, operations } from './openapi-doc';

describe('the API page (/admin/ui/api)', () => {
  test('lists every operation with its summary, and every request example', () => {
    const doc = loadDocument();
    const page = renderApiPage(doc);
    for (const { method, path, op } of operations(doc)) {
      expect(page).toContain(`<code>${method.toUpperCase()} ${path}</code>`);
      expect(page).toContain(`id="op-${op.operationId}"`);
    }
    expect(page).toContain('Example <code>needsChanges</code>');
    expect(page).toContain('<a href="#schema-SessionStatus">');
    expect(page).toContain('id="schema-SessionStatus"');
  });

  test('escapes whatever the document holds: no markup of its own gets through', () => {
    const doc = loadDocument();
    doc.info.description = '<script>alert(1)</script>';
    doc.paths['/healthz'].get.summary = '<img src=x onerror=alert(1)>';
    doc.paths['/admin/dlq/replay'].post.requestBody.content['application/json'].examples.all.value = { id: '"></pre><script>x</script>' };
    const page = renderApiPage(doc);
    expect(page).not.toMatch(/<script|<img/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
