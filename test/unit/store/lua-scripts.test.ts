import fs from 'node:fs';
import path from 'node:path';
import { luaScript } from '../../../src/store/lua';

const DIR = path.join(__dirname, '../../../src/store/lua');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.lua'));

/** The comment lines a script opens with. */
function header(source: string): string[] {
  const lines = source.split('\n');
  const end = lines.findIndex((l) => !l.startsWith('--'));
  return lines.slice(0, end === -1 ? lines.length : end);
}

/** Whether the header documents KEYS[i] / ARGV[i]: its own line, or a range `KEYS[a ..` from a on. */
function documented(head: string[], kind: string, i: number): boolean {
  return head.some((l) => {
    if (l.startsWith(`-- ${kind}[${i}]:`)) return true;
    const range = new RegExp(`^-- ${kind}\\[(\\d+)(?:\\+\\S+)? \\.\\.`).exec(l);
    return range !== null && Number(range[1]) <= i;
  });
}

describe('Lua scripts (src/store/lua)', () => {
  test('there are scripts to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  test.each(files)('%s opens with what it does, a line per KEYS and ARGV it reads, and what it returns', (file) => {
    const source = fs.readFileSync(path.join(DIR, file), 'utf8');
    const head = header(source);
    const body = source.split('\n').slice(head.length).join('\n');
    expect(head[0]).toMatch(/^-- \S/);
    expect(head[0]).not.toMatch(/^-- (KEYS|ARGV|returns)/);
    expect(head.some((l) => l.startsWith('-- returns: '))).toBe(true);
    const undocumented: string[] = [];
    for (const kind of ['KEYS', 'ARGV']) {
      for (const m of body.matchAll(new RegExp(`${kind}\\[(\\d+)\\]`, 'g'))) {
        if (!documented(head, kind, Number(m[1]))) undocumented.push(`${kind}[${m[1]}]`);
      }
    }
    expect([...new Set(undocumented)]).toEqual([]);
  });

  test('a script is found by name; a missing one says where it was looked for', () => {
    expect(luaScript('lock')).toContain("redis.call('get', KEYS[1])");
    expect(() => luaScript('no-such-script')).toThrow(/Lua script "no-such-script" not found at .*no-such-script\.lua/);
    expect(() => luaScript('../lock')).toThrow('bad Lua script name "../lock"');
  });

  test('placeholders are filled from constants, and a missing or unused one is an error', () => {
    expect(luaScript('id-map-claim', { KNOWN: '1' })).toContain("v ~= '1'");
    expect(() => luaScript('id-map-claim')).toThrow('Lua script "id-map-claim" needs a value for {{KNOWN}}');
    expect(() => luaScript('lock', { KNOWN: '1' })).toThrow('Lua script "lock" has no placeholder for {{KNOWN}}');
  });
});
