import { validatePhone } from '../../../src/registration/validators/phone';

describe('validatePhone', () => {
  test.each([
    ['912345678', '+351912345678'],
    ['912 345 678', '+351912345678'],
    ['213-456-789', '+351213456789'],
    ['+351 912 345 678', '+351912345678'],
    ['00351912345678', '+351912345678'],
    ['351912345678', '+351912345678'],
    ['(+351) 96.123.45.67', '+351961234567'],
    ['+44 7911 123456', '+447911123456'],
    ['0033 6 12 34 56 78', '+33612345678'],
    ['+55 11 91234-5678', '+5511912345678'],
  ])('normalises %p to %p', (raw, value) => {
    expect(validatePhone(raw)).toEqual({ ok: true, value });
  });

  test.each([
    ['', 'empty'],
    ['12345', 'too short'],
    ['812345678', 'not a Portuguese range and no country code'],
    ['91234567', '8 digits'],
    ['9123456789', '10 digits without country code'],
    ['+351 812 345 678', 'Portuguese number outside 2/3/9'],
    ['+351 91234567', 'Portuguese number with 8 digits'],
    ['+1234567', 'too short for E.164'],
    ['+1234567890123456', 'longer than 15 digits'],
    ['+0912345678', 'country code cannot start with 0'],
    ['91234567a', 'letters'],
  ])('refuses %p (%s)', (raw) => {
    expect(validatePhone(raw)).toEqual({ ok: false, code: 'phoneFormat' });
  });
});
