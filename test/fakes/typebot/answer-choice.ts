import type { CompiledItem } from './flow-compiler';

/** Typebot sorts by content length so the longest label wins when several could match. */
const label = (item: CompiledItem): string => item.content ?? item.title ?? '';
const byLabelLength = (items: CompiledItem[]): CompiledItem[] => [...items].sort((a, b) => label(b).length - label(a).length);

export const itemContent = (item: CompiledItem): string => item.value ?? item.content ?? item.title ?? item.pictureSrc ?? item.id;

/**
 * Single choice (parseSingleChoiceReply): the button's replyId, the item id, its value or its exact content.
 * An index ("1") is NOT accepted; that is the bridge's job to translate.
 */
export function matchSingleChoice(items: CompiledItem[], text: string, replyId?: string): CompiledItem | undefined {
  if (replyId !== undefined) {
    const byReply = items.find((i) => i.id === replyId);
    if (byReply) return byReply;
  }
  const t = text.trim();
  return byLabelLength(items).find(
    (i) => i.id === text || (i.value !== undefined && t === i.value.trim()) || (label(i) !== '' && t === label(i).trim()),
  );
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const isolated = (input: string, word: string): boolean => new RegExp(`\\b${escape(word)}\\b`).test(input);

/**
 * Multiple choice (parseMultipleChoiceReply): ids, then values, then contents, then 1-based indexes, each
 * consumed from the reply as a whole word. The content is the matched items in flow order, joined by ", ".
 */
export function matchMultipleChoice(items: CompiledItem[], reply: string): CompiledItem[] {
  let remaining = reply;
  const left = byLabelLength(items);
  const matched = new Set<string>();
  const consume = (item: CompiledItem, word: string): void => {
    remaining = remaining.replace(word, '').trim();
    matched.add(item.id);
    left.splice(left.indexOf(item), 1);
  };
  for (const pick of [(i: CompiledItem) => i.id, (i: CompiledItem) => i.value, (i: CompiledItem) => label(i) || undefined]) {
    for (const item of [...left]) {
      const word = pick(item);
      if (word && isolated(remaining, word)) consume(item, word);
    }
  }
  items.forEach((item, idx) => {
    const word = String(idx + 1);
    if (left.includes(item) && isolated(remaining, word)) consume(item, word);
  });
  return items.filter((i) => matched.has(i.id));
}
