/**
 * Typebot text bubbles are Slate trees (CONTRACTS.md "Responses"): one `p` per line, marks bold/italic/underline
 * on leaves, `a` with url, `ol`/`ul` > `li` > `lic` for lists.
 */
export interface SlateText {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
}

export interface SlateElement {
  type: 'p' | 'a' | 'ol' | 'ul' | 'li' | 'lic';
  url?: string;
  children: SlateNode[];
}

export type SlateNode = SlateElement | SlateText;

type Marks = Pick<SlateText, 'bold' | 'italic' | 'underline'>;

// `{{Var}}` comes first so the underscores of variable names are never read as italics.
const INLINE = /(\{\{[^}]+\}\})|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*|\*(.+?)\*|__(.+?)__|_(.+?)_/;

function inline(src: string, marks: Marks = {}): SlateNode[] {
  const out: SlateNode[] = [];
  let rest = src;
  while (rest.length > 0) {
    const m = INLINE.exec(rest);
    if (!m) {
      out.push({ text: rest, ...marks });
      break;
    }
    if (m.index > 0) out.push({ text: rest.slice(0, m.index), ...marks });
    if (m[1] !== undefined) out.push({ text: m[1], ...marks });
    else if (m[2] !== undefined) out.push({ type: 'a', url: m[3], children: inline(m[2], marks) });
    else if (m[4] !== undefined || m[5] !== undefined) out.push(...inline(m[4] ?? m[5], { ...marks, bold: true }));
    else if (m[6] !== undefined) out.push(...inline(m[6], { ...marks, underline: true }));
    else out.push(...inline(m[7], { ...marks, italic: true }));
    rest = rest.slice(m.index + m[0].length);
  }
  return out.length > 0 ? out : [{ text: '', ...marks }];
}

const BULLET = /^- (.*)$/;
const NUMBERED = /^\d+\. (.*)$/;

/**
 * Small markdown-ish source to Slate: `*bold*` or `**bold**`, `_italic_`, `__underline__`, `[text](url)`,
 * `- item` / `1. item` lists, one `p` per line (an empty line is an empty `p`, like the Typebot editor).
 * `{{Var}}` stays literal and is replaced by the variable's value when the bubble is sent.
 */
export function richText(source: string): SlateElement[] {
  const out: SlateElement[] = [];
  for (const line of source.split('\n')) {
    const listKind = BULLET.test(line) ? 'ul' : NUMBERED.test(line) ? 'ol' : undefined;
    if (!listKind) {
      out.push({ type: 'p', children: inline(line) });
      continue;
    }
    const item = (line.match(listKind === 'ul' ? BULLET : NUMBERED) as RegExpMatchArray)[1];
    const li: SlateElement = { type: 'li', children: [{ type: 'lic', children: inline(item) }] };
    const last = out[out.length - 1];
    if (last?.type === listKind) last.children.push(li);
    else out.push({ type: listKind, children: [li] });
  }
  return out;
}

const isElement = (n: SlateNode): n is SlateElement => 'children' in n;

export type VariableValue = string | string[];

/** Typebot replaces `{{Name}}` with the value (lists joined by ", ") and unknown or empty variables with "". */
export function substitute(text: string, vars: ReadonlyMap<string, VariableValue>): string {
  return text.replace(/\{\{([^}]+)\}\}/g, (_m, name: string) => {
    const v = vars.get(name.trim());
    return v === undefined ? '' : Array.isArray(v) ? v.join(', ') : v;
  });
}

export function substituteInSlate(nodes: SlateNode[], vars: ReadonlyMap<string, VariableValue>): SlateNode[] {
  // A malformed tree goes out as it is, for the OpenAPI check to report it.
  if (!Array.isArray(nodes)) return nodes;
  return nodes.map((n) => {
    if (!isElement(n)) return { ...n, text: substitute(n.text, vars) };
    const copy: SlateElement = { ...n, children: substituteInSlate(n.children, vars) };
    if (n.url !== undefined) copy.url = substitute(n.url, vars);
    return copy;
  });
}

function leafToMarkdown(leaf: SlateText): string {
  if (leaf.text === '') return '';
  const wrap = leaf.bold && leaf.italic ? '***' : leaf.bold ? '**' : leaf.italic ? '*' : '';
  // Plate's markdown serializer has no underline syntax; the mark is dropped.
  return `${wrap}${leaf.text}${wrap}`;
}

function inlineToMarkdown(nodes: SlateNode[]): string {
  return nodes
    .map((n) => {
      if (!isElement(n)) return leafToMarkdown(n);
      if (n.type === 'a') return `[${inlineToMarkdown(n.children)}](${n.url ?? ''})`;
      return inlineToMarkdown(n.children);
    })
    .join('');
}

function listLines(list: SlateElement): string[] {
  return list.children.filter(isElement).map((li, i) => {
    const bullet = list.type === 'ol' ? `${i + 1}. ` : '- ';
    return bullet + li.children.map((c) => (isElement(c) ? inlineToMarkdown(c.children) : leafToMarkdown(c))).join('');
  });
}

/** The `markdown` text format (CommonMark): paragraphs are joined by single newlines, as Typebot does. */
export function slateToMarkdown(nodes: SlateElement[]): string {
  if (!Array.isArray(nodes)) throw new Error(`richText must be an array of Slate elements, got ${JSON.stringify(nodes)}`);
  const lines: string[] = [];
  for (const el of nodes) {
    if (el.type === 'ul' || el.type === 'ol') lines.push(...listLines(el));
    else lines.push(inlineToMarkdown(el.type === 'a' ? [el] : el.children));
  }
  return lines.join('\n');
}
