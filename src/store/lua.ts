import fs from 'node:fs';
import path from 'node:path';

const DIR = path.join(__dirname, 'lua');
const cache = new Map<string, string>();

/**
 * The source of `src/store/lua/<name>.lua` (run it with `evalScript`). Read next to this module: under
 * Jest that is src/store/lua, in a build dist/src/store/lua (`npm run build` copies the .lua files).
 * Read once per process, synchronously: scripts are loaded when their module loads, before any traffic.
 * Each file opens with a header: one line on what it does and why it must be atomic, then a line per
 * `KEYS[i]` and `ARGV[i]`, then `returns:`.
 *
 * `constants` fill the script's `{{NAME}}` placeholders, for a value TypeScript defines too (one source
 * for both); a placeholder without a value, or a value without a placeholder, is an error.
 */
export function luaScript(name: string, constants: Record<string, string> = {}): string {
  let source = cache.get(name);
  if (source === undefined) {
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
      throw new Error(`bad Lua script name "${name}": expected lower-case letters, digits and dashes`);
    const file = path.join(DIR, `${name}.lua`);
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new Error(
        `Lua script "${name}" not found at ${file} (${(err as Error).message}); a build must copy src/**/*.lua into dist (scripts/copy-lua.mjs)`,
        { cause: err },
      );
    }
    cache.set(name, source);
  }
  const unused = new Set(Object.keys(constants));
  const filled = source.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!Object.hasOwn(constants, key)) throw new Error(`Lua script "${name}" needs a value for {{${key}}}`);
    unused.delete(key);
    return constants[key];
  });
  if (unused.size) throw new Error(`Lua script "${name}" has no placeholder for ${[...unused].map((k) => `{{${k}}}`).join(', ')}`);
  return filled;
}
