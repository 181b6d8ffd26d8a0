import type { Command } from 'commander';
import { loadConfig } from '../../config/load';
import { UsageError } from '../admin-client';

export function registerStart(program: Command): void {
  program
    .command('start')
    .description('run the daemon: sessions, relays, HTTP API')
    .option('-c, --config <file>', 'configuration file (default config/ponte.yaml or $PONTE_CONFIG)')
    .action(async (opts: { config?: string }) => {
      const config = loadConfig({ path: opts.config });
      // Loaded here so the other commands start without the whole daemon.
      const [{ startDaemon }, { moduleLogger }] = await Promise.all([import('../../main'), import('../../observability/logger')]);
      const daemon = await startDaemon(config).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'EADDRINUSE')
          throw new UsageError(
            `http.port ${config.http.port} on ${config.http.host} is already in use; stop what listens there or set http.port`,
          );
        throw err;
      });
      const log = moduleLogger(daemon.logger, 'cli');
      let signals = 0;
      const onSignal = (signal: NodeJS.Signals) => {
        signals += 1;
        if (signals > 1) {
          log.warn({ signal }, 'second signal: exiting now');
          process.exit(130);
        }
        log.info({ signal }, 'signal received');
        void daemon.stop().then(() => process.exit(0));
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
}
