import type { WppClient } from './library';
import type { RawJson } from './normalise';
import { pageMediaStage } from './page-calls';
import { withTimeout } from '../../core/timeout';
import { describeError } from './util';

export type MediaResult =
  | { status: 'ok'; data: Buffer }
  | { status: 'gone'; reason: string }
  /** The phone is uploading it again: try again later. */
  | { status: 'later'; reason: string }
  | { status: 'failed'; reason: string };

/** decryptFile's request has no timeout of its own; a stalled CDN download must not hold a relay worker. */
const DOWNLOAD_TIMEOUT_MS = 180_000;

/**
 * The bytes of a media message. `decryptFile` downloads from WhatsApp's CDN and decrypts in Node (no
 * base64 round trip through the page); when the CDN copy has expired, WhatsApp Web's own download asks
 * the phone to upload it again (wa-js `downloadMedia`, `rmrReason`). That does not wait for the upload:
 * wa-js answers "media_not_found" while the message's media stage is REUPLOADING, which is "later", not
 * "gone". Only when both fail otherwise is the media gone.
 */
export async function fetchMedia(client: WppClient, messageId: string): Promise<MediaResult> {
  let raw: RawJson | undefined;
  try {
    raw = (await client.getMessageById(messageId)) as unknown as RawJson | undefined;
  } catch (err) {
    if (isNotFound(err)) return { status: 'gone', reason: 'the message is no longer in WhatsApp Web' };
    return { status: 'failed', reason: `looking the message up failed: ${describeError(err)}` };
  }
  if (!raw || raw.erro === true) return { status: 'gone', reason: 'the message is no longer in WhatsApp Web' };
  if (raw.type === 'revoked') return { status: 'gone', reason: 'the message was deleted' };
  const url = raw.clientUrl ?? raw.deprecatedMms3Url;
  if (typeof url === 'string' && url && typeof raw.mediaKey === 'string' && raw.mediaKey) {
    try {
      const data = await withTimeout(client.decryptFile(withKeyType(raw) as never), DOWNLOAD_TIMEOUT_MS);
      return { status: 'ok', data: trimmed(data, raw.size) };
    } catch {
      // expired on the CDN (404/410) or unreachable: WhatsApp Web may still get it from the phone
    }
  }
  try {
    // A data URL: decoded from past its comma (a slice shares the text; a replace would copy all of it).
    const text = String(await client.downloadMedia(messageId));
    const data = Buffer.from(text.startsWith('data:') ? text.slice(text.indexOf(',') + 1) : text, 'base64');
    if (data.length) return { status: 'ok', data };
    return { status: 'gone', reason: 'WhatsApp Web returned no bytes' };
  } catch (err) {
    if (pageBroken(err)) return { status: 'failed', reason: `WhatsApp Web did not answer: ${describeError(err)}` };
    const stage = await pageMediaStage(client, messageId).catch(() => null);
    if (stage === 'REUPLOADING') return { status: 'later', reason: 'the phone is uploading it again' };
    return { status: 'gone', reason: `neither WhatsApp's servers nor the phone have it any more (${describeError(err)})` };
  }
}

/**
 * decryptFile derives the decryption key from the message type through its own table (decrypt.js
 * `mediaTypes`), which has no `ptv`: a round video note would "decrypt" to noise without an error.
 * WhatsApp encrypts it with the video keys.
 */
function withKeyType(raw: RawJson): RawJson {
  return raw.type === 'ptv' ? { ...raw, type: 'video' } : raw;
}

/**
 * decryptFile drops the final cipher block's padding only when the size is not a multiple of 16; a
 * file of 16·n bytes would come back with 16 bytes of padding. The message states the true size.
 */
function trimmed(data: Buffer, size: unknown): Buffer {
  const n = Number(size);
  return Number.isInteger(n) && n > 0 && data.length > n ? data.subarray(0, n) : data;
}

/** The browser side failing (crash, navigation) says nothing about the media. */
function pageBroken(err: unknown): boolean {
  return /target closed|session closed|protocol error|execution context|detached|timed out|no answer within/i.test(describeError(err));
}

function isNotFound(err: unknown): boolean {
  return /not found|no message|msg.*not.*exist|invalid.*id/i.test(describeError(err));
}
