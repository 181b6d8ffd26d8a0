import type { Command } from 'commander';
import type { SessionStatus } from '../../sessions/manager';
import type { DaemonRecord } from '../../store/lease-store';
import { adminClient, resolveTarget, UsageError, type TargetOptions, withDaemonOptions } from '../admin-client';
import { pairSession } from './pair';
import { sessionSettings } from './session-settings';

export function registerSessions(program: Command): void {
  const sessions = program.command('sessions').description('WhatsApp sessions of a running daemon');
  const target = withDaemonOptions;

  target(
    sessions
      .command('list')
      .description('list sessions and their state; with daemons sharing a Redis, which one runs each and the daemons'),
  ).action(async (opts: TargetOptions) => {
    const client = adminClient(resolveTarget(opts));
    const { data } = await client.get<{ sessions: SessionStatus[] }>('/sessions');
    if (!data.sessions.length) {
      process.stdout.write('no sessions configured\n');
      return;
    }
    for (const s of data.sessions) {
      const where = s.ownerId ? `  [on ${s.ownerId}]` : '';
      process.stdout.write(
        `${s.id.padEnd(16)} ${s.engine.padEnd(10)} ${s.state.padEnd(21)} ${s.me ?? ''}${s.reason ? `  (${s.reason})` : ''}${where}\n`,
      );
    }
    const { data: fleet } = await client.get<{ shared: boolean; daemons: DaemonRecord[] }>('/fleet');
    if (!fleet.shared) return;
    process.stdout.write(`\ndaemons (${fleet.daemons.length}):\n`);
    for (const d of fleet.daemons) {
      const room = d.maxSessions !== undefined ? `${d.sessions.length}/${d.maxSessions}` : `${d.sessions.length}`;
      process.stdout.write(`${d.id.padEnd(24)} runs ${room.padEnd(6)} ${d.sessions.join(' ')}${d.url ? `  ${d.url}` : ''}\n`);
    }
  });

  target(
    sessions
      .command('move <id>')
      .description('move a session to another daemon sharing the Redis (it stops where it runs, then starts there with its saved login)')
      .requiredOption('--to <daemon>', 'the daemon to run it (its lease.daemonId, as ponte sessions list shows)'),
  ).action(async (id: string, opts: TargetOptions & { to: string }) => {
    // The move waits for the target to start the session: up to three lease lifetimes.
    const { data } = await adminClient(resolveTarget(opts), 120_000).post<{ from?: string; to: string; tookMs: number }>(
      `/sessions/${encodeURIComponent(id)}/move`,
      { to: opts.to },
    );
    process.stdout.write(
      `session ${id} runs on ${data.to}${data.from && data.from !== data.to ? ` (was on ${data.from})` : ''}, after ${data.tookMs} ms\n`,
    );
  });

  target(sessions.command('logout <id>').description('unpair the phone of a session and delete its data')).action(
    async (id: string, opts: TargetOptions) => {
      const { data } = await adminClient(resolveTarget(opts)).delete<SessionStatus>(`/sessions/${encodeURIComponent(id)}`);
      process.stdout.write(`session ${id} is ${data.state}\n`);
    },
  );

  target(
    sessions
      .command('add <id>')
      .description(
        'add a session to the running daemon (kept in its Redis); settings as key=value, e.g. engine=wppconnect inboxId=3 proxy.url=socks5://10.0.0.2:1080',
      )
      .argument('[settings...]', 'key=value pairs (dotted keys for nested settings; a value @file is read from that file)')
      .option('--create-inbox', 'create its Chatwoot inbox (an API channel whose webhook is http.publicUrl) and use it')
      .option('--inbox-name <name>', 'name of the inbox --create-inbox creates (default "WhatsApp <id>")'),
  ).action(async (id: string, settings: string[], opts: TargetOptions & { createInbox?: boolean; inboxName?: string }) => {
    const session = { id, ...sessionSettings(settings) };
    const { data } = await adminClient(resolveTarget(opts)).post<{ session: SessionStatus; settings: { inboxId?: number } }>('/sessions', {
      session,
      ...(opts.createInbox ? { createInbox: true } : {}),
      ...(opts.inboxName ? { inboxName: opts.inboxName } : {}),
    });
    const inbox = data.settings.inboxId ? `, inbox ${data.settings.inboxId}${opts.createInbox ? ' (created)' : ''}` : '';
    process.stdout.write(`session ${id} added${inbox}: ${data.session.state}\n`);
    // A new number is rarely paired yet: the next step, wherever its login stands.
    if (data.session.state !== 'CONNECTED') process.stdout.write(`to pair its phone: ponte sessions pair ${id}\n`);
  });

  target(
    sessions
      .command('set <id>')
      .description('change a session added at run time (it restarts with its saved login); key=value, or key= to go back to the default')
      .argument('<settings...>', 'key=value pairs (dotted keys for nested settings; a value @file is read from that file)'),
  ).action(async (id: string, settings: string[], opts: TargetOptions) => {
    const { data } = await adminClient(resolveTarget(opts)).patch<{ session: SessionStatus }>(
      `/sessions/${encodeURIComponent(id)}`,
      sessionSettings(settings, { emptyIsNull: true }),
    );
    process.stdout.write(`session ${id} changed: ${data.session.state}\n`);
  });

  target(
    sessions
      .command('remove <id>')
      .description('log the number of a session added at run time out, delete its data and forget the session'),
  ).action(async (id: string, opts: TargetOptions) => {
    const { data } = await adminClient(resolveTarget(opts)).post<{ warning?: string }>(`/sessions/${encodeURIComponent(id)}/remove`, {});
    process.stdout.write(`session ${id} removed: its number is logged out and its data deleted\n`);
    if (data.warning) process.stderr.write(`ponte: warning: ${data.warning}\n`);
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
