/** A send that did not answer within its deadline: it may or may not have reached WhatsApp. */
export class SendDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`WhatsApp did not answer the send within ${deadlineMs} ms (its outcome is unknown)`);
    this.name = 'SendDeadlineError';
  }
}

/**
 * `send` bounded by `deadlineMs`. wa-js waits for the server ack with no time limit (issue 1187), so a
 * send can stay pending for ever; its answer, if it comes after the deadline, goes to `late`.
 */
export function withDeadline<T>(send: Promise<T>, deadlineMs: number, late: (value: T) => void): Promise<T> {
  // The schema allows 0: read as "no deadline" rather than "every send times out".
  if (deadlineMs <= 0) return send;
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new SendDeadlineError(deadlineMs));
    }, deadlineMs);
  });
  send.then(
    (value) => {
      if (timedOut) late(value);
    },
    () => undefined,
  );
  return Promise.race([send, deadline]).finally(() => clearTimeout(timer));
}
