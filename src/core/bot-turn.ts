/**
 * What a bot turn shows the user and what it waits for next: the neutral shapes the bot runner, the flow
 * engine (bots/ports.ts) and the bot state Redis keeps (store/bot-state.ts) share.
 */

/** One thing to show the user, in order. */
export type BotOutput =
  | { kind: 'text'; text: string }
  | { kind: 'media'; mediaKind: 'image' | 'video' | 'audio' | 'document'; url: string; filename?: string; caption?: string }
  /** A pause the flow asked for (already capped by the adapter). */
  | { kind: 'wait'; ms: number };

/** What the flow waits for. `state` is the adapter's own (serialisable) view of the input, kept in Redis. */
export interface AwaitedInput {
  /** Typebot's input type, for logs and metrics (`choice input`, `file input`, ...). */
  type: string;
  /** A plain-text answer is expected (bursts of quick messages are joined into one answer). */
  text: boolean;
  /** Files are accepted (WhatsApp media is offered to the flow as a URL Ponte serves). */
  files: boolean;
  state: unknown;
}
