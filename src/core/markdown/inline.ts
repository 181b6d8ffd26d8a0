import type { Token } from './parser';

/* Renders markdown-it inline tokens (the children of one paragraph or heading) as WhatsApp text. */

export interface InlineOptions {
  /** Headings are already bold; nested bold would close the heading's own `*`. */
  dropStrong?: boolean;
}

/** Index of the token closing the one at `open`, counting nested pairs of the same type. */
export function closing(tokens: Token[], open: number): number {
  const openType = tokens[open].type;
  const closeType = openType.replace(/_open$/, '_close');
  for (let j = open + 1, depth = 1; j < tokens.length; j++) {
    if (tokens[j].type === openType) depth++;
    else if (tokens[j].type === closeType && --depth === 0) return j;
  }
  return tokens.length;
}

/**
 * `***x***` parses as italic around bold; WhatsApp users (and the expected output) write bold
 * outside italic, `*_x_*`. Swaps the pair only when the two marks open and close together.
 */
function boldOutsideItalic(children: Token[]): Token[] {
  // Emphasis leaves the unused `*` of a run behind as empty text tokens between the marks.
  const tokens = children.filter((t) => !(t.type === 'text' && t.content === ''));
  for (let i = 0; i + 1 < tokens.length; i++) {
    if (tokens[i].type !== 'em_open' || tokens[i + 1].type !== 'strong_open') continue;
    const strongClose = closing(tokens, i + 1);
    if (tokens[strongClose + 1]?.type !== 'em_close') continue;
    [tokens[i], tokens[i + 1]] = [tokens[i + 1], tokens[i]];
    [tokens[strongClose], tokens[strongClose + 1]] = [tokens[strongClose + 1], tokens[strongClose]];
  }
  return tokens;
}

function sameTarget(label: string, url: string): boolean {
  const norm = (s: string): string =>
    s
      .trim()
      .replace(/^(https?:\/\/|mailto:)/i, '')
      .replace(/\/$/, '')
      .toLowerCase();
  return norm(label) === norm(url);
}

/** WhatsApp shows no hidden targets: a link becomes its text followed by the URL. */
function formatLink(label: string, url: string): string {
  const shown = url.replace(/^mailto:/i, '');
  // Chatwoot mentions ([@Jane](mention://user/2/Jane)) mean nothing outside Chatwoot.
  if (!url || /^mention:/i.test(url)) return label;
  if (label.trim() === '' || sameTarget(label, url)) return shown;
  return `${label} (${shown})`;
}

function textSpecial(token: Token): string {
  // &nbsp; becomes a plain space: users copy text back into forms, where U+00A0 breaks matching.
  return token.info === 'entity' && token.content === '\u00a0' ? ' ' : token.content;
}

function marker(token: Token, opts: InlineOptions): string {
  if (token.type.startsWith('strong_')) return opts.dropStrong ? '' : '*';
  if (token.type.startsWith('em_')) return '_';
  return '~'; // s_open / s_close
}

export function renderInline(children: Token[], opts: InlineOptions = {}): string {
  const tokens = boldOutsideItalic(children);
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'text_special':
        out += textSpecial(t);
        break;
      case 'softbreak':
      case 'hardbreak':
        out += '\n';
        break;
      case 'code_inline':
        out += '```' + t.content + '```';
        break;
      case 'strong_open':
      case 'strong_close':
      case 'em_open':
      case 'em_close':
      case 's_open':
      case 's_close':
        out += marker(t, opts);
        break;
      case 'link_open': {
        const close = closing(tokens, i);
        out += formatLink(renderInline(tokens.slice(i + 1, close), opts), String(t.attrGet('href') ?? ''));
        i = close;
        break;
      }
      case 'image':
        out += formatLink(renderInline(t.children ?? [], opts), String(t.attrGet('src') ?? ''));
        break;
      default:
        out += t.content;
    }
  }
  return out;
}
