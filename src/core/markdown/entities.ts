/** The named entities an agent's text realistically contains; the rest stay as written. */
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  // WhatsApp users copy text back into forms; a plain space is safer than U+00A0.
  nbsp: ' ',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  euro: '€',
  deg: '°',
  times: '×',
  middot: '·',
  bull: '•',
};

export const ENTITY_PATTERN = /^&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z][A-Za-z0-9]{1,31}));/;

/** Decodes the entity at the start of `text`; returns the decoded text and its source length. */
export function decodeEntityAt(text: string): { value: string; length: number } | undefined {
  const m = ENTITY_PATTERN.exec(text);
  if (!m) return undefined;
  if (m[3] !== undefined) {
    const named = NAMED[m[3]];
    return named === undefined ? undefined : { value: named, length: m[0].length };
  }
  const code = m[1] !== undefined ? parseInt(m[1], 10) : parseInt(m[2], 16);
  // CommonMark: invalid code points and NUL become U+FFFD.
  const valid = code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
  return { value: String.fromCodePoint(valid ? code : 0xfffd), length: m[0].length };
}
