import type { Command } from 'commander';
import { adminClient, resolveTarget, UsageError, type TargetOptions, withDaemonOptions } from '../admin-client';

/** A journey's step as GET /admin/messages/{id} gives it (http/admin-message-routes.ts). */
interface Step {
  at: string;
  journey: string;
  step: string;
  [field: string]: string | number | boolean | undefined;
}

interface Journey {
  id: string;
  direction: string;
  session?: string;
  chat?: string;
  status: string;
  ids: { whatsapp: string[]; chatwoot: string[] };
  steps: Step[];
}

interface Summary {
  id: string;
  direction: string;
  session?: string;
  kind?: string;
  firstAt: string;
  lastAt: string;
  status: string;
  reason?: string;
}

export function registerMessages(program: Command): void {
  const messages = program
    .command('messages')
    .description('where a message is: its journey through Ponte, both directions (no message text)');

  withDaemonOptions(
    messages
      .command('show')
      .description("a message's journey: received, persisted, each attempt and why it failed, posted or sent, ticks, dead letter, replay")
      .argument('<id>', 'its WhatsApp id or its Chatwoot message id')
      .option('--json', 'print the journey as JSON'),
  ).action(async (id: string, opts: TargetOptions & { json?: boolean }) => {
    const { data } = await adminClient(resolveTarget(opts)).get<Journey>(`/messages/${encodeURIComponent(id)}`);
    if (opts.json) return void process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    process.stdout.write(journeyText(data));
  });

  withDaemonOptions(
    messages
      .command('find')
      .description("a chat's recent messages and where each is")
      .requiredOption('--chat <phone>', 'the phone number with its country code (or a WhatsApp chat id)')
      .option('--since <when>', 'how far back: 30m, 1h, 2d, or an ISO time', '1h')
      .option('--limit <n>', 'at most this many, the most recent first', '100')
      .option('--json', 'print the list as JSON'),
  ).action(async (opts: TargetOptions & { chat: string; since: string; limit: string; json?: boolean }) => {
    if (!/\d/.test(opts.chat)) throw new UsageError('--chat takes a phone number with its country code, e.g. --chat +351912345678');
    const { data } = await adminClient(resolveTarget(opts)).get<{ since: string; journeys: Summary[] }>('/messages', {
      params: { chat: opts.chat, since: opts.since, limit: opts.limit },
    });
    if (opts.json) return void process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
    if (!data.journeys.length) {
      process.stdout.write(`no message in that chat since ${data.since}\n`);
      return;
    }
    for (const j of data.journeys) {
      const arrow = j.direction === 'from-whatsapp' ? 'WhatsApp -> Chatwoot' : 'Chatwoot -> WhatsApp';
      process.stdout.write(`${j.firstAt}  ${arrow}  ${j.kind ?? ''}  ${j.status}  ${j.id}\n`);
      if (j.reason) process.stdout.write(`    ${j.reason}\n`);
    }
    process.stdout.write(`${data.journeys.length} message(s); the whole journey of one: ponte messages show <id>\n`);
  });
}

/** The journey as an operator reads it: one line per step. */
export function journeyText(j: Journey): string {
  const arrow = j.direction === 'from-whatsapp' ? 'WhatsApp -> Chatwoot' : 'Chatwoot -> WhatsApp';
  const lines = [
    `message ${j.id}  ${arrow}${j.session ? `  session ${j.session}` : ''}${j.chat ? `  chat ${j.chat}` : ''}`,
    `now: ${j.status}`,
    `ids: WhatsApp ${j.ids.whatsapp.join(', ') || '-'}; Chatwoot ${j.ids.chatwoot.join(', ') || '-'}`,
    ...j.steps.map((s) => `  ${s.at}  ${stepText(s)}`),
  ];
  return `${lines.join('\n')}\n`;
}

function stepText(s: Step): string {
  switch (s.step) {
    case 'received':
      return `received by ${String(s.via)}${s.kind ? ` (${String(s.kind)})` : ''}, persisted in lane ${String(s.lane)}`;
    case 'duplicate':
      return `came again by ${String(s.via)}: already taken in, not queued twice`;
    case 'attempt-failed':
      return `attempt ${String(s.attempt)} failed: ${String(s.reason)} (next try in ${Math.round(Number(s.retryInMs) / 100) / 10} s)`;
    case 'posted':
      return `${s.found ? 'found in Chatwoot (an earlier attempt had posted it)' : 'posted to Chatwoot'}: message ${String(s.chatwoot)} in conversation ${String(s.conversation)}`;
    case 'sent':
      return `${s.adopted ? 'found in the WhatsApp chat (an earlier attempt had sent it)' : 'sent to WhatsApp'}: part ${Number(s.part) + 1}, id ${String(s.whatsapp)}`;
    case 'already-done':
      return 'already relayed by an earlier attempt: nothing done again';
    case 'skipped':
      return `not relayed: ${String(s.reason)}`;
    case 'tick':
      return `WhatsApp tick: ${String(s.status)}`;
    case 'dead-letter':
      return `dead letter after ${String(s.attempts)} attempt(s): ${String(s.reason)}; replay: ponte dlq replay --queue ${String(s.queue)} --id ${String(s.deadLetterId)}`;
    case 'replayed':
      return `replayed from the dead letters (${String(s.queue)} ${String(s.deadLetterId)})`;
    case 'deleted':
      return `deleted by an agent: ${s.outcome === 'everyone' ? 'for everyone' : s.outcome === 'me-only' ? 'on the phone only (too late for everyone)' : 'this engine cannot delete'}`;
    default:
      return s.step;
  }
}
