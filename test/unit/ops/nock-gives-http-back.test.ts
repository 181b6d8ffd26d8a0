import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

// nock patches Node's shared `http` module; a test file that loads it and does not restore it turns the real
// servers of the next files in the same Jest worker into nock's socket mock (ECONNRESET/ECANCELED in CI).
const root = join(__dirname, '..', '..');

function testFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

test('every test file that loads nock gives the http module back when it ends', () => {
  const users = testFiles(root).filter((f) => f !== __filename && /^import .* from 'nock';$/m.test(readFileSync(f, 'utf8')));
  expect(users.length).toBeGreaterThan(0);
  const leaking = users.filter((f) => !/nockOffline\(\)|nock\.restore\(\)/.test(readFileSync(f, 'utf8'))).map((f) => relative(root, f));
  expect(leaking).toEqual([]);
});
