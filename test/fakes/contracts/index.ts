import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The official Chatwoot and Typebot definitions the strict fakes check every request and answer against.
 * They are not Ponte's and are not in its repository: they are read from `../shared/contracts` beside the
 * clone (CI and every developer have it) or from the folder named by CONTRACTS_DIR.
 */
export const CONTRACTS_ENV = 'CONTRACTS_DIR';

/** Set by the demo: its stand-ins run without the definitions (checking nothing) instead of refusing to start. */
export const UNCHECKED_ENV = 'STANDINS_UNCHECKED';

export function contractsDir(): string {
  const fromEnv = process.env[CONTRACTS_ENV];
  if (fromEnv) return path.resolve(fromEnv);
  return path.resolve(repositoryRoot(), '..', 'shared', 'contracts');
}

/** Where the file should be (it may be absent: see readContract). */
export function contractPath(file: string): string {
  return path.join(contractsDir(), file);
}

export function haveContract(file: string): boolean {
  return existsSync(contractPath(file));
}

export class ContractMissingError extends Error {
  constructor(where: string) {
    super(`official contract ${where} not found: put the shared contracts beside the clone (../shared/contracts) or set ${CONTRACTS_ENV}`);
    this.name = 'ContractMissingError';
  }
}

/**
 * The parsed definition at `where`. When it is absent: undefined for the demo's stand-ins, a one-line
 * ContractMissingError everywhere else (a fake that checks nothing must not pass a test as strict).
 */
export function readContract(where: string): Record<string, unknown> | undefined {
  if (!existsSync(where)) {
    if (process.env[UNCHECKED_ENV] === '1') return undefined;
    throw new ContractMissingError(where);
  }
  return JSON.parse(readFileSync(where, 'utf8')) as Record<string, unknown>;
}

/** The clone's root, from the source tree (test/fakes/contracts) or from the build (dist/test/fakes/contracts). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'dist') {
    const up = path.dirname(dir);
    if (up === dir) return path.resolve(__dirname, '../../..');
    dir = up;
  }
  return dir;
}
