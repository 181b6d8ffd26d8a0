import type { Command } from 'commander';
import type { SessionStatus } from '../../core/session-manager';
import { adminClient, resolveTarget, UsageError, type TargetOptions, withDaemonOptions } from '../admin-client';
import { pairSession } from './pair';

export function registerSessions(program: Command): void {
  const sessions = program.command('sessions').description('WhatsApp sessions of a running daemon');
  const target = withDaemonOptions;

  target(sessions.command('list').description('list sessions and their state')).action(async (opts: TargetOptions) => {
    const { data } = await adminClient(resolveTarget(opts)).get<{ sessions: SessionStatus[] }>('/sessions');
    if (!data.sessions.length) {
      process.stdout.write('no sessions configured\n');
      return;
    }
    for (const s of data.sessions) {
      process.stdout.write(`${s.id.padEnd(16)} ${s.engine.padEnd(10)} ${s.state.padEnd(21)} ${s.me ?? ''}${s.reason ? `  (${s.reason})` : ''}\n`);
    }
  });

  target(sessions.command('logout <id>').description('unpair the phone of a session and delete its data')).action(async (id: string, opts: TargetOptions) => {
    const { data } = await adminClient(resolveTarget(opts)).delete<SessionStatus>(`/sessions/${encodeURIComponent(id)}`);
    process.stdout.write(`session ${id} is ${data.state}\n`);
  });

  target(
    sessions
      .command('pair <id>')
      .description('pair a phone: shows the QR code (or a pairing code with --phone) until the session is connected')
      .option('--phone <number>', 'pair by phone number (8-character code) instead of a QR code')
      .option('--timeout <seconds>', 'give up after this long', '300'),
  ).action(async (id: string, opts: TargetOptions & { phone?: string; timeout: string }) => {
    const timeoutS = Number(opts.timeout);
    if (!Number.isFinite(timeoutS) || timeoutS <= 0) throw new UsageError(`--timeout: got "${opts.timeout}"; expected a number of seconds`);
    await pairSession(adminClient(resolveTarget(opts)), id, { phone: opts.phone, timeoutMs: timeoutS * 1000 });
  });
}
