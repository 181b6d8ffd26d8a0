import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { drained, exitOf, track } from './processes';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'src', 'cli', 'index.js');

/** The e2e tests run the built CLI; `npm test` builds first, a bare `npx jest` may not have. */
export function assertBuilt(): void {
  if (!fs.existsSync(CLI)) {
    throw new Error(`${path.relative(REPO_ROOT, CLI)} does not exist: run "npm run build" first ("npm test" builds before running jest)`);
  }
}

/** The environment of a child: ours without any PONTE_* variable (they would override the test's config), plus `env`. */
export function childEnv(env: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('PONTE_')) out[k] = v;
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  out.NO_COLOR = '1';
  return out;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/src/cli/index.js <args>` to completion (killed after `timeoutMs`). */
export async function runCli(
  args: string[],
  env: Record<string, string | undefined> = {},
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<CliResult> {
  assertBuilt();
  const child = track(
    spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: childEnv(env), stdio: ['ignore', 'pipe', 'pipe'] }),
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20000);
  const { code, signal } = await exitOf(child);
  clearTimeout(timer);
  await drained(child);
  return { code, signal, stdout, stderr };
}
