import type { SimulatorEngine } from '../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../src/engines/simulator/simulator-customer';
import { choiceInput, textInput, type FlowDefinition } from '../test/fakes/typebot';

/** The demo's Typebot flow: a choice, a free-text answer, a goodbye; the end hands the chat to agents. */
export const DEMO_FLOW: FlowDefinition = {
  variables: ['name'],
  steps: [
    { bubbles: ['Olá *{{name}}*! Sou o assistente virtual.'] },
    {
      bubbles: ['Em que posso ajudar?'],
      input: choiceInput('assunto', [
        { id: 'track', content: 'Seguir uma encomenda' },
        { id: 'change', content: 'Mudar a morada de entrega' },
        { id: 'other', content: 'Outro assunto' },
      ]),
    },
    { bubbles: ['Indique o número da encomenda, por favor.'], input: textInput('encomenda') },
    { bubbles: ['Obrigado! Um agente vai confirmar e responder aqui mesmo.'] },
  ],
};

async function waitUntil(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond() && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
}

/** A second customer asks for help and goes through the flow: "ajuda", then "1", then the order number. */
export async function playBotConversation(sim: SimulatorEngine): Promise<void> {
  const customer = '+351913555444';
  const chatId = '351913555444@c.us';
  const sentTo = () => sim.sent().filter((s) => s.message.chatId === chatId).length;
  const say = (text: string) => sim.inject(inboundSchema.parse({ from: customer, type: 'text', text, pushName: 'Ana Costa' }));
  say('Preciso de ajuda');
  await waitUntil(() => sentTo() >= 2, 15000);
  say('1');
  await waitUntil(() => sentTo() >= 3, 15000);
  say('ENC-2024-118');
  await waitUntil(() => sentTo() >= 4, 15000);
}
