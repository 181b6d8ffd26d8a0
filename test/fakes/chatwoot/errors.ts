import type { RejectionKind } from './types';

/**
 * Thrown by handlers to answer with Chatwoot's own error shapes; the app turns it into the HTTP response
 * and records it in rejections() so tests can prove the bridge never sends what the real server refuses.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly kind: RejectionKind,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Rails' RecordNotFound handler: `{error: 'Resource could not be found'}`. */
export function notFound(reason: string): HttpError {
  return new HttpError(404, { error: 'Resource could not be found' }, 'not_found', reason);
}

/** Model validation failures rendered by the contacts controller as `{message, attributes}`. */
export function recordInvalid(messages: string[], attributes: string[], kind: RejectionKind = 'validation'): HttpError {
  const message = messages.join(', ');
  return new HttpError(422, { message, attributes }, kind, message);
}

/** Controllers that rescue StandardError answer `render_could_not_create_error(e.message)`. */
export function couldNotCreate(error: string, kind: RejectionKind = 'validation'): HttpError {
  return new HttpError(422, { error }, kind, error);
}
