import { hasValidNifPrefix, nifCheckDigit, validateNif } from '../../../src/registration/validators/nif';

describe('validateNif', () => {
  // Each worked by hand with weights 9..2 (see the comments) and published as real NIFs.
  test.each([
    ['123456789', 'the AT example: sum 156, 156 mod 11 = 2, 11 - 2 = 9'],
    ['501442600', 'sum 122, remainder 1 gives check digit 0'],
    ['500100144', 'sum 62, remainder 7, 11 - 7 = 4'],
    ['504615947', 'sum 169, remainder 4, 11 - 4 = 7'],
    ['999999990', 'the "consumidor final" NIF: sum 396, remainder 0 gives 0'],
  ])('accepts %s (%s)', (nif) => {
    expect(validateNif(nif)).toEqual({ ok: true, value: nif });
  });

  test('the check digit follows mod 11, remainders 0 and 1 giving 0', () => {
    expect(nifCheckDigit('12345678')).toBe(9);
    expect(nifCheckDigit('50144260')).toBe(0);
    expect(nifCheckDigit('99999999')).toBe(0);
    expect(nifCheckDigit('50010014')).toBe(4);
  });

  test.each(['123456780', '501442601', '500100145', '999999999', '245678903'])('refuses %s: wrong check digit', (nif) => {
    expect(validateNif(nif)).toEqual({ ok: false, code: 'nifCheckDigit' });
  });

  test('normalises spaces, dots, dashes and the PT prefix to 9 digits', () => {
    expect(validateNif(' 123 456 789 ')).toEqual({ ok: true, value: '123456789' });
    expect(validateNif('123.456.789')).toEqual({ ok: true, value: '123456789' });
    expect(validateNif('PT 501-442-600')).toEqual({ ok: true, value: '501442600' });
    expect(validateNif('pt504615947')).toEqual({ ok: true, value: '504615947' });
    expect(validateNif('500 100 144')).toEqual({ ok: true, value: '500100144' });
  });

  test.each(['', '12345678', '1234567890', '12345678a', 'PT', undefined])('refuses %p: not 9 digits', (nif) => {
    expect(validateNif(nif)).toEqual({ ok: false, code: 'nifFormat' });
  });

  test('refuses prefixes the tax authority never assigns', () => {
    // Correct check digits, so only the prefix is wrong.
    expect(validateNif('012345679')).toMatchObject({ ok: false, code: 'nifFirstDigit', vars: { prefix: '0' } });
    expect(validateNif('412345676')).toMatchObject({ ok: false, code: 'nifFirstDigit', vars: { prefix: '41' } });
    expect(validateNif(`73123456${nifCheckDigit('73123456')}`)).toMatchObject({ ok: false, code: 'nifFirstDigit' });
  });

  test('prefixes per AT rules', () => {
    for (const ok of ['1', '2', '3', '5', '6', '8', '45', '70', '71', '72', '74', '75', '77', '79', '90', '91', '98', '99']) {
      expect(hasValidNifPrefix(ok.padEnd(9, '0'))).toBe(true);
    }
    for (const bad of ['0', '40', '44', '46', '73', '76', '78', '92', '97']) expect(hasValidNifPrefix(bad.padEnd(9, '0'))).toBe(false);
  });
});
