/**
 * The seam between the bot runner (core) and a flow engine (Typebot). Core only sees these neutral
 * shapes: a flow turn is what to show the user and what is awaited next; the adapter owns the wire
 * format, the rendering to WhatsApp text and the mapping of a user's answer to what the flow accepts.
 */
import type { CatalogKey } from '../core/catalog';
import type { AwaitedInput, BotOutput } from '../core/bot-turn';

export type { AwaitedInput, BotOutput } from '../core/bot-turn';

export interface FlowTurn {
  outputs: BotOutput[];
  /** Absent when the flow ended. */
  input?: AwaitedInput;
  /** The flow asked for a continue call with no user answer (a `wait` with `expectsDedicatedReply`). */
  continueWithoutAnswer?: boolean;
}

export interface FlowStart {
  flowSessionId: string;
  resultId?: string;
  /** The flow's own id (Typebot's `typebot.id`), for reading its results after completion. */
  flowId?: string;
  turn: FlowTurn;
}

/** A user's answer: text, and files already stored by Ponte and reachable at `url`. */
export interface UserAnswer {
  text?: string;
  files?: Array<{ url: string; mimetype?: string; filename?: string }>;
}

export type AnswerOutcome =
  /** Sent to the flow; `answer` is the value the flow took (for Ponte's record of the answers). */
  | { accepted: true; turn: FlowTurn; answer: string }
  /** Refused by Ponte before reaching the flow (no option matched, a file expected, ...): tell the user. */
  | { accepted: false; hint: CatalogKey; outputs: BotOutput[] };

export interface StartContext {
  phone?: string;
  name?: string;
  session: string;
  /** The user's first message (a keyword trigger), when the flow should see it. */
  message?: string;
  /** Values for the flow's variables given by whoever started it (an admin's start for a number); they win over the configured ones. */
  variables?: Record<string, string>;
}

/** Raised when the flow session is gone (Typebot 404: unknown, completed or expired). */
export class FlowGoneError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FlowGoneError';
  }
}

/** Raised when the flow engine fails (5xx, closed bot, network): the conversation goes to a human. */
export class FlowFailedError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FlowFailedError';
  }
}

/** A flow engine (one per configured bot). */
export interface BotFlows {
  start(ctx: StartContext): Promise<FlowStart>;
  answer(flowSessionId: string, input: AwaitedInput, answer: UserAnswer): Promise<AnswerOutcome>;
  /** A continue call with no answer (after a `wait` that expects one). */
  resume(flowSessionId: string): Promise<FlowTurn>;
}

/** A completed flow's variables by name (Typebot's results API). */
export interface FlowResults {
  variables(flowId: string, resultId: string): Promise<Record<string, string>>;
}
