import type { ChatwootStore } from './store';
import type { Message } from './types';

/** A message's text on one line, as a person reads it: line breaks shown as ⏎, nothing escaped twice. */
export const shown = (s: string, n = 80): string => {
  const flat = s.replace(/\r?\n/g, ' ⏎ ');
  return `"${flat.length > n ? `${flat.slice(0, n - 1)}…` : flat}"`;
};

function messageLine(m: Message): string {
  const kind = m.private ? 'note' : m.message_type === 'incoming' ? 'in' : m.message_type === 'outgoing' ? 'out' : m.message_type;
  const parts = [`${m.id}`.padStart(6), kind.padEnd(8), m.content === null ? '(no text)' : shown(m.content)];
  if (m.attachments.length > 0) {
    parts.push(`[${m.attachments.map((a) => `${a.filename} ${a.content_type} ${a.file_size} B`).join(', ')}]`);
  }
  if (m.source_id) parts.push(`source_id=${m.source_id}`);
  if (m.message_type !== 'activity') parts.push(`status=${m.status}`);
  const reply = m.content_attributes.in_reply_to;
  if (reply !== undefined && reply !== null) parts.push(`reply_to=${String(reply)}`);
  if (m.content_attributes.deleted === true) parts.push('(deleted)');
  if (typeof m.content_attributes.external_error === 'string') parts.push(`error=${shown(m.content_attributes.external_error, 200)}`);
  return `      ${parts.join(' ')}`;
}

/** "What Chatwoot received", grouped contact > conversation > message, for demos and failing-test output. */
export function summarize(store: ChatwootStore): string {
  const convs = [...store.conversations.values()];
  const lines = [
    `Chatwoot fake, account ${store.accountId}: ${store.contacts.size} contact(s), ${convs.length} conversation(s), ${store.messages.size} message(s)`,
  ];
  for (const c of store.contacts.values()) {
    const inboxes =
      store
        .contactInboxesOf(c.id)
        .map((ci) => `${ci.inbox_id}:${ci.source_id}`)
        .join(', ') || '-';
    lines.push(
      `• Contact ${c.id} ${JSON.stringify(c.name)} ${c.phone_number ?? '(no phone)'} identifier=${c.identifier ?? '-'} email=${c.email ?? '-'} inboxes=${inboxes}`,
    );
    for (const conv of convs.filter((x) => x.contact_id === c.id)) {
      const extra = [conv.labels.length > 0 ? `labels=${conv.labels.join(',')}` : '', conv.deleted ? '(deleted)' : '']
        .filter(Boolean)
        .join(' ');
      lines.push(`  ◦ Conversation #${conv.display_id} inbox=${conv.inbox_id} status=${conv.status} ${extra}`.trimEnd());
      for (const m of store.messagesOf(conv.display_id)) lines.push(messageLine(m));
    }
  }
  return lines.join('\n');
}
