/** Trigger and handoff-keyword matching: case, accents, punctuation and extra spaces do not matter. */
export type Trigger = 'always' | { keywords: string[] } | { label: string };

export function normalizeWords(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** A handoff keyword is the whole message ("Agente!", "humano"), not a word inside a sentence. */
export function isHandoffKeyword(text: string | undefined, keywords: string[]): boolean {
  if (!text) return false;
  const said = normalizeWords(text);
  return said.length > 0 && keywords.some((k) => normalizeWords(k) === said);
}

/** Whether a message (and the conversation's labels) starts a flow. */
export function triggerMatches(trigger: Trigger, text: string | undefined, labels: () => Promise<string[]>): Promise<boolean> {
  if (trigger === 'always') return Promise.resolve(true);
  if ('keywords' in trigger) {
    const said = ` ${normalizeWords(text ?? '')} `;
    return Promise.resolve(trigger.keywords.some((k) => said.includes(` ${normalizeWords(k)} `)));
  }
  return labels().then((list) => list.includes(trigger.label));
}
