import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FILE = '.ponte-storage-id';

/**
 * The id of the storage holding the sessions' logins (`<sessionsDir>/.ponte-storage-id`, made by the
 * first daemon that looks). Daemons on one shared volume read the same id, daemons with a disk each get
 * their own: a session paired on one storage only runs where that storage is seen.
 */
export function storageIdentity(sessionsDir: string): string {
  const file = path.join(sessionsDir, FILE);
  const existing = readId(file);
  if (existing) return existing;
  fs.mkdirSync(sessionsDir, { recursive: true });
  // Written aside and linked in: of two daemons starting on one volume at once, one link wins and both read it.
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  fs.writeFileSync(draft, `${randomUUID()}\n`);
  try {
    fs.linkSync(draft, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new Error(`cannot record the storage id in ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    fs.rmSync(draft, { force: true });
  }
  const id = readId(file);
  if (!id) throw new Error(`${file} holds no storage id: delete it and start again`);
  return id;
}

function readId(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
