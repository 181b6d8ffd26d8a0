import { playScriptedConversation } from '../../../scripts/demo-script';
import { startRelayHarness, type Harness } from '../../helpers/relay-harness';

describe('the demo conversation (npm run demo)', () => {
  let h: Harness;
  afterAll(async () => {
    await h?.stop();
  });

  test('reaches Chatwoot in every kind it shows, and the agent answer goes to the customer, quoting him', async () => {
    h = await startRelayHarness();
    await playScriptedConversation(h.sim(), h.chatwoot);
    const customer = h.chatwoot.contacts().find((c) => c.phone_number === '+351912345678')!;
    expect(customer.name).toBe('João Silva');
    const incoming = h.chatwoot.messages().filter((m) => m.message_type === 'incoming');
    expect(incoming.map((m) => m.content)).toEqual(
      expect.arrayContaining([
        'Olá! Encomendei ontem, *quando chega*?',
        'O talão',
        'Reacted 🙏',
        expect.stringContaining('Rota de hoje confirmada'),
      ]),
    );
    const sent = h.sim().sent();
    expect(sent).toHaveLength(1);
    expect(sent[0].message).toMatchObject({ chatId: '351912345678@c.us', text: 'Bom dia *João*! Chega _amanhã_ entre as 9h e as 13h.' });
    expect(sent[0].message.quotedId).toBeDefined();
  });
});
