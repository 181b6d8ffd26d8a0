import type { Command } from 'commander';
import { maskPhone } from '../../chatwoot/converters/mask-phone';
import type { RegistrationRecord, RegistrationStatus } from '../../store/registrations';
import { adminClient, resolveTarget, UsageError, type TargetOptions, withDaemonOptions } from '../admin-client';

const STATUSES: RegistrationStatus[] = ['fixing', 'queued', 'delivered', 'rejected', 'failed'];

/** One row of `GET /admin/registrations` (dates as ISO strings, files counted). */
interface Summary {
  id: string;
  status: RegistrationStatus;
  session: string;
  phone?: string;
  source: 'flow' | 'hook';
  driverId?: string;
  error?: string;
  createdAt: string;
  updatedAt: string;
  files: number;
}

export function registerRegistrations(program: Command): void {
  const registrations = program
    .command('registrations')
    .description('driver registrations collected by the bot flows and the registration hook');
  const target = withDaemonOptions;

  target(
    registrations
      .command('list')
      .description('list registrations, newest first')
      .option('--status <status>', `only this status (${STATUSES.join(', ')})`)
      .option('--limit <n>', 'at most this many (1-500)', '50')
      .option('--json', 'print the JSON the daemon answers'),
  ).action(async (opts: TargetOptions & { status?: string; limit: string; json?: boolean }) => {
    if (opts.status !== undefined && !STATUSES.includes(opts.status as RegistrationStatus)) {
      throw new UsageError(`--status: got "${opts.status}"; expected one of ${STATUSES.join(', ')}`);
    }
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new UsageError(`--limit: got "${opts.limit}"; expected a whole number from 1 to 500`);
    const params = { ...(opts.status ? { status: opts.status } : {}), limit };
    const { data } = await adminClient(resolveTarget(opts)).get<{ registrations: Summary[] }>('/registrations', { params });
    if (opts.json) {
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
      return;
    }
    if (!data.registrations.length) {
      process.stdout.write(opts.status ? `no ${opts.status} registrations\n` : 'no registrations\n');
      return;
    }
    const rows = data.registrations.map((r) => [
      r.id,
      r.status,
      r.phone ? maskPhone(r.phone) || '-' : '-',
      shortIso(r.updatedAt),
      r.driverId ?? r.error ?? '-',
    ]);
    process.stdout.write(table(['ID', 'STATUS', 'PHONE', 'UPDATED', 'DRIVER ID / ERROR'], rows));
    process.stdout.write(`${rows.length} registration(s); details with: ponte registrations show <id>\n`);
  });

  target(
    registrations
      .command('show <id>')
      .description('one registration: its answers, files (names and sizes, never the content), problems and delivery')
      .option('--json', 'print the record as JSON (file content and base64-looking answers left out)'),
  ).action(async (id: string, opts: TargetOptions & { json?: boolean }) => {
    const { data } = await adminClient(resolveTarget(opts)).get<RegistrationRecord>(`/registrations/${encodeURIComponent(id)}`);
    const rec = redact(data);
    process.stdout.write(opts.json ? `${JSON.stringify(rec, null, 2)}\n` : describe(rec));
  });

  target(registrations.command('retry <id>').description('send a failed or rejected registration to the backend again')).action(
    async (id: string, opts: TargetOptions) => {
      const { data } = await adminClient(resolveTarget(opts)).post<{ id: string; status: string }>(
        `/registrations/${encodeURIComponent(id)}/retry`,
      );
      process.stdout.write(`registration ${data.id} is ${data.status}; follow it with: ponte registrations show ${data.id}\n`);
    },
  );
}

/** Columns padded to their widest cell; the last one is left as is. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ')}\n`;
  return [header, ...rows].map(line).join('');
}

function shortIso(at: string | number): string {
  const d = new Date(at);
  return Number.isNaN(d.getTime()) ? String(at) : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '?';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A data URL, or a long run of base64: file content that has no place on a terminal. */
function looksLikeBase64(value: string): boolean {
  return /^data:[^,]*;base64,/i.test(value) || (value.length >= 200 && /^[A-Za-z0-9+/=\r\n]+$/.test(value));
}

/** The record with file content (whatever key it came under) and base64-looking answers replaced by a note. */
function redact(rec: RegistrationRecord): RegistrationRecord {
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(rec.fields ?? {}))
    fields[k] = typeof v === 'string' && looksLikeBase64(v) ? `<file content left out, ${v.length} characters>` : v;
  const files = (rec.files ?? []).map(({ field, mediaId, filename, mimetype, size }) => ({ field, mediaId, filename, mimetype, size }));
  return { ...rec, fields, files };
}

function describe(rec: RegistrationRecord): string {
  const out: string[] = [`registration ${rec.id}`];
  const kv = (pairs: Array<[string, string | number | undefined]>) => {
    const shown = pairs.filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '');
    const width = Math.max(...shown.map(([k]) => k.length));
    for (const [k, v] of shown) out.push(`  ${k.padEnd(width)}  ${String(v).replace(/\n/g, `\n  ${' '.repeat(width)}  `)}`);
  };
  const chat = rec.target ? `${rec.target.chatKey} (inbox ${rec.target.inboxId})` : undefined;
  kv([
    ['status', rec.status],
    ['source', rec.source],
    ['session', rec.session],
    ['phone', rec.phone],
    ['chat', chat],
    ['conversation', rec.conversationId],
    ['typebot result', rec.resultId],
    ['driver id', rec.driverId],
    ['error', rec.error],
    ['created', shortIso(rec.createdAt)],
    ['updated', shortIso(rec.updatedAt)],
    ['submitted', rec.submittedAt],
    ['delivered', rec.deliveredAt !== undefined ? shortIso(rec.deliveredAt) : undefined],
    ['delivery', rec.round !== undefined && rec.round > 1 ? `${rec.round} (corrected: ${(rec.changes ?? []).join(', ')})` : undefined],
    ['decision', rec.decisions?.length ? rec.decisions[rec.decisions.length - 1].decision : undefined],
  ]);
  const fields = Object.entries(rec.fields);
  out.push(fields.length ? 'fields' : 'fields: none');
  if (fields.length) kv(fields);
  out.push(rec.files.length ? 'files' : 'files: none');
  if (rec.files.length) {
    out.push(
      table(
        ['FIELD', 'NAME', 'TYPE', 'SIZE', 'MEDIA'],
        rec.files.map((f) => [f.field, f.filename, f.mimetype, formatBytes(f.size), f.mediaId]),
      )
        .replace(/^/gm, '  ')
        .trimEnd(),
    );
  }
  if (rec.problems?.length) {
    out.push('problems');
    for (const p of rec.problems) out.push(`  ${p.field} (${p.code}): ${p.message.en}`);
  }
  if (rec.fixing?.length) out.push(`waiting for the driver to send again: ${rec.fixing.join(', ')}`);
  if (rec.decisions?.length) {
    out.push("backend's decisions");
    for (const d of rec.decisions) {
      const what = d.decision === 'needs_changes' ? `needs_changes (${(d.fields ?? []).join(', ')})` : d.decision;
      const state = d.passedOnAt ? `passed on ${shortIso(d.passedOnAt)}` : d.told ? 'driver told, agents not yet' : 'not yet passed on';
      out.push(`  delivery ${d.round}: ${what}, received ${shortIso(d.receivedAt)}, ${state}`);
      if (d.message) out.push(`    message: ${d.message.replace(/\n/g, '\n             ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}
