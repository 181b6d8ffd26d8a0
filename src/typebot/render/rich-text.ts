import type { SlateNode } from '../chat-api-types';
import { displayUrl, formatLink, sameTarget } from './urls';

/*
 * Typebot rich text (Slate) -> WhatsApp text, like Typebot's own WhatsApp runtime
 * (convertRichTextToMarkdown with the "whatsapp" flavour): *bold*, _italic_, ~strike~, underline dropped,
 * links as `text (url)`. Each `p` is a line and an empty `p` a blank line (the editor makes every line
 * break a paragraph).
 *
 * WhatsApp only formats when a marker touches text on its inner side (`*bold*`, never `*bold *`), so
 * markers are placed around words: a mark closes before the whitespace that ends it and opens after the
 * whitespace that starts it. Marks never span lines, WhatsApp would not honour them.
 */

type Mark = 'bold' | 'italic' | 'strike' | 'code';
const MARKS: readonly Mark[] = ['bold', 'italic', 'strike', 'code'];
const MARKER: Record<Mark, string> = { bold: '*', italic: '_', strike: '~', code: '```' };

const BLOCK_TYPES = new Set([
  'p',
  'paragraph',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'ul',
  'ol',
  'li',
  'lic',
  'code_block',
  'code_line',
  'hr',
]);
const HEADINGS = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);

const isText = (n: SlateNode): boolean => typeof n.text === 'string' && !Array.isArray(n.children);
const isBlock = (n: SlateNode): boolean =>
  !isText(n) && ((typeof n.type === 'string' && BLOCK_TYPES.has(n.type)) || (n.children ?? []).some(isBlock));

function marksOf(leaf: SlateNode, inherited: readonly Mark[]): Mark[] {
  const own = new Set<Mark>(inherited);
  if (leaf.bold) own.add('bold');
  if (leaf.italic) own.add('italic');
  if (leaf.strikethrough || leaf.strike) own.add('strike');
  if (leaf.code) own.add('code');
  return MARKS.filter((m) => own.has(m));
}

/**
 * CommonMark left inside plain text (a flow variable holding an AI answer is inserted as-is) is turned
 * into its WhatsApp form where that is unambiguous. A single `*x*` is left alone: authors writing for
 * WhatsApp type `*bold*` straight into a bubble, and Typebot's own runtime keeps it bold.
 */
function softenMarkdown(text: string): string {
  return text
    .replace(/\[([^\]\n]*)\]\((https?:\/\/[^\s)]+)\)/g, (_m, label: string, url: string) => formatLink(label, url))
    .replace(/(?<![\p{L}\p{N}*])\*\*(?=\S)([^\n]+?)(?<=\S)\*\*(?![\p{L}\p{N}*])/gu, '*$1*')
    .replace(/(?<![\p{L}\p{N}~])~~(?=\S)([^\n]+?)(?<=\S)~~(?![\p{L}\p{N}~])/gu, '~$1~');
}

/** Writes words with their marks, deciding where each marker goes. */
class InlineWriter {
  private out = '';
  private open: Mark[] = [];
  private pendingSpace = '';

  write(text: string, marks: readonly Mark[]): void {
    for (const token of text.match(/\n|[^\S\n]+|\S+/g) ?? []) {
      if (token === '\n') {
        this.closeAllBut([]);
        this.pendingSpace = '';
        this.out += '\n';
      } else if (/^\s+$/.test(token)) {
        this.pendingSpace += token;
      } else {
        this.closeAllBut(marks);
        this.out += this.pendingSpace;
        this.pendingSpace = '';
        for (const m of marks) {
          if (this.open.includes(m)) continue;
          this.out += MARKER[m];
          this.open.push(m);
        }
        this.out += token;
      }
    }
  }

  /** Closes (innermost first) every open mark from the first one not wanted any more. */
  private closeAllBut(wanted: readonly Mark[]): void {
    let keep = 0;
    while (keep < this.open.length && wanted.includes(this.open[keep])) keep++;
    for (let i = this.open.length - 1; i >= keep; i--) this.out += MARKER[this.open[i]];
    this.open.length = keep;
  }

  finish(): string {
    this.closeAllBut([]);
    return this.out;
  }
}

function plainText(nodes: SlateNode[]): string {
  return nodes.map((n) => (isText(n) ? (n.text ?? '') : plainText(n.children ?? []))).join('');
}

