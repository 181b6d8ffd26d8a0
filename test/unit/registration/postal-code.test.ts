import { validatePostalCode } from '../../../src/registration/validators/postal-code';

describe('validatePostalCode', () => {
  test.each([
    ['1000-001', '1000-001'],
    ['1000001', '1000-001'],
    [' 4000 - 322 ', '4000-322'],
    ['4000 322', '4000-322'],
    ['9500–150', '9500-150'],
  ])('accepts %p as %p', (raw, value) => {
    expect(validatePostalCode(raw)).toEqual({ ok: true, value });
  });

  test.each(['', '1000', '1000-01', '10000-001', '0999-001', 'ABCD-EFG', '1000-0011', undefined])('refuses %p', (raw) => {
    expect(validatePostalCode(raw)).toEqual({ ok: false, code: 'postalCodeFormat' });
  });
});
