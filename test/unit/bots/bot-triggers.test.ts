import { isHandoffKeyword, triggerMatches } from '../../../src/bots/triggers';

describe('handoff keywords and triggers', () => {
  test('a handoff keyword is the whole message, whatever its case, accents and punctuation', () => {
    const keywords = ['atendente', 'falar com humano'];
    expect(isHandoffKeyword('Atendente!', keywords)).toBe(true);
    expect(isHandoffKeyword('  ATENDENTE ', keywords)).toBe(true);
    expect(isHandoffKeyword('Falar com HUMANO.', keywords)).toBe(true);
    expect(isHandoffKeyword('o atendente foi simpático', keywords)).toBe(false);
    expect(isHandoffKeyword('', keywords)).toBe(false);
    expect(isHandoffKeyword(undefined, keywords)).toBe(false);
  });

  test('keyword triggers match a whole word inside the message, accents ignored', async () => {
    const trigger = { keywords: ['registo', 'inscrição'] };
    const none = async () => [];
    await expect(triggerMatches(trigger, 'Quero fazer o REGISTO, por favor', none)).resolves.toBe(true);
    await expect(triggerMatches(trigger, 'inscricao', none)).resolves.toBe(true);
    await expect(triggerMatches(trigger, 'registos antigos', none)).resolves.toBe(false);
    await expect(triggerMatches(trigger, undefined, none)).resolves.toBe(false);
  });

  test('a label trigger asks for the labels only when needed, and always starts', async () => {
    const labels = jest.fn(async () => ['vip', 'bot']);
    await expect(triggerMatches({ label: 'bot' }, 'x', labels)).resolves.toBe(true);
    await expect(triggerMatches({ label: 'drivers' }, 'x', labels)).resolves.toBe(false);
    await expect(triggerMatches('always', undefined, labels)).resolves.toBe(true);
    expect(labels).toHaveBeenCalledTimes(2);
  });
});
