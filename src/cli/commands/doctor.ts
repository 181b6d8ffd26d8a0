import { spawnSync } from 'node:child_process';
import type { Command } from 'commander';
import Redis from 'ioredis';
import { ConfigError } from '../../config/errors';
import { loadConfig } from '../../config/load';
import type { PonteConfig } from '../../config/schema';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Everything that must hold before `ponte start` can work; each check says what to do when it fails. */
export async function runChecks(configPath?: string): Promise<Check[]> {
  const checks: Check[] = [];
  let config: PonteConfig;
  try {
    config = loadConfig({ path: configPath });
    checks.push({ name: 'config', ok: true, detail: `${config.sessions.length} session(s)` });
  } catch (err) {
    const detail = err instanceof ConfigError ? err.problems.join('; ') : (err as Error).message;
    checks.push({ name: 'config', ok: false, detail });
    return checks;
  }
  checks.push(await checkRedis(config));
  for (const s of config.sessions) {
    checks.push({ name: `session ${s.id}`, ok: true, detail: `${s.engine} engine needs nothing external` });
  }
  return checks;
}

async function checkRedis(config: PonteConfig): Promise<Check> {
  if (config.redis.url === 'embedded') {
    const found = spawnSync(config.redis.binary, ['--version'], { encoding: 'utf8' });
    return found.status === 0
      ? { name: 'redis', ok: true, detail: `embedded: ${found.stdout.trim().split(' ').slice(0, 3).join(' ')}` }
      : { name: 'redis', ok: false, detail: `embedded mode needs "${config.redis.binary}": install redis-server (scripts/setup.sh) or set redis.url` };
  }
  const client = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return { name: 'redis', ok: true, detail: `${redactUrl(config.redis.url)} answers PING` };
  } catch (err) {
    return { name: 'redis', ok: false, detail: `${redactUrl(config.redis.url)}: ${(err as Error).message}` };
  } finally {
    client.disconnect();
  }
}

function redactUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the configuration, Redis and each session engine; exits 1 when something is wrong')
    .option('-c, --config <file>', 'configuration file (default config/ponte.yaml or $PONTE_CONFIG)')
    .action(async (opts: { config?: string }) => {
      const checks = await runChecks(opts.config);
      for (const c of checks) process.stdout.write(`${c.ok ? ' ok ' : 'FAIL'}  ${c.name.padEnd(20)} ${c.detail}\n`);
      const failed = checks.filter((c) => !c.ok).length;
      process.stdout.write(failed ? `\n${failed} problem(s) found\n` : '\nall checks passed\n');
      process.exitCode = failed ? 1 : 0;
    });
}
