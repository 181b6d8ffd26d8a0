import type { SimulatorEngine } from '../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../src/engines/simulator/simulator-customer';
import type { ChatwootFake } from '../test/fakes/chatwoot';

const PNG_1PX = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';
const VCARD = 'BEGIN:VCARD\nVERSION:3.0\nFN:Maria Lopes\nTEL;type=CELL;waid=351913000002:+351 913 000 002\nEND:VCARD';

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

/** A short, realistic exchange: a customer writes in several kinds, a group talks, an agent answers. */
export async function playScriptedConversation(sim: SimulatorEngine, chatwoot: ChatwootFake): Promise<void> {
  // Injected before the phone is connected, messages would only be found later by catch-up.
  await waitUntil(() => sim.state() === 'CONNECTED', 10000);
  const say = (body: Record<string, unknown>) => sim.inject(inboundSchema.parse(body));
  const customer = '+351912345678';
  const first = say({ from: customer, type: 'text', text: 'Olá! Encomendei ontem, *quando chega*?', pushName: 'João Silva' });
  say({ from: customer, type: 'image', caption: 'O talão', media: { mimetype: 'image/png', filename: 'talao.png', base64: PNG_1PX } });
  say({ from: customer, type: 'location', location: { lat: 38.7223, lng: -9.1393, name: 'Casa', address: 'Rua Augusta 1, Lisboa' } });
  say({ from: customer, type: 'contact', vcard: VCARD });
  say({ from: customer, type: 'reaction', targetId: first, emoji: '🙏' });
  say({
    from: '+351913999001',
    chatId: '120363000000000001@g.us',
    author: '+351913999001',
    chatName: 'Equipa Entregas',
    type: 'text',
    text: 'Rota de hoje confirmada',
    pushName: 'Rui',
  });
  await waitUntil(() => chatwoot.messageCount() >= 6, 10000);
  // The agent answers João in his own conversation, quoting his first message.
  const quoted = chatwoot.messages().find((m) => m.source_id === `WAID:${first}`);
  if (!quoted) throw new Error("the customer's first message did not reach Chatwoot");
  await chatwoot.agentMessage(quoted.conversation_id, {
    content: 'Bom dia **João**! Chega _amanhã_ entre as 9h e as 13h.',
    inReplyTo: quoted.id,
  });
  await waitUntil(() => sim.sent().length >= 1, 10000);
  await new Promise((r) => setTimeout(r, 1200)); // let the delivery ticks arrive
}
