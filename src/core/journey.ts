/**
 * A message's journey: the short timeline support reads when someone asks "where is that message?"
 * (`ponte messages show`). The relays and the lanes note steps through this port; the store keeps them
 * (store/journeys.ts). Steps never carry message text; phone numbers in them are masked by the store.
 */

/** Which side a message came from: its journey is kept under that side's id. */
export type JourneyDirection = 'from-whatsapp' | 'from-agents';

/**
 * A message: a WhatsApp id (`wa`) for one from WhatsApp (or a reaction, edit, deletion, call of it), a
 * Chatwoot message id (`cw`) for an agent's.
 */
export interface JourneyRef {
  side: 'wa' | 'cw';
  id: string;
}

/** How a message reached Ponte. */
export type JourneyVia = 'engine' | 'catch-up' | 'webhook' | 'websocket' | 'poll';

export type JourneyStep =
  /** Taken in and persisted in its lane (`via`: which intake). `chat` and `phone` index it for `messages find`. */
  | { step: 'received'; via: JourneyVia; session: string; kind?: string; chat?: string; phone?: string; lane: string }
  /** The same message again (a second intake, a re-delivery): nothing queued twice. */
  | { step: 'duplicate'; via: JourneyVia; session: string }
  /** A try that failed: retried in `retryInMs` (lanes' backoff). */
  | { step: 'attempt-failed'; attempt: number; reason: string; retryInMs: number }
  /** Posted to Chatwoot (or found there from an earlier try: `found`). */
  | { step: 'posted'; chatwoot: number; conversation: number; found?: boolean; phone?: string; chat?: string }
  /** A part sent to WhatsApp (or found in the chat after an attempt whose outcome was unknown: `adopted`). */
  | { step: 'sent'; whatsapp: string; part: number; adopted?: boolean; chat?: string }
  /** Done already by an earlier attempt or daemon: nothing sent or posted again. */
  | { step: 'already-done' }
  /** Not relayed on purpose (a group when groups are ignored, the echo of our own send, ...). */
  | { step: 'skipped'; reason: string }
  /** A WhatsApp tick of one part (`whatsapp`): the status Chatwoot shows on the message. */
  | { step: 'tick'; status: 'sent' | 'delivered' | 'read' | 'failed'; whatsapp: string }
  /** Out of attempts, or failing for good: in the dead letters until replayed. */
  | { step: 'dead-letter'; reason: string; attempts: number; queue: string; deadLetterId: string }
  /** Put back in its lane from the dead letters. */
  | { step: 'replayed'; queue: string; deadLetterId: string }
  /** An agent deleted it: what WhatsApp did. */
  | { step: 'deleted'; outcome: 'everyone' | 'me-only' | 'unsupported' };

export type JourneyStepName = JourneyStep['step'];

/** Where steps go. `note` returns at once and never throws: a journey is never worth a failed relay. */
export interface JourneyLog {
  note(ref: JourneyRef, step: JourneyStep): void;
}

/** With `journeys.enabled: false`, and in tests that do not look at journeys. */
export const noJourney: JourneyLog = { note: () => undefined };

/** The journey of a lane item, for the lanes' own steps (attempts, dead letters, replays). */
export type JourneyOf<T> = (data: T) => JourneyRef | undefined;
