import { closing, renderInline } from './inline';
import { parseMarkdown, type Token } from './parser';

/*
 * Chatwoot agent replies and Typebot bubbles (CommonMark) -> WhatsApp formatting.
 * markdown-it parses (parser.ts); this file walks its block tokens (paragraphs, headings, lists,
 * quotes, code) and inline.ts renders the text inside them. A blank line is written between two
 * blocks only where the source had one, so the message keeps the agent's layout, with runs of
 * blank lines collapsed to one.
 */

/** Rendered lines of one block, with the source lines it came from (markdown-it's `map`). */
interface Block {
  start: number;
  end: number;
  lines: string[];
}

const TASK = /^\[([ xX])\][ \t]+/;

function joinBlocks(blocks: Block[]): string[] {
  const lines: string[] = [];
  blocks.forEach((b, i) => {
    if (i > 0 && b.start > blocks[i - 1].end) lines.push('');
    lines.push(...b.lines);
  });
  return lines;
}

function container(tokens: Token[], open: number, lines: string[], blocks: Block[]): Block {
  const map = tokens[open].map ?? [0, 0];
  return { start: map[0], end: blocks.length ? blocks[blocks.length - 1].end : map[1], lines };
}

/**
 * A backslash before a newline is a hard break; at the end of a paragraph CommonMark keeps it as
 * a literal `\`, but the agent meant a break there too. An escaped `\\` is a separate token.
 */
function withoutTrailingBackslash(children: Token[]): Token[] {
  const last = children[children.length - 1];
  if (last?.type !== 'text' || !last.content.endsWith('\\')) return children;
  const trimmed = Object.assign(Object.create(Object.getPrototypeOf(last) as object) as Token, last);
  trimmed.content = last.content.slice(0, -1).replace(/[ \t]+$/, '');
  return [...children.slice(0, -1), trimmed];
}

function listItem(tokens: Token[], open: number, close: number, ordered: boolean): Block {
  const blocks = renderBlocks(tokens, open + 1, close);
  const lines = joinBlocks(blocks);
  const inline = tokens[open + 2];
  const task = !ordered && inline?.type === 'inline' ? TASK.exec(inline.content) : null;
  let marker = ordered ? `${tokens[open].info}. ` : '• ';
  if (task) {
    marker = task[1] === ' ' ? '☐ ' : '☑ ';
    lines[0] = lines[0].replace(TASK, '');
  }
  // Continuation lines line up under the item's text, as a nested list does in the source.
  const indent = ' '.repeat(marker.length);
  const out = lines.length ? lines.map((l, i) => (i === 0 ? marker + l : l ? indent + l : '')) : [marker.trimEnd()];
  return container(tokens, open, out, blocks);
}

function list(tokens: Token[], open: number, close: number): Block {
  const ordered = tokens[open].type === 'ordered_list_open';
  const items: Block[] = [];
  for (let i = open + 1; i < close; i++) {
    if (tokens[i].type !== 'list_item_open') continue;
    const itemClose = closing(tokens, i);
    items.push(listItem(tokens, i, itemClose, ordered));
    i = itemClose;
  }
  return container(tokens, open, joinBlocks(items), items);
}

function quote(tokens: Token[], open: number, close: number): Block {
  const blocks = renderBlocks(tokens, open + 1, close);
  const lines = joinBlocks(blocks).map((l) => (l ? `> ${l}` : '>'));
  return container(tokens, open, lines.length ? lines : ['>'], blocks);
}

function leaf(token: Token, lines: string[]): Block {
  const map = token.map ?? [0, 0];
  return { start: map[0], end: map[1], lines };
}

/** Renders the sibling blocks between `from` and `to` (exclusive). */
function renderBlocks(tokens: Token[], from: number, to: number): Block[] {
  const blocks: Block[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    switch (t.type) {
      case 'paragraph_open': {
        const text = renderInline(withoutTrailingBackslash(tokens[i + 1].children ?? []));
        blocks.push(leaf(t, text.split('\n')));
        i = closing(tokens, i);
        break;
      }
      case 'heading_open': {
        const text = renderInline(tokens[i + 1].children ?? [], { dropStrong: true });
        if (text) blocks.push(leaf(t, [`*${text}*`]));
        i = closing(tokens, i);
        break;
      }
      case 'hr':
        blocks.push(leaf(t, ['---']));
        break;
      case 'fence':
      case 'code_block':
        // The info string (```ts) is dropped: WhatsApp would show it as text.
        blocks.push(leaf(t, ['```', ...(t.content ? t.content.replace(/\n$/, '').split('\n') : []), '```']));
        break;
      case 'blockquote_open':
      case 'bullet_list_open':
      case 'ordered_list_open': {
        const close = closing(tokens, i);
        blocks.push(t.type === 'blockquote_open' ? quote(tokens, i, close) : list(tokens, i, close));
        i = close;
        break;
      }
      default:
        break;
    }
  }
  return blocks;
}

export function markdownToWhatsApp(md: string): string {
  const tokens = parseMarkdown(md);
  return joinBlocks(renderBlocks(tokens, 0, tokens.length)).join('\n');
}
