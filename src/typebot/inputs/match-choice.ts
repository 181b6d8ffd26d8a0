/*
 * Which option(s) a typed answer means. Users answer a numbered list with the number, the option's
 * text, or something close to it ("sim" for "Sim, claro", "Pagamento" for "Pagamentos", "cartao" for
 * "Cartão"). Anything ambiguous is no match: asking again beats picking the wrong branch of a flow.
 */

/** A comma, semicolon, slash, plus, ampersand or line break: where a list of several answers splits. */
const SEPARATOR = '|';
const SEPARATORS = /[,;\n/+&]/g;
/** Words joining the answers of a multiple choice ("1 e 3", "1 and 3"). */
const CONNECTORS = new Set(['e', 'and', 'y', 'et', 'ou', 'or']);
/** Words that may come before a number ("opção 2", "option 2", "nº 2"). */
const NUMBER_PREFIXES = new Set(['opcao', 'option', 'numero', 'number', 'n', 'no', 'nr']);

/** Lower-case words without accents or punctuation; separators kept as their own token. */
export function tokens(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\u20e3/g, '')
    .replace(SEPARATORS, ` ${SEPARATOR} `)
    .replace(/[^\p{L}\p{N}|]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
}

const words = (text: string): string =>
  tokens(text)
    .filter((t) => t !== SEPARATOR)
    .join(' ');

/** Edit distance counting a swap of two neighbours as one edit (the commonest typo on a phone). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Typos tolerated for an option of this length: none for 1-2 letters, up to 3 for long ones. */
function tolerance(length: number): number {
  if (length <= 2) return 0;
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return 3;
}

/** The single index in `found`, or undefined when there is none or more than one. */
const only = (found: number[]): number | undefined => (found.length === 1 ? found[0] : undefined);

const containsPhrase = (haystack: string, phrase: string): boolean => ` ${haystack} `.includes(` ${phrase} `);

export interface Matchable {
  label: string;
  value?: string;
}

/** The option a typed answer means, by its text only (no number). */
function matchText(answer: string, options: readonly Matchable[]): number | undefined {
  const said = words(answer);
  if (!said) return undefined;
  const labels = options.map((o) => words(o.label));
  const exact = options.flatMap((o, i) => (labels[i] === said || (o.value !== undefined && words(o.value) === said) ? [i] : []));
  if (exact.length > 0) return exact[0];

  const prefixed = labels.flatMap((l, i) => (said.length >= 2 && l.startsWith(said) ? [i] : []));
  if (prefixed.length > 0) return only(prefixed);

  // The answer names one option inside a sentence ("quero o cartão"); of nested names the longest wins.
  const named = labels.flatMap((l, i) => (l.length >= 3 && containsPhrase(said, l) ? [i] : []));
  const outermost = named.filter(
    (i) => !named.some((j) => j !== i && labels[j].length > labels[i].length && containsPhrase(labels[j], labels[i])),
  );
  if (outermost.length > 0) return only(outermost);

  const distances = labels.map((l) => editDistance(said, l));
  const best = Math.min(...distances);
  const closest = distances.flatMap((d, i) => (d === best && d <= tolerance(labels[i].length) ? [i] : []));
  return only(closest);
}

/** A 1-based option number in the answer ("2", "2.", "opção 2", "2️⃣"), when that is all it says. */
function numberIn(answer: string): number | undefined {
  const t = tokens(answer).filter((w) => w !== SEPARATOR);
  const rest = t.length === 2 && NUMBER_PREFIXES.has(t[0]) ? t.slice(1) : t;
  return rest.length === 1 && /^\d+$/.test(rest[0]) ? Number(rest[0]) : undefined;
}

/** Index of the option the answer means (single choice), or undefined. */
export function matchOne(answer: string, options: readonly Matchable[]): number | undefined {
  const n = numberIn(answer);
  if (n !== undefined && n >= 1 && n <= options.length) return n - 1;
  return matchText(answer, options);
}

/**
 * Indexes of the options the answer means (multiple choice): numbers ("1, 3", "1 e 3"), option texts
 * ("Pizza, Coca"), or both. Undefined when any part of the answer matches nothing: a partial pick
 * would silently drop what the user asked for.
 */
export function matchMany(answer: string, options: readonly Matchable[]): number[] | undefined {
  const said = tokens(answer);
  const picked = new Set<number>();
  const onlyNumbers = said.some((t) => /^\d+$/.test(t)) && said.every((t) => /^\d+$/.test(t) || t === SEPARATOR || CONNECTORS.has(t));
  if (onlyNumbers) {
    for (const t of said) {
      if (!/^\d+$/.test(t)) continue;
      const n = Number(t);
      if (n < 1 || n > options.length) return undefined;
      picked.add(n - 1);
    }
    return [...picked].sort((a, b) => a - b);
  }

  // Whole option texts first, longest first, so "Pizza grande" is not read as "Pizza" plus a stray word.
  const used = said.map(() => false);
  const byLength = options
    .map((o, i) => ({ i, t: tokens(o.label) }))
    .filter((o) => o.t.length > 0)
    .sort((a, b) => b.t.length - a.t.length);
  for (const { i, t } of byLength) {
    for (let at = 0; at + t.length <= said.length; at++) {
      if (t.every((w, k) => !used[at + k] && said[at + k] === w)) {
        t.forEach((_, k) => (used[at + k] = true));
        picked.add(i);
        break;
      }
    }
  }

  // What is left splits at separators, connectors and matched texts; each piece must mean one option.
  const pieces: string[][] = [[]];
  said.forEach((t, k) => {
    if (used[k] || t === SEPARATOR || CONNECTORS.has(t)) pieces.push([]);
    else pieces[pieces.length - 1].push(t);
  });
  for (const piece of pieces.filter((p) => p.length > 0)) {
    const i = matchOne(piece.join(' '), options);
    if (i === undefined) return undefined;
    picked.add(i);
  }
  return picked.size > 0 ? [...picked].sort((a, b) => a - b) : undefined;
}
