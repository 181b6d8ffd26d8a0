import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * The number a phone is paired with, as WhatsApp wants it: E.164. A number typed without its country
 * code would be read as another country's (912 345 678 becomes +91...): refused with a hint, unless a
 * default country is configured to complete it.
 */
export type PairingPhone = { e164: string } | { problem: string };

export function pairingPhone(input: string, defaultCountry?: string): PairingPhone {
  const typed = input.trim().replace(/^00/, '+');
  const digits = typed.replace(/\D/g, '');
  if (!digits) return { problem: 'expected a phone number with its country code, e.g. +351912345678' };
  const international = typed.startsWith('+');
  if (!international && !defaultCountry) {
    return {
      problem: `"${input.trim()}" has no country code: type the whole number, + and the country code first (e.g. +351${digits.replace(/^0+/, '')} for Portugal), or set sessionStore.defaultCountry`,
    };
  }
  const parsed = international
    ? parsePhoneNumberFromString(`+${digits}`)
    : parsePhoneNumberFromString(digits, defaultCountry!.toUpperCase() as CountryCode);
  if (!parsed?.isValid()) {
    const where = international ? 'in international form' : `as a number of ${defaultCountry!.toUpperCase()} (sessionStore.defaultCountry)`;
    return { problem: `"${input.trim()}" is not a valid phone number ${where}: expected the whole number, e.g. +351912345678` };
  }
  return { e164: parsed.number };
}
