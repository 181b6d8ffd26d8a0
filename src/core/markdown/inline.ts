import { decodeEntityAt } from './entities';

/*
 * Inline pass. Spans whose text must survive untouched (code, links, URLs, escapes, entities) are
 * rendered first and parked behind placeholders (\0<n>\0); emphasis is then matched on what is left,
 * and our own markers are written as sentinels so a later pass cannot re-read them as markdown.
 */
const HOLD = '\u0000';
const BOLD = '\u0001';
const ITALIC = '\u0002';
const STRIKE = '\u0003';

const ASCII_PUNCT = /[!-/:-@[-`{-~]/;
const WORD_CHAR = /[\p{L}\p{N}]/u;

export interface InlineOptions {
  /** Headings are already bold; nested bold would close the heading's own `*`. */
  dropStrong?: boolean;
}

type Hold = (text: string) => string;
interface Token {
  out: string;
  length: number;
}

function unescapePunct(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

function codeSpan(text: string, i: number, hold: Hold): Token {
  const run = /^`+/.exec(text.slice(i))![0];
  const closer = new RegExp(`(?<!\`)${run}(?!\`)`, 'g');
  closer.lastIndex = i + run.length;
  const m = closer.exec(text);
  // An unclosed backtick run is literal, and must not pair with a later, shorter run.
  if (!m) return { out: hold(run), length: run.length };
  let content = text.slice(i + run.length, m.index);
  if (/^ .*[^ ].* $/s.test(content) || /^ [^ ] $/.test(content)) content = content.slice(1, -1);
  return { out: hold('```' + content + '```'), length: m.index + run.length - i };
}

/** Index of the `]` closing the `[` at `open`, skipping escapes and nested brackets. */
function closingBracket(text: string, open: number): number {
  let depth = 0;
  for (let j = open; j < text.length; j++) {
    if (text[j] === '\\') j++;
    else if (text[j] === '[') depth++;
    else if (text[j] === ']' && --depth === 0) return j;
  }
  return -1;
}

// `(` + `<dest with spaces>` or a dest with balanced (parens) + optional "title"/'title'/(title) + `)`
const ANGLE_DEST = '<([^<>\\n]*)>';
const BARE_DEST = '((?:\\\\.|[^\\s()\\\\]|\\((?:\\\\.|[^\\s()\\\\])*\\))*)';
const TITLE = `(?:"(?:\\\\.|[^"\\\\])*"|'(?:\\\\.|[^'\\\\])*'|\\((?:\\\\.|[^()\\\\])*\\))`;
const LINK_TARGET = new RegExp(`^\\(\\s*(?:${ANGLE_DEST}|${BARE_DEST})(?:\\s+${TITLE})?\\s*\\)`);

/** Parses `(dest "title")` at `start`; returns the destination and the index after `)`. */
function linkTarget(text: string, start: number): { url: string; end: number } | undefined {
  const m = LINK_TARGET.exec(text.slice(start));
  if (!m) return undefined;
  return { url: unescapePunct(m[1] ?? m[2] ?? ''), end: start + m[0].length };
}

function sameTarget(label: string, url: string): boolean {
  const norm = (s: string): string =>
    s.trim().replace(/^(https?:\/\/|mailto:)/i, '').replace(/\/$/, '').toLowerCase();
  return norm(label) === norm(url);
}

function formatLink(label: string, url: string): string {
  const shown = url.replace(/^mailto:/i, '');
  // Chatwoot mentions ([@Jane](mention://user/2/Jane)) mean nothing outside Chatwoot.
  if (!url || /^mention:/i.test(url)) return label;
  if (label.trim() === '' || sameTarget(label, url)) return shown;
  return `${label} (${shown})`;
}

function link(text: string, i: number, hold: Hold, opts: InlineOptions): Token | undefined {
  const image = text[i] === '!';
  const open = image ? i + 1 : i;
  const close = closingBracket(text, open);
  if (close < 0) return undefined;
  const target = linkTarget(text, close + 1);
  if (!target) return undefined;
  const label = inlineToWhatsApp(text.slice(open + 1, close), opts);
  return { out: hold(formatLink(label, target.url)), length: target.end - i };
}

function angle(text: string, i: number, hold: Hold): Token | undefined {
  const m =
    /^<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>/.exec(text.slice(i)) ??
    /^<([^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>/.exec(text.slice(i));
  if (m) return { out: hold(m[1]), length: m[0].length };
  const br = /^<br\s*\/?>/i.exec(text.slice(i));
  return br ? { out: hold('\n'), length: br[0].length } : undefined;
}

/** GFM-style bare URL: trailing punctuation and unbalanced `)` belong to the sentence. */
function bareUrl(text: string, i: number, hold: Hold): Token | undefined {
  if (i > 0 && WORD_CHAR.test(text[i - 1])) return undefined;
  const m = /^(?:https?:\/\/|www\.)[^\s<>]+/i.exec(text.slice(i));
  if (!m) return undefined;
  let url = m[0];
  for (;;) {
    const last = url[url.length - 1];
    const unbalanced = last === ')' && url.split('(').length < url.split(')').length;
    if (!/[?!.,:;*_~'"]/.test(last) && !unbalanced) break;
    url = url.slice(0, -1);
  }
  return { out: hold(unescapePunct(url)), length: url.length };
}

function token(text: string, i: number, hold: Hold, opts: InlineOptions): Token | undefined {
  const c = text[i];
  if (c === '\\' && i + 1 < text.length && ASCII_PUNCT.test(text[i + 1])) {
    return { out: hold(text[i + 1]), length: 2 };
  }
  if (c === '`') return codeSpan(text, i, hold);
  if (c === '[' || (c === '!' && text[i + 1] === '[')) return link(text, i, hold, opts);
  if (c === '<') return angle(text, i, hold);
  if (c === '&') {
    const entity = decodeEntityAt(text.slice(i));
    return entity ? { out: hold(entity.value), length: entity.length } : undefined;
  }
  if (c === 'h' || c === 'H' || c === 'w' || c === 'W') return bareUrl(text, i, hold);
  return undefined;
}

// Delimiters never touch a letter or digit on their outer side: keeps snake_case, 2*3*4 and
// file_name_v2 intact, and matches WhatsApp, which does not format inside words either.
const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';
const rx = (body: string): RegExp => new RegExp(L + body + R, 'gu');
const TRIPLE = rx('(\\*\\*\\*|___)(?![\\s*_])(.+?)(?<![\\s*_])\\1');
const STRONG = rx('(?<![*_])(\\*\\*|__)(?![\\s])(.+?)(?<![\\s])\\1(?![*_])');
const EM_STAR = rx('(?<!\\*)\\*(?![\\s*])(.+?)(?<![\\s*])\\*(?!\\*)');
const EM_UNDERSCORE = rx('(?<!_)_(?![\\s_])(.+?)(?<![\\s_])_(?!_)');
const DOUBLE_TILDE = rx('(?<!~)~~(?![\\s~])(.+?)(?<![\\s~])~~(?!~)');

function emphasis(work: string, opts: InlineOptions): string {
  const bold = opts.dropStrong ? '' : BOLD;
  return work
    .replace(TRIPLE, (_m, _d, inner: string) => `${bold}${ITALIC}${inner}${ITALIC}${bold}`)
    .replace(STRONG, (_m, _d, inner: string) => `${bold}${inner}${bold}`)
    .replace(EM_STAR, `${ITALIC}$1${ITALIC}`)
    .replace(EM_UNDERSCORE, `${ITALIC}$1${ITALIC}`)
    .replace(DOUBLE_TILDE, `${STRIKE}$1${STRIKE}`);
}

/** Converts one line of CommonMark inline content to WhatsApp formatting. */
export function inlineToWhatsApp(src: string, opts: InlineOptions = {}): string {
  const held: string[] = [];
  const hold: Hold = (text) => `${HOLD}${held.push(text) - 1}${HOLD}`;
  const text = src.replace(/[\u0000-\u0003]/g, '');
  let work = '';
  for (let i = 0; i < text.length; ) {
    const t = token(text, i, hold, opts);
    work += t ? t.out : text[i];
    i += t ? t.length : 1;
  }
  return emphasis(work, opts)
    .replace(/[\u0001-\u0003]/g, (s) => (s === BOLD ? '*' : s === ITALIC ? '_' : '~'))
    .replace(/\u0000(\d+)\u0000/g, (_m, n: string) => held[Number(n)]);
}
