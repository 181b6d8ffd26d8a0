import type { Command } from 'commander';
import { adminClient, resolveTarget, UsageError, type TargetOptions, withDaemonOptions } from '../admin-client';
import { table } from './registrations';
import { phoneId } from '../../core/whatsapp-ids';

interface BotChat {
  session: string;
  chatKey: string;
  mode: 'bot' | 'human';
}

/**
 * The chat key the daemon knows a chat by: given as is (`351912345678@c.us`, `<id>@g.us`, `<n>@lid`),
 * or as a phone number for convenience (`+351 912 345 678` -> `351912345678@c.us`).
 */
export function chatKeyOf(chat: string): string {
  const given = chat.trim();
  if (given.includes('@')) {
    const [user, server] = given.split('@');
    if (server === 's.whatsapp.net') return phoneId(user.split(':')[0]);
    if (user && server) return given;
  } else if (/^\+?[\d\s().-]+$/.test(given)) {
    const digits = given.replace(/\D/g, '');
    if (digits.length >= 6) return phoneId(digits);
  }
  throw new UsageError(
    `chat: got "${chat}"; expected a phone number (+351912345678) or a chat key (351912345678@c.us, <id>@g.us, <n>@lid; see ponte bots list)`,
  );
}

/** `--var name=value`, repeatable: the flow's variables at its start. */
function variable(given: string, into: Record<string, string> = {}): Record<string, string> {
  const at = given.indexOf('=');
  if (at < 1) throw new UsageError(`--var: got "${given}"; expected name=value (a Typebot variable of the flow, e.g. --var invite=ABC123)`);
  return { ...into, [given.slice(0, at)]: given.slice(at + 1) };
}

interface FlowStarted {
  session: string;
  bot: string;
  phone: string;
  chatKey: string;
  conversationId: number;
}

export function registerBots(program: Command): void {
  const bots = program.command('bots').description('chats with a running bot flow or in human hands');
  const target = withDaemonOptions;

  target(
    bots
      .command('list')
      .description('list chats and who answers them: the bot, or a human agent')
      .option('--session <id>', 'only this session')
      .option('--json', 'print the JSON the daemon answers'),
  ).action(async (opts: TargetOptions & { session?: string; json?: boolean }) => {
    const { data } = await adminClient(resolveTarget(opts)).get<{ chats: BotChat[] }>('/bots', {
      params: opts.session ? { session: opts.session } : {},
    });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    if (!data.chats.length) {
      process.stdout.write(`no chats with a bot flow or in human hands${opts.session ? ` in session ${opts.session}` : ''}\n`);
      return;
    }
    process.stdout.write(
      table(
        ['SESSION', 'CHAT', 'MODE'],
        data.chats.map((c) => [c.session, c.chatKey, c.mode]),
      ),
    );
    const human = data.chats.filter((c) => c.mode === 'human').length;
    process.stdout.write(
      `${data.chats.length} chat(s), ${human} in human hands; give one back to its bot with: ponte bots resume <session> <chat>\n`,
    );
  });

  target(
    bots
      .command('resume <session> <chat>')
      .description('give a chat in human hands back to its bot (the flow goes on where it was); chat: key or phone number'),
  ).action(async (session: string, chat: string, opts: TargetOptions) => {
    const chatKey = chatKeyOf(chat);
    await adminClient(resolveTarget(opts)).post<{ resumed: boolean }>(
      `/bots/${encodeURIComponent(session)}/${encodeURIComponent(chatKey)}/resume`,
    );
    process.stdout.write(`chat ${chatKey} of session ${session} is back with its bot\n`);
  });

  target(
    bots
      .command('restart <session> <chat>')
      .description("start a chat's flow afresh (any running one is dropped); chat: key or phone number"),
  ).action(async (session: string, chat: string, opts: TargetOptions) => {
    const chatKey = chatKeyOf(chat);
    await adminClient(resolveTarget(opts)).post<{ restarting: boolean }>(
      `/bots/${encodeURIComponent(session)}/${encodeURIComponent(chatKey)}/restart`,
    );
    process.stdout.write(`chat ${chatKey} of session ${session}: a fresh flow is starting\n`);
  });

  target(
    bots
      .command('start <session> <phone>')
      .description(
        "start a bot's flow for a person who has not written: the number is looked up on WhatsApp and the Chatwoot conversation created",
      )
      .option('--bot <name>', "a bot of typebot.bots (default: the session's own)")
      .option('--var <name=value>', "a Typebot variable for the flow's start (repeatable)", variable),
  ).action(async (session: string, phone: string, opts: TargetOptions & { bot?: string; var?: Record<string, string> }) => {
    const { data } = await adminClient(resolveTarget(opts)).post<FlowStarted>(`/sessions/${encodeURIComponent(session)}/flows`, {
      phone,
      ...(opts.bot ? { bot: opts.bot } : {}),
      ...(opts.var ? { variables: opts.var } : {}),
    });
    process.stdout.write(
      `bot ${data.bot} is starting its flow for ${data.phone} in session ${data.session} (chat ${data.chatKey}, conversation ${data.conversationId})\n`,
    );
  });
}
