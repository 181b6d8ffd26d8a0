import type { OrpcErrorBody, RejectionKind } from './types';

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  408: 'TIMEOUT',
  409: 'CONFLICT',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

/** The JSON oRPC's OpenAPIHandler renders for an ORPCError (`defined` is false: Typebot declares no error maps). */
export function orpcBody(status: number, message: string, data?: unknown): OrpcErrorBody {
  const body: OrpcErrorBody = { defined: false, code: CODE_BY_STATUS[status] ?? 'INTERNAL_SERVER_ERROR', status, message };
  if (data !== undefined) body.data = data;
  return body;
}

/** Thrown by handlers; the app answers it and records it in `rejections`. */
export class TypebotHttpError extends Error {
  readonly body: OrpcErrorBody;

  constructor(
    readonly status: number,
    message: string,
    readonly kind: RejectionKind,
    readonly reason = message,
    data?: unknown,
  ) {
    super(reason);
    this.body = orpcBody(status, message, data);
  }
}

export const sessionNotFound = (id: string): TypebotHttpError =>
  new TypebotHttpError(404, 'Session not found.', 'session_not_found', `no live session '${id}' (unknown, or deleted when its flow ended)`);

export const sessionExpired = (id: string): TypebotHttpError =>
  new TypebotHttpError(
    404,
    'Session expired. You need to start a new session.',
    'session_expired',
    `session '${id}' was expired by the test`,
  );
