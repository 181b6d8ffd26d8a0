import type { Command } from 'commander';
import { adminClient, resolveTarget, UsageError, type TargetOptions, withDaemonOptions } from '../admin-client';

interface Entry {
  id: string;
  queue: string;
  reason: string;
  attempts: number;
  failedAt: number;
  summary: string;
}

export function registerDlq(program: Command): void {
  const dlq = program.command('dlq').description('messages that could not be relayed (dead letters)');
  const target = (cmd: Command) =>
    withDaemonOptions(cmd).option('--queue <name>', 'only this queue (inbound, outbound, bot, registration)');

  target(dlq.command('list').description('list dead letters with the reason each failed')).action(
    async (opts: TargetOptions & { queue?: string }) => {
      const { data } = await adminClient(resolveTarget(opts)).get<{ entries: Entry[] }>('/dlq', {
        params: opts.queue ? { queue: opts.queue } : {},
      });
      if (!data.entries.length) {
        process.stdout.write('no dead letters\n');
        return;
      }
      for (const e of data.entries) {
        process.stdout.write(`${e.id}  ${e.queue.padEnd(9)} ${new Date(e.failedAt).toISOString()}  ${e.summary}\n    ${e.reason}\n`);
      }
      process.stdout.write(`${data.entries.length} dead letter(s); replay with: ponte dlq replay --id <id> | --all\n`);
    },
  );

  target(
    dlq
      .command('replay')
      .description('put dead letters back in line (one with --id, every one with --all)')
      .option('--id <id>', 'the dead letter to replay')
      .option('--all', 'replay every dead letter'),
  ).action(async (opts: TargetOptions & { queue?: string; id?: string; all?: boolean }) => {
    if (!!opts.id === !!opts.all) throw new UsageError('give either --id <id> or --all');
    const { data } = await adminClient(resolveTarget(opts)).post<{ replayed: string[] }>('/dlq/replay', {
      ...(opts.queue ? { queue: opts.queue } : {}),
      ...(opts.id ? { id: opts.id } : { all: true }),
    });
    process.stdout.write(`replayed ${data.replayed.length} dead letter(s)\n`);
  });
}
