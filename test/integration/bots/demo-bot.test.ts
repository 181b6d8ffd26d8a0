import { DEMO_FLOW, playBotConversation } from '../../../scripts/demo-bot';
import { waitFor } from '../../helpers/wait';
import { startBotHarness, type BotHarness } from './bot-harness';

describe('the demo bot conversation (npm run demo)', () => {
  let h: BotHarness;
  afterAll(async () => {
    await h?.stop();
  });

  test('the flow answers the customer who asks for help, mirrors itself in Chatwoot, and hands over at the end', async () => {
    h = await startBotHarness({ 'demo-ajuda': DEMO_FLOW }, { trigger: { keywords: ['ajuda', 'bot'] }, debounceMs: 300 });
    await playBotConversation(h.sim());
    expect(h.sentTexts('+351913555444')).toEqual([
      'Olá *Ana Costa*! Sou o assistente virtual.',
      expect.stringMatching(/^Em que posso ajudar\?\n\n1\. Seguir uma encomenda\n2\. Mudar a morada de entrega\n3\. Outro assunto/),
      'Indique o número da encomenda, por favor.',
      'Obrigado! Um agente vai confirmar e responder aqui mesmo.',
    ]);
    await waitFor(() => h.conversation('+351913555444').status === 'open', 5000, 25, 'handed over to the agents');
    const conv = h.conversation('+351913555444');
    expect(h.chatwoot.messages(conv.id).filter((m) => m.message_type === 'outgoing')).toHaveLength(4);
    expect(h.typebot.rejections).toEqual([]);
  });
});
