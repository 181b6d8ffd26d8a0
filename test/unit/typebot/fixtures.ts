import fs from 'node:fs';
import path from 'node:path';

export const FIXTURE_DIR = path.join(__dirname, 'fixtures');

export function readFixture<T>(file: string): T {
  return JSON.parse(fs.readFileSync(path.join(FIXTURE_DIR, file), 'utf8')) as T;
}

/** A table of named cases, as `test.each` rows. */
export function cases<T extends { name: string }>(file: string): Array<[string, T]> {
  return readFixture<T[]>(file).map((c) => [c.name, c]);
}
