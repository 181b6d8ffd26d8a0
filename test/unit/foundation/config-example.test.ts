/**
 * `ponte config example` is the reference of every key: each key of each section, nested ones and those
 * of a bot included, appears in it (commented when optional) with its description above it.
 */
import type { z } from 'zod';
import { configExample } from '../../../src/config/example';
import { configSchema } from '../../../src/config/schema';
import { arrayElement, objectShape, recordValue } from '../../../src/config/schema-walk';

/** Every key path of the schema: objects, list items (`[]`) and map entries (`{}`). */
function schemaPaths(schema: z.ZodType, prefix = ''): string[] {
  const out: string[] = [];
  for (const [key, child] of Object.entries(objectShape(schema) ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    out.push(path);
    if (objectShape(child)) out.push(...schemaPaths(child, path));
    const item = arrayElement(child);
    if (item && objectShape(item)) out.push(...schemaPaths(item, `${path}[]`));
    const entry = recordValue(child);
    if (entry && objectShape(entry)) out.push(...schemaPaths(entry, `${path}{}`));
  }
  return out;
}

/** The key paths the example shows, read from its indentation (`# key:` lines count: optional keys). */
function examplePaths(text: string): string[] {
  const lines = text.split('\n');
  const stack: Array<{ indent: number; path: string }> = [];
  const out: string[] = [];
  lines.forEach((line, i) => {
    const m = /^(\s*)(# )?(- )?([A-Za-z]\w*):( |$)/.exec(line);
    if (!m) return;
    const indent = m[1].length + (m[3] ? 2 : 0);
    while (stack.length && stack.at(-1)!.indent >= indent) stack.pop();
    let parent = stack.at(-1)?.path ?? '';
    if (m[3]) {
      // A list item: its keys, on this line and below at this indent, sit under `list[]`.
      parent = `${parent}[]`;
      stack.push({ indent: indent - 1, path: parent });
    } else if (parent && !m[2] && /:$/.test(line) && !lines[i - 1].trim().startsWith('#')) {
      // A map's sample entry (a bare `name:` with no description): its keys sit under `map{}`.
      stack.push({ indent, path: `${parent}{}` });
      return;
    }
    const path = parent ? `${parent}.${m[4]}` : m[4];
    out.push(path);
    stack.push({ indent, path });
  });
  return out;
}

test('every key of every section is in the example, the bot keys included', () => {
  const shown = new Set(examplePaths(configExample()));
  const missing = schemaPaths(configSchema).filter((p) => !shown.has(p));
  expect(missing).toEqual([]);
  for (const key of [
    'typebot.bots{}.handoffKeywords',
    'typebot.bots{}.debounceMs',
    'typebot.bots{}.prefilledVariables',
    'browser.wppconnect.deviceSyncTimeoutMs',
  ]) {
    expect(shown).toContain(key);
  }
});

test('each key line has its description right above it', () => {
  const lines = configExample().split('\n');
  lines.forEach((line, i) => {
    // Every key line but a map's sample entry (a bare `name:` right under its map's key).
    const sampleEntry = /^\s+[a-z][\w-]*:$/.test(line) && /^\s*[A-Za-z]\w*:$/.test(lines[i - 1]);
    if (/^\s*(- )?[A-Za-z]\w*:/.test(line) && !sampleEntry) {
      expect({ line, above: lines[i - 1].trim().startsWith('#') }).toEqual({ line, above: true });
    }
  });
});
