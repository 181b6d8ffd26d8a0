import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';
import { sleep, waitFor } from '../../helpers/wait';

const run = promisify(execFile);
const SCRIPT = path.resolve(__dirname, '../../../examples/send-through-chatwoot.mjs');

interface ScriptResult {
  contactId: number;
  conversationId: number;
  messageId: number;
  createdContact: boolean;
  createdConversation: boolean;
}

/** Runs the example exactly as an integrator would, pointed at the strict Chatwoot stand-in. */
async function sendThroughChatwoot(h: Harness, phone: string, text: string, name?: string): Promise<ScriptResult> {
  const env = {
    PATH: process.env.PATH ?? '',
    CHATWOOT_URL: h.chatwoot.baseUrl,
    CHATWOOT_ACCOUNT_ID: String(h.chatwoot.accountId),
    CHATWOOT_INBOX_ID: '1',
    CHATWOOT_API_TOKEN: h.chatwoot.apiToken,
  };
  const { stdout } = await run(process.execPath, [SCRIPT, phone, text, ...(name ? [name] : [])], { env, timeout: 20_000 });
  return JSON.parse(stdout) as ScriptResult;
}

const sentTexts = (h: Harness, text: string) =>
  h
    .sim()
    .sent()
    .filter((s) => s.message.text === text);

/** The message went out, its ticks came back, and a catch-up pass had time to run: still one send. */
async function sentOnce(h: Harness, messageId: number, text: string) {
  await waitFor(
    () => h.chatwoot.messages().find((m) => m.id === messageId && (m.status === 'delivered' || m.status === 'read')),
    10_000,
    25,
    `message ${messageId} delivered`,
  );
  await sleep(1500);
  const sent = sentTexts(h, text);
  expect(sent).toHaveLength(1);
  return sent[0];
}

describe('examples/send-through-chatwoot.mjs: another system sends a WhatsApp message by writing it in Chatwoot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startRelayHarness();
  });
  afterEach(() => {
    expect(h.chatwoot.rejections()).toEqual([]);
  });
  afterAll(async () => {
    await h?.stop();
  });

  test('to a number that never wrote: contact and conversation are created, WhatsApp gets the message once, agents see it, and the answer lands in that conversation', async () => {
    const out = await sendThroughChatwoot(h, '+351912000001', 'A sua encomenda foi enviada.', 'Rita Lopes');
    expect(out).toMatchObject({ createdContact: true, createdConversation: true });

    const sent = await sentOnce(h, out.messageId, 'A sua encomenda foi enviada.');
    expect(sent.message.chatId).toBe('351912000001@c.us');
    // What agents see: an outgoing, public message in the conversation, from the token's user.
    const shown = h.chatwoot.messages(out.conversationId).find((m) => m.id === out.messageId)!;
    expect(shown).toMatchObject({ message_type: 'outgoing', private: false, sender_type: 'User', content: 'A sua encomenda foi enviada.' });
    expect(h.chatwoot.contacts().find((c) => c.id === out.contactId)).toMatchObject({ name: 'Rita Lopes', phone_number: '+351912000001' });

    const answer = await h.waitMessage(h.inject({ from: '+351912000001', type: 'text', text: 'Obrigada!' }));
    expect(answer.conversation_id).toBe(out.conversationId);
    expect(h.chatwoot.contacts().filter((c) => c.phone_number === '+351912000001')).toHaveLength(1);
    expect(h.chatwoot.conversations().filter((c) => c.contact_id === out.contactId)).toHaveLength(1);

    // The next message from the system finds the same contact and conversation.
    const again = await sendThroughChatwoot(h, '+351912000001', 'Chega amanhã de manhã.');
    expect(again).toMatchObject({
      contactId: out.contactId,
      conversationId: out.conversationId,
      createdContact: false,
      createdConversation: false,
    });
    expect((await sentOnce(h, again.messageId, 'Chega amanhã de manhã.')).message.chatId).toBe('351912000001@c.us');
  });

  test('a number WhatsApp knows in another form (Brazil without the ninth digit) is reached there, and the answer lands in the same conversation', async () => {
    h.sim().numbers.set('5511987600001', null);
    h.sim().numbers.set('551187600001', '551187600001@c.us');
    const out = await sendThroughChatwoot(h, '+5511987600001', 'Seu pedido saiu para entrega.');
    const sent = await sentOnce(h, out.messageId, 'Seu pedido saiu para entrega.');
    expect(sent.message.chatId).toBe('551187600001@c.us');

    const answer = await h.waitMessage(h.inject({ from: '+551187600001', type: 'text', text: 'Valeu' }));
    expect(answer.conversation_id).toBe(out.conversationId);
    expect(h.chatwoot.conversations().filter((c) => c.contact_id === out.contactId)).toHaveLength(1);
  });

  test('to someone who wrote before and whose conversation agents resolved: the same conversation, reopened, the chat they wrote from, and their answer lands there', async () => {
    const first = await h.waitMessage(h.inject({ from: '+351912000002', type: 'text', text: 'Olá, tenho uma dúvida' }));
    await h.chatwoot.agentSetStatus(first.conversation_id, 'resolved');

    const out = await sendThroughChatwoot(h, '+351912000002', 'A sua dúvida ficou resolvida?');
    expect(out).toMatchObject({ conversationId: first.conversation_id, createdContact: false, createdConversation: false });
    expect(h.chatwoot.conversations().find((c) => c.id === out.conversationId)?.status).toBe('open');
    expect((await sentOnce(h, out.messageId, 'A sua dúvida ficou resolvida?')).message.chatId).toBe('351912000002@c.us');

    const answer = await h.waitMessage(h.inject({ from: '+351912000002', type: 'text', text: 'Sim, obrigado' }));
    expect(answer.conversation_id).toBe(first.conversation_id);
    expect(h.chatwoot.conversations().filter((c) => c.contact_id === out.contactId)).toHaveLength(1);
  });

  test('a number with no WhatsApp account: Chatwoot accepts the message, nothing is sent, and the message shows failed with the reason', async () => {
    h.sim().numbers.set('351912000009', null);
    const before = h.sim().sent().length;
    const out = await sendThroughChatwoot(h, '+351912000009', 'Bom dia');
    const failed = await waitFor(
      () => h.chatwoot.messages(out.conversationId).find((m) => m.id === out.messageId && m.status === 'failed'),
      10_000,
      25,
      'the message marked failed',
    );
    expect(String(failed.content_attributes.external_error)).toContain('+351912000009 has no WhatsApp account');
    expect(h.sim().sent().length).toBe(before);
  });
});
