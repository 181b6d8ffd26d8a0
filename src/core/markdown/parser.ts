import MarkdownIt from 'markdown-it';

/*
 * The CommonMark parser behind markdownToWhatsApp, set up for chat text rather than web pages.
 * Only the tokens are used (md.parse); to-whatsapp.ts and inline.ts turn them into WhatsApp text.
 */
const md = new MarkdownIt('default', {
  // Raw HTML is not markup in a chat: `<b>` stays as typed. `<br>` is the one tag Chatwoot's editor
  // writes for a line break, handled by the rule below.
  html: false,
  // linkify-it keeps backslash escapes inside the URLs it finds (a\_b stays a\_b); bare URLs stay
  // text and the word-bound delimiters below keep their underscores from becoming italics.
  linkify: false,
  typographer: false,
});

// WhatsApp has no tables: a pipe table passes through as lines of text. text_join is off so
// entities and escapes stay text_special tokens, which the inline renderer tells apart (see there).
md.disable(['table', 'text_join']);

// URLs are shown as the agent wrote them, not percent-encoded for an href.
md.normalizeLink = (url) => url;
md.normalizeLinkText = (url) => url;

/*
 * CommonMark lets `*` and `~~` format inside a word (2*3*4, foo**bar**baz); WhatsApp does not, and
 * agents write arithmetic and identifiers. Every delimiter gets the rule CommonMark gives `_`:
 * a run that touches a letter or digit on its outer side neither opens nor closes.
 */
class WordBoundDelimiters extends md.inline.State {
  override scanDelims(start: number, _canSplitWord: boolean): ReturnType<MarkdownIt.StateInline['scanDelims']> {
    return super.scanDelims(start, false);
  }
}
md.inline.State = WordBoundDelimiters;

const HTML_LINE_BREAK = /^<br\s*\/?>/i;

md.inline.ruler.before('autolink', 'html_line_break', (state, silent) => {
  if (state.src.charCodeAt(state.pos) !== 0x3c /* < */) return false;
  const m = HTML_LINE_BREAK.exec(state.src.slice(state.pos, state.posMax));
  if (!m) return false;
  if (!silent) state.push('hardbreak', 'br', 0);
  state.pos += m[0].length;
  return true;
});

export type Token = MarkdownIt.Token;

// C0 controls have no meaning in a WhatsApp message (markdown-it would turn NUL into U+FFFD).
// eslint-disable-next-line no-control-regex -- control characters are what this matches
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

export function parseMarkdown(text: string): Token[] {
  return md.parse(text.replace(CONTROL_CHARS, ''), {});
}
