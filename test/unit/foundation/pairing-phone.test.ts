import { pairingPhone } from '../../../src/http/pairing-phone';

describe('the number a phone is paired with', () => {
  test.each([
    ['+351 912 345 678', undefined, '+351912345678'],
    ['00351912345678', undefined, '+351912345678'],
    ['+55 (11) 98765-4321', undefined, '+5511987654321'],
    ['912 345 678', 'PT', '+351912345678'],
    ['(11) 98765-4321', 'br', '+5511987654321'],
    ['+351912345678', 'BR', '+351912345678'],
  ])('%s (default country %s) is %s', (input, country, e164) => {
    expect(pairingPhone(input, country)).toEqual({ e164 });
  });

  test('a number without its country code is refused with the whole number to type, not read as another country', () => {
    expect(pairingPhone('912345678')).toEqual({
      problem:
        '"912345678" has no country code: type the whole number, + and the country code first (e.g. +351912345678 for Portugal), or set sessionStore.defaultCountry',
    });
  });

  test.each([
    ['+12', 'in international form'],
    ['12', 'as a number of PT (sessionStore.defaultCountry)'],
    ['+351 12', 'in international form'],
  ])('%s is not a phone number: refused, saying how it was read', (input, how) => {
    const got = pairingPhone(input, input.startsWith('+') ? undefined : 'PT');
    expect(got).toEqual({ problem: expect.stringContaining(`is not a valid phone number ${how}`) });
  });

  test('nothing typed', () => {
    expect(pairingPhone('  ')).toEqual({ problem: 'expected a phone number with its country code, e.g. +351912345678' });
  });
});
