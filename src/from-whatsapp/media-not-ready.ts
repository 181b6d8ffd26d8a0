import type { MediaNotReadyError } from '../engines/types';
import { NotYetError, RetryableError } from '../queue/errors';

/**
 * How long media the phone is re-uploading is waited for without counting attempts. A phone that is
 * online re-uploads within seconds to minutes; past this the usual retries (and dead letter) apply.
 */
export const MEDIA_REUPLOAD_WAIT_MS = 15 * 60_000;
const FIRST_LOOK_MS = 1_000;
const LONGEST_LOOK_MS = 30_000;

/**
 * Media still re-uploading (whatsapp-web.js REUPLOADING) is "try again later", never "gone": the chat's
 * lane waits for it (order kept) without spending attempts, looking again less often as time goes by.
 */
export function mediaNotReady(err: MediaNotReadyError, receivedAt: number): Error {
  const waited = Date.now() - receivedAt;
  if (waited < MEDIA_REUPLOAD_WAIT_MS)
    return new NotYetError(err.message, Math.min(LONGEST_LOOK_MS, Math.max(FIRST_LOOK_MS, Math.round(waited / 10))));
  return new RetryableError(`${err.message} (still not available after ${Math.round(waited / 60_000)} min)`, LONGEST_LOOK_MS);
}
