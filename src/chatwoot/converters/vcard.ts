/**
 * Just enough vCard (2.1, 3.0, 4.0) to show who a shared contact is: FN, N, TEL and Apple/WhatsApp
 * `itemN.X-ABLabel` labels. Tolerates folded lines, quoted-printable (2.1), `tel:` URIs (4.0),
 * bare type params (`TEL;CELL:`) and WhatsApp's `waid=` param.
 */

export interface VCardPhone {
  number: string;
  /** Lower-case TYPE values minus the noise ('voice', 'pref'). */
  types: string[];
  label?: string;
  waid?: string;
}

export interface VCard {
  name: string;
  phones: VCardPhone[];
}

interface Property {
  group: string;
  name: string;
  params: Map<string, string[]>;
  value: string;
}

const NOISE_TYPES = new Set(['voice', 'pref', 'internet', 'x-internet']);

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(text: string, sep: string, limit = Infinity): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    if (ch === sep && !quoted && parts.length < limit - 1) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

function isQuotedPrintable(line: string): boolean {
  const head = splitOutsideQuotes(line, ':', 2)[0];
  return /(^|;)(ENCODING=)?QUOTED-PRINTABLE(;|$)/i.test(head);
}

/** RFC 6350 §3.2 folding (CRLF + one space/tab), plus 2.1 quoted-printable soft line breaks. */
export function unfoldLines(text: string): string[] {
  const lines: string[] = [];
  for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
    const last = lines.length - 1;
    if (last >= 0 && /^[ \t]/.test(line)) lines[last] += line.slice(1);
    else if (last >= 0 && lines[last].endsWith('=') && isQuotedPrintable(lines[last])) {
      lines[last] = lines[last].slice(0, -1) + line;
    } else lines.push(line);
  }
  return lines.filter((l) => l.trim() !== '');
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.slice(i + 1, i + 3);
    if (value[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(value[i], 'utf8'));
  }
  const latin = /^(iso-8859-1|latin1|windows-1252)$/i.test(charset);
  return Buffer.from(bytes).toString(latin ? 'latin1' : 'utf8');
}

function parseProperty(line: string): Property | undefined {
  const [head, rawValue] = splitOutsideQuotes(line, ':', 2);
  if (rawValue === undefined) return undefined;
  const [nameWithGroup, ...paramParts] = splitOutsideQuotes(head, ';');
  const dot = nameWithGroup.lastIndexOf('.');
  const params = new Map<string, string[]>();
  for (const part of paramParts) {
    const eq = part.indexOf('=');
    // 2.1 allows bare values (`TEL;CELL;PREF:`), which are types.
    const key = eq < 0 ? 'type' : part.slice(0, eq).trim().toLowerCase();
    const raw = eq < 0 ? part : part.slice(eq + 1);
    // TYPE="work,voice" (4.0) and TYPE=work,voice (3.0) both mean two values.
    const values = raw
      .replace(/"/g, '')
      .split(',')
      .map((v) => v.trim());
    params.set(key, [...(params.get(key) ?? []), ...values.filter(Boolean)]);
  }
  let value = rawValue;
  const qp = (v: string): boolean => /^quoted-printable$/i.test(v);
  // 2.1 writes it as ENCODING=QUOTED-PRINTABLE or as a bare param (filed under 'type' above).
  if (params.get('encoding')?.some(qp) || params.get('type')?.some(qp)) {
    value = decodeQuotedPrintable(value, params.get('charset')?.[0] ?? 'utf-8');
  }
  return {
    group: dot >= 0 ? nameWithGroup.slice(0, dot).toLowerCase() : '',
    name: nameWithGroup
      .slice(dot + 1)
      .trim()
      .toUpperCase(),
    params,
    value,
  };
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_m, c: string) => (c === 'n' || c === 'N' ? '\n' : c));
}

/** N = family;given;additional;prefix;suffix, shown in reading order. */
function nameFromN(value: string): string {
  const [family, given, additional, prefix, suffix] = value.split(/(?<!\\);/).map(unescapeText);
  return [prefix, given, additional, family, suffix]
    .map((p) => (p ?? '').trim())
    .filter(Boolean)
    .join(' ');
}

/** Apple writes labels as `_$!<Mobile>!$_`. */
function cleanLabel(label: string): string {
  return unescapeText(label)
    .replace(/^_\$!<(.*)>!\$_$/, '$1')
    .trim();
}

function parseCard(props: Property[]): VCard {
  let fn = '';
  let n = '';
  const labels = new Map<string, string>();
  const phones: Array<VCardPhone & { group: string }> = [];
  for (const p of props) {
    if (p.name === 'FN' && !fn) fn = unescapeText(p.value).trim();
    else if (p.name === 'N' && !n) n = nameFromN(p.value);
    else if (p.name === 'X-ABLABEL' && p.group) labels.set(p.group, cleanLabel(p.value));
    else if (p.name === 'TEL') {
      const waid = p.params.get('waid')?.[0];
      const number = unescapeText(p.value).replace(/^tel:/i, '').trim() || (waid ? `+${waid}` : '');
      if (!number) continue;
      const types = (p.params.get('type') ?? []).map((t) => t.toLowerCase()).filter((t) => !NOISE_TYPES.has(t) && t !== 'quoted-printable');
      phones.push({ number, types: [...new Set(types)], ...(waid ? { waid } : {}), group: p.group });
    }
  }
  const seen = new Set<string>();
  const unique = phones.filter((ph) => {
    const key = ph.number.replace(/\D/g, '') || ph.number;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return {
    name: fn || n,
    phones: unique.map(({ group, ...ph }) => {
      const label = group ? labels.get(group) : undefined;
      return label ? { ...ph, label } : ph;
    }),
  };
}

/** All cards in one text (a vCard file may hold several). Text without BEGIN:VCARD is one card. */
export function parseVCards(text: string): VCard[] {
  const cards: Property[][] = [];
  let current: Property[] | undefined;
  const loose: Property[] = [];
  for (const line of unfoldLines(text)) {
    const prop = parseProperty(line);
    if (!prop) continue;
    if (prop.name === 'BEGIN' && /^vcard$/i.test(prop.value.trim())) current = [];
    else if (prop.name === 'END' && /^vcard$/i.test(prop.value.trim())) {
      if (current) cards.push(current);
      current = undefined;
    } else if (current) current.push(prop);
    else loose.push(prop);
  }
  if (current) cards.push(current);
  if (cards.length === 0 && loose.length > 0) cards.push(loose);
  return cards.map(parseCard);
}
