/**
 * Ponte's own snapshot of the input a flow waits for (`AwaitedInput.state`). It is stored in Redis as
 * JSON between turns and handed back with the user's answer, so it holds only plain data, carries a
 * version, and is checked when read back (a state written by an older Ponte must not crash a chat).
 */

/** One option of a choice, picture choice or cards input, in the order it was numbered for the user. */
export interface ChoiceOption {
  /** Item (or card path) id, sent as `metadata.replyId`: Typebot matches it before anything else. */
  id: string;
  /** What the user sees in the numbered list, and what their typed answer is matched against. */
  label: string;
  /** The text Typebot should receive, when not the label (a picture without title: its URL; a card path: its id). */
  reply?: string;
  /** What Typebot records for this option, when not `reply ?? label` (an item's internal value, a card's title). */
  value?: string;
}

export type InputState =
  | { v: 1; kind: 'choice'; multiple: boolean; options: ChoiceOption[] }
  | { v: 1; kind: 'rating'; min: number; max: number }
  | { v: 1; kind: 'file'; multiple: boolean; required: boolean; skipLabel: string }
  | { v: 1; kind: 'text'; attachments: boolean; audio: boolean }
  /** number, email, phone, url, date, time (and input types Ponte does not know): the text goes as is. */
  | { v: 1; kind: 'plain' }
  | { v: 1; kind: 'payment' };

const isObj = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);

function isOption(x: unknown): x is ChoiceOption {
  return (
    isObj(x) &&
    typeof x.id === 'string' &&
    typeof x.label === 'string' &&
    (x.reply === undefined || typeof x.reply === 'string') &&
    (x.value === undefined || typeof x.value === 'string')
  );
}

/** The state as Ponte wrote it, or undefined when it is not one (then the answer goes through as text). */
export function readInputState(raw: unknown): InputState | undefined {
  if (!isObj(raw) || raw.v !== 1) return undefined;
  switch (raw.kind) {
    case 'choice':
      return typeof raw.multiple === 'boolean' && Array.isArray(raw.options) && raw.options.every(isOption)
        ? (raw as InputState)
        : undefined;
    case 'rating':
      return typeof raw.min === 'number' && typeof raw.max === 'number' ? (raw as InputState) : undefined;
    case 'file':
      return typeof raw.multiple === 'boolean' && typeof raw.required === 'boolean' && typeof raw.skipLabel === 'string'
        ? (raw as InputState)
        : undefined;
    case 'text':
      return typeof raw.attachments === 'boolean' && typeof raw.audio === 'boolean' ? (raw as InputState) : undefined;
    case 'plain':
    case 'payment':
      return raw as InputState;
    default:
      return undefined;
  }
}
