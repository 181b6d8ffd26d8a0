export class UnknownSessionError extends Error {
  constructor(readonly sessionId: string) {
    super(`no session "${sessionId}" is configured`);
    this.name = 'UnknownSessionError';
  }
}

/** Pairing and logout happen on the daemon that runs the session. `status` makes the HTTP answer a 409. */
export class SessionNotOwnedError extends Error {
  readonly status = 409;
  constructor(
    readonly sessionId: string,
    readonly ownerId: string | undefined,
  ) {
    super(
      ownerId
        ? `session ${sessionId} runs on daemon ${ownerId}: use that daemon's admin API`
        : `session ${sessionId} does not run on this daemon yet (waiting for its lease)`,
    );
    this.name = 'SessionNotOwnedError';
  }
}
