import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { startDaemon } from '../../main';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the daemon: sessions, relays, HTTP API')
    .option('-c, --config <file>', 'configuration file (default config/ponte.yaml or $PONTE_CONFIG)')
    .action(async (opts: { config?: string }) => {
      const config = loadConfig({ path: opts.config });
      const daemon = await startDaemon(config);
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          daemon.logger.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        daemon.logger.info({ signal }, 'signal received');
        void daemon.stop().then(() => process.exit(0));
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
}