function writeInline(w: InlineWriter, nodes: SlateNode[], inherited: readonly Mark[]): void {
  for (const node of nodes) {
    if (isText(node)) {
      const marks = marksOf(node, inherited);
      w.write(marks.length === 0 ? softenMarkdown(node.text ?? '') : (node.text ?? ''), marks);
      continue;
    }
    const children = node.children ?? [];
    if ((node.type === 'a' || node.type === 'link') && typeof node.url === 'string' && node.url.trim()) {
      const label = plainText(children);
      // The URL is written without marks: a marker glued to it would become part of the link.
      if (label.trim() === '' || sameTarget(label, node.url)) {
        w.write(displayUrl(node.url), []);
      } else {
        writeInline(w, children, inherited);
        w.write(` (${displayUrl(node.url)})`, []);
      }
      continue;
    }
    writeInline(w, children, inherited);
  }
}

/** The lines an inline run makes (leaves may hold line breaks, e.g. a multi-line variable). */
function inlineLines(nodes: SlateNode[], inherited: readonly Mark[] = []): string[] {
  const w = new InlineWriter();
  writeInline(w, nodes, inherited);
  return w
    .finish()
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''));
}

function listLines(list: SlateNode, depth: number): string[] {
  const ordered = list.type === 'ol';
  let n = typeof list.start === 'number' ? list.start : 1;
  const out: string[] = [];
  for (const li of list.children ?? []) {
    const bullet = ordered ? `${n++}. ` : '• ';
    const pad = '  '.repeat(depth);
    const children = li.type === 'li' ? (li.children ?? []) : [li];
    let first = true;
    for (const child of children) {
      if (child.type === 'ul' || child.type === 'ol') {
        out.push(...listLines(child, depth + 1));
        continue;
      }
      const lines = isBlock(child) ? blockLines([child], depth) : inlineLines([child]);
      for (const line of lines) {
        out.push(first ? `${pad}${bullet}${line}` : `${pad}${' '.repeat(bullet.length)}${line}`);
        first = false;
      }
    }
    if (first) out.push(`${pad}${bullet}`.trimEnd());
  }
  return out;
}

/** Plate's indent lists: list items are paragraphs carrying `listStyleType` and `indent`. */
function indentListPrefix(node: SlateNode, counters: Map<number, number>): string | undefined {
  const style = node.listStyleType;
  if (typeof style !== 'string') return undefined;
  const indent = typeof node.indent === 'number' ? node.indent : 1;
  const pad = '  '.repeat(Math.max(0, indent - 1));
  if (style !== 'decimal') return `${pad}• `;
  const n = typeof node.listStart === 'number' ? node.listStart : (counters.get(indent) ?? 0) + 1;
  counters.set(indent, n);
  return `${pad}${n}. `;
}

function blockLines(nodes: SlateNode[], depth = 0): string[] {
  const out: string[] = [];
  const counters = new Map<number, number>();
  for (const node of nodes) {
    if (isText(node) || !isBlock(node)) {
      out.push(...inlineLines([node]));
      continue;
    }
    const children = node.children ?? [];
    const type = node.type ?? '';
    if (type === 'ul' || type === 'ol') {
      out.push(...listLines(node, depth));
    } else if (HEADINGS.has(type)) {
      out.push(...inlineLines(children, ['bold']));
    } else if (type === 'blockquote') {
      const quoted = children.some(isBlock) ? blockLines(children, depth) : inlineLines(children);
      out.push(...quoted.map((l) => (l ? `> ${l}` : '>')));
    } else if (type === 'code_block') {
      out.push('```', ...children.map((c) => plainText([c])), '```');
    } else if (type === 'hr') {
      out.push('---');
    } else if (children.some(isBlock)) {
      out.push(...blockLines(children, depth));
    } else {
      const prefix = indentListPrefix(node, counters);
      if (prefix === undefined) counters.clear();
      const lines = inlineLines(children);
      out.push(...(prefix === undefined ? lines : lines.map((l, i) => (i === 0 ? prefix + l : ' '.repeat(prefix.length) + l))));
    }
  }
  return out;
}

export function richTextToWhatsApp(nodes: SlateNode[] | undefined): string {
  if (!Array.isArray(nodes)) return '';
  const lines = blockLines(nodes);
  while (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  return lines.join('\n');
}
