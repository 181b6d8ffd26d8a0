import { formatLink } from './urls';

/*
 * Markdown text bubbles (CommonMark, what Typebot sends when a bubble is markdown) -> WhatsApp text.
 * Line by line: fences, headings, lists and quotes; then inline: `**b**` -> `*b*`, `*i*`/`_i_` -> `_i_`,
 * `~~s~~` -> `~s~`, links -> `text (url)`. Spans that must survive untouched (code, links, bare URLs,
 * escapes) are parked behind placeholders first, so an underscore in a URL never becomes italics.
 * Our own markers are written as sentinels until the end, so a later rule cannot re-read them.
 */

const HOLD = '\u0000';
const BOLD = '\u0001';
const ITALIC = '\u0002';
const STRIKE = '\u0003';

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const BULLET = /^(\s*)[-*+][ \t]+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)][ \t]+(.*)$/;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

// Markers never touch a letter or digit on their outer side (snake_case, 2*3*4 stay as they are).
const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';
const rx = (body: string): RegExp => new RegExp(L + body + R, 'gu');
const TRIPLE = rx('(\\*\\*\\*|___)(?=\\S)(.+?)(?<=\\S)\\1');
const STRONG = rx('(\\*\\*|__)(?=[^\\s*_])(.+?)(?<=[^\\s*_])\\1');
const EM_STAR = rx('(?<!\\*)\\*(?=[^\\s*])(.+?)(?<=[^\\s*])\\*(?!\\*)');
const EM_UNDER = rx('(?<!_)_(?=[^\\s_])(.+?)(?<=[^\\s_])_(?!_)');
const STRIKE_RX = rx('~~(?=\\S)(.+?)(?<=\\S)~~');

function inline(text: string): string {
  const held: string[] = [];
  const hold = (s: string): string => `${HOLD}${held.push(s) - 1}${HOLD}`;
  let work = text
    .replace(/[\u0000-\u0003]/g, '')
    // Code first: a backslash inside code is literal.
    .replace(/(`+)([\s\S]+?)\1(?!`)/g, (_m, _ticks, code: string) => hold('```' + code.trim() + '```'))
    .replace(/\\([!-/:-@[-`{-~])/g, (_m, c: string) => hold(c))
    .replace(/!?\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_m, label: string, url: string) => hold(formatLink(inline(label), url)))
    .replace(/<((?:https?|mailto):[^\s<>]+)>/gi, (_m, url: string) => hold(formatLink('', url)))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/(?<![\p{L}\p{N}])https?:\/\/[^\s<>]*[^\s<>.,;:!?'")*_~]/giu, (url) => hold(url))
    .replace(/&(#39|amp|lt|gt|quot|apos|nbsp);/g, (_m, name: string) => hold(ENTITIES[name]));
  work = work
    .replace(TRIPLE, (_m, _d, inner: string) => `${BOLD}${ITALIC}${inner}${ITALIC}${BOLD}`)
    .replace(STRONG, (_m, _d, inner: string) => `${BOLD}${inner}${BOLD}`)
    .replace(EM_STAR, `${ITALIC}$1${ITALIC}`)
    .replace(EM_UNDER, `${ITALIC}$1${ITALIC}`)
    .replace(STRIKE_RX, `${STRIKE}$1${STRIKE}`);
  work = work.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => held[Number(i)]);
  return work.replace(/\u0001/g, '*').replace(/\u0002/g, '_').replace(/\u0003/g, '~');
}

/** Two trailing spaces or a trailing backslash mark a hard break; the newline already is one. */
function stripHardBreak(line: string): string {
  return line.replace(/(?:\\| {2,})$/, '').replace(/[ \t]+$/, '');
}

function blockLine(raw: string): string {
  const line = stripHardBreak(raw);
  if (line.trim() === '') return '';
  let m = QUOTE.exec(line);
  if (m) {
    const inner = blockLine(m[1]);
    return inner ? `> ${inner}` : '>';
  }
  m = HEADING.exec(line);
  if (m) {
    // A heading is bold as a whole; bold inside it would close the heading's own marker.
    const text = inline(m[1] ?? '').replace(/\*/g, '');
    return text ? `*${text}*` : '';
  }
  if (RULE.test(line)) return '---';
  m = BULLET.exec(line);
  if (m) return `${m[1]}• ${inline(m[2])}`;
  m = ORDERED.exec(line);
  if (m) return `${m[1]}${m[2]}. ${inline(m[3])}`;
  return inline(line);
}

export function markdownToWhatsApp(markdown: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== undefined) {
      const run = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line)?.[1];
      const closes = run !== undefined && run[0] === fence[0] && run.length >= fence.length;
      out.push(closes ? '```' : line);
      if (closes) fence = undefined;
      continue;
    }
    const open = FENCE.exec(line);
    if (open && !line.slice(open[0].length).includes(open[1][0])) {
      fence = open[1];
      out.push('```');
      continue;
    }
    const converted = blockLine(line);
    // Paragraph gaps stay, runs of blank lines collapse to one.
    if (converted === '' && out.length > 0 && out[out.length - 1] === '') continue;
    out.push(converted);
  }
  if (fence !== undefined) out.push('```');
  return out.join('\n').replace(/^\n+|\n+$/g, '');
}
