import { inlineToWhatsApp } from './inline';

/*
 * Chatwoot agent replies (CommonMark as written by Chatwoot's editor) -> WhatsApp formatting.
 * Two passes: this file walks lines (fences, headings, lists, quotes, hard breaks); inline.ts does
 * emphasis, code, links and escapes within a line. Emphasis never spans lines: the editor closes
 * marks at line ends, and a stray marker left alone is better than bolding half a message.
 */

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>[ \t]?(.*)$/;
const BULLET = /^(\s*)[-*+][ \t]+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)][ \t]+(.*)$/;
const TASK = /^\[([ xX])\][ \t]+(.*)$/;

/** Two trailing spaces or an odd trailing backslash mark a hard break; the newline already is one. */
function stripHardBreak(line: string): string {
  const trimmed = line.replace(/[ \t]+$/, '');
  const slashes = /\\+$/.exec(trimmed)?.[0].length ?? 0;
  return slashes % 2 === 1 ? trimmed.slice(0, -1).replace(/[ \t]+$/, '') : trimmed;
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
    const text = inlineToWhatsApp(m[2] ?? '', { dropStrong: true });
    return text ? `*${text}*` : '';
  }
  if (THEMATIC_BREAK.test(line)) return '---';
  m = BULLET.exec(line);
  if (m) {
    const task = TASK.exec(m[2]);
    if (task) return `${m[1]}${task[1] === ' ' ? '☐' : '☑'} ${inlineToWhatsApp(task[2])}`;
    return `${m[1]}• ${inlineToWhatsApp(m[2])}`;
  }
  m = ORDERED.exec(line);
  if (m) return `${m[1]}${m[2]}. ${inlineToWhatsApp(m[3])}`;
  return inlineToWhatsApp(line);
}

export function markdownToWhatsApp(md: string): string {
  const out: string[] = [];
  let fence: string | undefined;
  for (const line of md.replace(/\r\n?/g, '\n').split('\n')) {
    if (fence !== undefined) {
      // Closed only by the same character, at least as many times, and nothing else on the line.
      const closes = new RegExp(`^ {0,3}\\${fence[0]}{${fence.length},}[ \\t]*$`).test(line);
      out.push(closes ? '```' : line);
      if (closes) fence = undefined;
      continue;
    }
    const open = FENCE_OPEN.exec(line);
    // A backtick in the info string means it is inline code (```x```), not a fence.
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = open[1];
      out.push('```');
      continue;
    }
    const converted = blockLine(line);
    // Paragraph gaps stay, but runs of blank lines collapse to one.
    if (converted === '' && out.length > 0 && out[out.length - 1] === '') continue;
    out.push(converted);
  }
  if (fence !== undefined) out.push('```');
  return out.join('\n').replace(/^\n+|\n+$/g, '');
}
