/**
 * The other ways one mobile number is written, WhatsApp's and the national plan's (PITFALLS.md 7):
 * - Brazil: mobiles gained a ninth digit (2012-2016), but WhatsApp accounts made before keep the
 *   eight-digit id: +55 11 98765-4321 is `551187654321` on WhatsApp.
 * - Argentina: WhatsApp ids carry the mobile 9 after the country code (`549...`), E.164 does not.
 * - Mexico: older WhatsApp ids carry a 1 after the country code (`521...`), E.164 no longer does.
 * Returns every form, the given one first, each as `+digits`; a number with no twin comes back alone.
 */
export function phoneVariants(phone: string): string[] {
  const d = phone.replace(/\D/g, '');
  if (!d) return [];
  const twins: string[] = [];
  // Brazil: 55 + two-digit area code (11-99) + subscriber; mobiles start with 9 (nine digits) or 6-9 (eight).
  const br = /^55([1-9][1-9])(\d+)$/.exec(d);
  if (br) {
    const [, area, sub] = br;
    if (sub.length === 9 && /^9[6-9]/.test(sub)) twins.push(`55${area}${sub.slice(1)}`);
    if (sub.length === 8 && /^[6-9]/.test(sub)) twins.push(`55${area}9${sub}`);
  }
  // Argentina: 54 + 10-digit national number; WhatsApp's form is 54 9 + the same ten digits.
  if (/^549\d{10}$/.test(d)) twins.push(`54${d.slice(3)}`);
  else if (/^54[1-8]\d{9}$/.test(d)) twins.push(`549${d.slice(2)}`);
  // Mexico: 52 + 10 digits; the old mobile form is 52 1 + the same ten digits.
  if (/^521\d{10}$/.test(d)) twins.push(`52${d.slice(3)}`);
  else if (/^52[2-9]\d{9}$/.test(d)) twins.push(`521${d.slice(2)}`);
  return [`+${d}`, ...twins.map((t) => `+${t}`)];
}
