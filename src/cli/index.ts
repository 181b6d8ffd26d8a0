#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/errors';
import { VERSION } from '../version';
import { AdminError, UsageError } from './admin-client';
import { registerConfig } from './commands/config';
import { registerDoctor } from './commands/doctor';
import { registerBots } from './commands/bots';
import { registerDlq } from './commands/dlq';
import { registerMessages } from './commands/messages';
import { PairingFailed } from './commands/pair';
import { registerRegistrations } from './commands/registrations';
import { registerSessions } from './commands/sessions';
import { registerStart } from './commands/start';

const program = new Command('ponte').version(VERSION).description('Ponte: the WhatsApp <-> Chatwoot bridge').showHelpAfterError();
registerStart(program);
registerConfig(program);
registerSessions(program);
registerDoctor(program);
registerDlq(program);
registerMessages(program);
registerRegistrations(program);
registerBots(program);
program.exitOverride();

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) process.exit(err.exitCode);
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof AdminError || err instanceof PairingFailed || err instanceof UsageError) {
    process.stderr.write(`ponte: ${err.message}\n`);
    process.exit(1);
  }
  process.stderr.write(`ponte: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
