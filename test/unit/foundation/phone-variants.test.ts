import { phoneVariants } from '../../../src/core/phone-variants';

describe('phoneVariants: one mobile, every form WhatsApp or the national plan writes it in', () => {
  test.each([
    // Brazil: the ninth digit, both ways; landlines (starting 2-5) and short numbers have no twin.
    ['+55 11 98765-4321', ['+5511987654321', '+551187654321']],
    ['551187654321', ['+551187654321', '+5511987654321']],
    ['+55 21 7123-4567', ['+552171234567', '+5521971234567']],
    ['+55 11 3456-7890', ['+551134567890']],
    ['+55 11 91234-5678', ['+5511912345678']],
    // Argentina: WhatsApp's 549 and E.164's 54.
    ['+54 9 11 2345-6789', ['+5491123456789', '+541123456789']],
    ['+54 11 2345-6789', ['+541123456789', '+5491123456789']],
    // Mexico: the old 521 and today's 52.
    ['+52 1 55 1234 5678', ['+5215512345678', '+525512345678']],
    ['+52 55 1234 5678', ['+525512345678', '+5215512345678']],
    // Elsewhere a number is written one way.
    ['+351 912 345 678', ['+351912345678']],
    ['+1 (415) 555-0100', ['+14155550100']],
  ])('%s', (input, expected) => {
    expect(phoneVariants(input)).toEqual(expected);
  });

  test('no digits, no forms', () => {
    expect(phoneVariants('')).toEqual([]);
    expect(phoneVariants('+')).toEqual([]);
  });
});
