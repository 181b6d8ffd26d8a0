import type { ChoiceOption } from './input-state';

/** `1. Option` lines, the numbers the user answers with. */
export function numberedList(options: readonly ChoiceOption[]): string {
  return options.map((o, i) => `${i + 1}. ${o.label}`).join('\n');
}
