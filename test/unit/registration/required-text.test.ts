import { validateRequiredText } from '../../../src/registration/validators/required-text';

describe('validateRequiredText', () => {
  test('trims and collapses whitespace, newlines included', () => {
    expect(validateRequiredText('  Maria \n da\tSilva  ')).toEqual({ ok: true, value: 'Maria da Silva' });
  });

  test('control characters become spaces', () => {
    expect(validateRequiredText('Rua\u0000das\u0007Flores')).toEqual({ ok: true, value: 'Rua das Flores' });
  });

  test.each(['', '   ', '\n\t', undefined])('refuses %p as required', (raw) => {
    expect(validateRequiredText(raw)).toEqual({ ok: false, code: 'required' });
  });

  test('refuses text longer than the limit, counting after normalising', () => {
    expect(validateRequiredText('a'.repeat(11), 10)).toEqual({ ok: false, code: 'tooLong', vars: { max: 10 } });
    expect(validateRequiredText(` ${'a'.repeat(10)} `, 10)).toEqual({ ok: true, value: 'a'.repeat(10) });
  });

  test('keeps accents and punctuation', () => {
    expect(validateRequiredText('João Gonçalves-Araújo')).toEqual({ ok: true, value: 'João Gonçalves-Araújo' });
  });
});
