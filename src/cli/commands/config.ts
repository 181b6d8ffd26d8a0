import type { Command } from 'commander';
import { configExample } from '../../config/example';
import { loadConfig } from '../../config/load';

export function registerConfig(program: Command): void {
  const config = program.command('config').description('check or generate the configuration');
  config
    .command('validate')
    .description('validate a configuration file (with env overrides applied) and list every problem')
    .option('-c, --config <file>', 'configuration file (default config/ponte.yaml or $PONTE_CONFIG)')
    .action((opts: { config?: string }) => {
      const cfg = loadConfig({ path: opts.config });
      process.stdout.write(
        `configuration OK: ${cfg.sessions.length} session(s), HTTP on ${cfg.http.host}:${cfg.http.port}, redis ${cfg.redis.url === 'embedded' ? 'embedded' : 'external'}\n`,
      );
    });
  config
    .command('example')
    .description('print a fully commented example configuration')
    .action(() => {
      process.stdout.write(configExample());
    });
}
