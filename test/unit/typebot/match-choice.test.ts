import { editDistance, matchMany, matchOne, tokens } from '../../../src/typebot/inputs/match-choice';

const opts = (...labels: string[]) => labels.map((label) => ({ label }));

describe('matchOne', () => {
  test('the number wins over text when it is in range', () => {
    // Options that are numbers themselves: the list says "reply with the number", so "1" is option 1.
    expect(matchOne('1', opts('2', '1'))).toBe(0);
    expect(matchOne('opção 2', opts('A', 'B'))).toBe(1);
    expect(matchOne('2.', opts('A', 'B'))).toBe(1);
  });

  test('a typo as close to two options is no match', () => {
    expect(matchOne('cosa', opts('casa', 'cose'))).toBeUndefined();
  });

  test('typos: one in a short option, none in a two-letter one', () => {
    expect(matchOne('no', opts('Sim', 'Não'))).toBe(1);
    expect(matchOne('ok', opts('Sim', 'Não'))).toBeUndefined();
    expect(matchOne('ni', opts('Sí', 'No'))).toBeUndefined();
    expect(matchOne('nao', opts('Sim', 'Não'))).toBe(1);
    expect(matchOne('NÃO!', opts('Sim', 'Não'))).toBe(1);
  });

  test('a sentence naming two options is no match; naming one inside another picks the longer', () => {
    expect(matchOne('nem sim nem não', opts('Sim', 'Não'))).toBeUndefined();
    expect(matchOne('quero o plano basico plus', opts('Plano básico', 'Plano básico plus'))).toBe(1);
  });

  test('a swap of two letters counts as one typo', () => {
    expect(editDistance('entergas', 'entregas')).toBe(1);
    expect(matchOne('entergas', opts('Pagamentos', 'Entregas'))).toBe(1);
  });

  test('empty or emoji-only answers match nothing', () => {
    expect(matchOne('', opts('A'))).toBeUndefined();
    expect(matchOne('👍', opts('Sim', 'Não'))).toBeUndefined();
  });
});

describe('matchMany', () => {
  test('numbers in any separator style, duplicates once, in list order', () => {
    expect(matchMany('3, 1; 3', opts('A', 'B', 'C'))).toEqual([0, 2]);
    expect(matchMany('1 and 2', opts('A', 'B', 'C'))).toEqual([0, 1]);
    expect(matchMany('1/2', opts('A', 'B', 'C'))).toEqual([0, 1]);
  });

  test('an option whose name contains " e " is not split', () => {
    expect(matchMany('Arroz e feijão', opts('Arroz e feijão', 'Arroz', 'Feijão'))).toEqual([0]);
  });

  test('a name close to an option counts, an unknown word refuses the answer', () => {
    expect(matchMany('pizza, refrigerante', opts('Pizza', 'Refrigerantes'))).toEqual([0, 1]);
    expect(matchMany('pizza e sobremesa', opts('Pizza', 'Refrigerante'))).toBeUndefined();
  });
});

test('tokens drop accents, case and punctuation but keep list separators', () => {
  expect(tokens('Cartão, MB-Way!')).toEqual(['cartao', '|', 'mb', 'way']);
});
