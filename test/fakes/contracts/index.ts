import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The official OpenAPI files the strict fakes check every request and answer against, kept in the
 * repository (copies of ../shared/contracts) so the tests and the demo run on any machine. Compiled
 * to dist/, this module looks for them back in the source tree.
 */
export function contractPath(file: string): string {
  const beside = path.join(__dirname, file);
  if (existsSync(beside)) return beside;
  return path.resolve(__dirname, '../../../../test/fakes/contracts', file);
}
