import { FlowFailedError } from '../bots/ports';

/**
 * Whether a failed call may be sent again. `safe`: Typebot cannot have acted on it (it refused it before
 * handling, or never received it). `unsafe`: it may have (a timeout, a gateway timeout, a connection cut
 * after the request went out): Typebot finishes a continueChat whose caller stopped waiting, so sending the
 * same answer again would feed it to the next question.
 */
export type Resend = 'safe' | 'unsafe';

/** A Typebot call that failed in a way that may pass (an outage, a rate limit, a slow answer). */
export class TypebotUnavailableError extends FlowFailedError {
  constructor(
    message: string,
    status: number | undefined,
    readonly resend: Resend,
    /** What the server asked for with Retry-After, when it did. */
    readonly retryAfterMs?: number,
  ) {
    super(message, status);
    this.name = 'TypebotUnavailableError';
  }
}

/**
 * Statuses Typebot (or the proxy in front of it) answers without having changed the session:
 * 408 (the request never arrived whole), 429 (refused before handling, RFC 6585 §4), 500 (Typebot's
 * continueChat saves the session only after computing the whole turn: packages/bot-engine/src/api/
 * handleContinueChat.ts), 502/503 (the proxy found no Typebot to hand it to). A 504 is a proxy that
 * stopped waiting while Typebot may still be working on it.
 */
const SAFE_STATUSES = new Set([408, 429, 500, 502, 503]);
const UNSAFE_STATUSES = new Set([504]);
/** Connection errors raised before a request could reach Typebot. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export function resendForStatus(status: number): Resend | undefined {
  if (SAFE_STATUSES.has(status)) return 'safe';
  if (UNSAFE_STATUSES.has(status)) return 'unsafe';
  return undefined;
}

/** Any connection failure passes (it is retried); only these are known not to have reached Typebot. */
export function resendForCode(code: string | undefined): Resend {
  return NOT_SENT_CODES.has(code ?? '') ? 'safe' : 'unsafe';
}
