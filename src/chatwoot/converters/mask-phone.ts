/**
 * Masks a phone for display in shared places (group prefixes, info logs): only the last 4 digits
 * stay, e.g. '+5511999991234' -> '+•••1234'.
 * Accepts JIDs ('5511…@c.us', '5511…:12@s.whatsapp.net').
 * Returns '' when there is no digit at all, so callers can treat it as "no phone".
 */
export function maskPhone(phone: string): string {
  const user = phone.split('@')[0].split(':')[0];
  const digits = user.replace(/\D/g, '');
  if (digits.length === 0) return '';
  return `+•••${digits.slice(-4)}`;
}
