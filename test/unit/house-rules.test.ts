import fs from 'node:fs';
import path from 'node:path';

const SRC = path.join(__dirname, '../../src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : e.name.endsWith('.ts') ? [p] : [];
  });
}

/** The src/ folders a file imports (relative imports only), e.g. 'engines', 'core'. */
function importedAreas(file: string, text = fs.readFileSync(file, 'utf8')): string[] {
  const areas = new Set<string>();
  for (const m of text.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = path.relative(SRC, path.resolve(path.dirname(file), m[1]));
    if (!target.startsWith('..')) areas.add(target.split(path.sep)[0]);
  }
  return [...areas];
}

// ARCHITECTURE.md: engines never see Chatwoot or Typebot, and the reverse; only core/ and the wiring see both sides.
const FORBIDDEN: Record<string, string[]> = {
  engines: ['chatwoot', 'typebot', 'registration'],
  chatwoot: ['engines', 'typebot', 'registration'],
  typebot: ['engines', 'chatwoot', 'registration'],
  registration: ['engines', 'chatwoot', 'typebot'],
};

describe('ports and adapters', () => {
  for (const [area, forbidden] of Object.entries(FORBIDDEN)) {
    test(`src/${area} imports none of ${forbidden.join(', ')}`, () => {
      const files = sources(path.join(SRC, area));
      expect(files.length).toBeGreaterThan(3);
      const offenders = files.flatMap((f) =>
        importedAreas(f)
          .filter((a) => forbidden.includes(a))
          .map((a) => `${path.relative(SRC, f)} -> ${a}`),
      );
      expect(offenders).toEqual([]);
    });
  }

  test('the check sees a forbidden import when there is one', () => {
    const probe = path.join(SRC, 'typebot', 'render', 'probe.ts');
    expect(
      importedAreas(probe, "import type { ChatwootClient } from '../../chatwoot/client';\nimport { say } from '../../core/catalog';\n"),
    ).toEqual(['chatwoot', 'core']);
  });
});
