import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const created = new Set<string>();
let hooked = false;

/**
 * A fresh directory under the OS temp dir. Call `removeTempDirs()` in afterAll once every process
 * using it is stopped: jest does not run process 'exit' hooks, so the one registered here only helps
 * outside jest.
 */
export function tempDir(prefix = 'ponte-test-'): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  created.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeTempDirs);
  }
  return dir;
}

/** Removes one directory made by tempDir (and forgets it). */
export function removeTempDir(dir: string): void {
  if (!created.delete(dir)) return;
  fs.rmSync(dir, { recursive: true, force: true });
}

export function removeTempDirs(): void {
  for (const dir of created) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // best effort: a child may still be writing into it
    }
    created.delete(dir);
  }
}

/** Writes `content` to `name` inside `dir` and returns the full path. */
export function writeFile(dir: string, name: string, content: string | Buffer): string {
  const file = path.join(dir, name);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return file;
}
