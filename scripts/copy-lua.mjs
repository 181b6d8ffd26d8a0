// Copies every src/**/*.lua next to its compiled module in dist/src (tsc copies only what it compiles):
// the store loads its Lua scripts from files beside itself (src/store/lua.ts).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const from = path.join(root, 'src');
const to = path.join(root, 'dist', 'src');

let copied = 0;
function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith('.lua')) {
      const target = path.join(to, path.relative(from, full));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(full, target);
      copied++;
    }
  }
}
walk(from);
console.log(`copy-lua: ${copied} Lua script(s) copied into dist/src`);
