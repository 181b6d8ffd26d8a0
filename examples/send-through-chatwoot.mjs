#!/usr/bin/env node
// Sends a WhatsApp message through Ponte by writing it in Chatwoot, so agents see it in the conversation
// and the person's answer lands there. Works for a number that never wrote as well as for one that did.
//
//   CHATWOOT_URL=https://chatwoot.example.com CHATWOOT_ACCOUNT_ID=1 CHATWOOT_INBOX_ID=3 \
//   CHATWOOT_API_TOKEN=<a user's access token> \
//   node examples/send-through-chatwoot.mjs +351912345678 "A sua encomenda foi enviada." ["Maria Silva"]
//
// Prints {"contactId", "conversationId", "messageId", "createdContact", "createdConversation"} as one JSON
// line. Node 20 or later; no packages. docs/sending-through-chatwoot.md explains each step.
import { randomUUID } from 'node:crypto';

const [phone, text, name] = process.argv.slice(2);
// Chatwoot only accepts E.164 numbers, and Ponte finds the person on WhatsApp by this number.
if (!/^\+[1-9]\d{6,14}$/.test(phone ?? '') || !text) fail('usage: send-through-chatwoot.mjs <+E.164 phone> <text> [name]');
const env = (key) => {
  const value = process.env[key];
  if (!value) fail(`${key} is not set`);
  return value;
};
const base = `${env('CHATWOOT_URL').replace(/\/+$/, '')}/api/v1/accounts/${env('CHATWOOT_ACCOUNT_ID')}`;
const token = env('CHATWOOT_API_TOKEN');
const inboxId = Number(env('CHATWOOT_INBOX_ID'));
// Ponte's own contact_inbox source id: the WhatsApp chat id of a person who wrote (digits@c.us).
const WHATSAPP_SOURCE = /^\d+@c\.us$/;

function fail(message) {
  process.stderr.write(`send-through-chatwoot: ${message}\n`);
  process.exit(1);
}

async function api(method, path, body) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { api_access_token: token, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const answer = await res.text();
  if (!res.ok) fail(`${method} ${path} answered ${res.status}: ${answer}`);
  return answer ? JSON.parse(answer) : {};
}

// 1. The contact: an exact match on the phone number (Ponte saves the people who write with +<digits>).
const found = await api('POST', '/contacts/filter', {
  payload: [{ attribute_key: 'phone_number', filter_operator: 'equal_to', values: [phone], query_operator: null }],
});
let contact = found.payload[0];
const createdContact = !contact;
if (!contact) {
  // No source_id: Chatwoot gives the contact_inbox its own, and Ponte then asks WhatsApp which account
  // this number is (the form WhatsApp knows it by), failing the message visibly when there is none.
  const created = await api('POST', '/contacts', { inbox_id: inboxId, name: name ?? phone, phone_number: phone });
  contact = created.payload.contact;
}

// 2. The conversation: the contact's latest one in this inbox, whatever its status. That is where Ponte
// puts the person's next message (with `reopen: reuse`, the default, Ponte reopens a resolved one).
const conversations = (await api('GET', `/contacts/${contact.id}/conversations`)).payload.filter((c) => c.inbox_id === inboxId);
let conversation = conversations[0];
const createdConversation = !conversation;
if (!conversation) {
  // A WhatsApp source id (the person wrote before) sends straight to that chat; otherwise Chatwoot's own.
  const mine = (contact.contact_inboxes ?? []).filter((ci) => ci.inbox?.id === inboxId).map((ci) => ci.source_id);
  const sourceId = mine.find((s) => WHATSAPP_SOURCE.test(s)) ?? mine[0] ?? randomUUID();
  conversation = await api('POST', '/conversations', { source_id: sourceId, inbox_id: inboxId, contact_id: contact.id });
} else if (conversation.status === 'resolved') {
  // Agents see the message and the answer in their open list; with `reopen: new` Ponte would otherwise
  // open a second conversation for the answer.
  await api('POST', `/conversations/${conversation.id}/toggle_status`, { status: 'open' });
}

// 3. The message: outgoing and public, and without a source_id (a message with one is taken for a copy
// of something already on WhatsApp, and not sent). Markdown becomes WhatsApp formatting.
const message = await api('POST', `/conversations/${conversation.id}/messages`, {
  content: text,
  message_type: 'outgoing',
  private: false,
});

process.stdout.write(
  `${JSON.stringify({ contactId: contact.id, conversationId: conversation.id, messageId: message.id, createdContact, createdConversation })}\n`,
);
