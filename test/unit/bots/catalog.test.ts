import { CATALOG_KEYS, say } from '../../../src/core/catalog';

describe('what Ponte itself says to WhatsApp users', () => {
  test('every sentence exists in Portuguese and English, and they differ', () => {
    for (const key of CATALOG_KEYS) {
      const pt = say('pt', key);
      const en = say('en', key);
      expect({ key, pt: pt.length > 5, en: en.length > 5, differ: pt !== en }).toEqual({ key, pt: true, en: true, differ: true });
    }
  });

  test('placeholders are filled from the variables, and left visible when one is missing', () => {
    expect(say('pt', 'ratingInvalid', { min: 1, max: 5 })).toBe('Responda com um número de 1 a 5.');
    expect(say('en', 'registrationAsk', { field: 'NIF' })).toBe('Please send now: NIF.');
    expect(say('en', 'ratingInvalid', { min: 0 })).toBe('Reply with a number from 0 to {max}.');
  });
});
