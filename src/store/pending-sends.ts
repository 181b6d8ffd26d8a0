import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { Keys } from './keys';
import { evalScript } from './scripts';

const PENDING_TTL_S = 600;

/**
 * Sends Ponte is making, registered before the engine is called. The engine reports our own sends
 * back as fromMe messages, sometimes before `send()` has returned the id, so the echo is recognised
 * by chat and content fingerprint, and by id once the id map has it.
 */
export class PendingSends {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Engines differ in how they report our media back (voice vs audio, filenames dropped): compare the class and the text. */
  static fingerprint(kind: string, text: string | undefined): string {
    const kindClass = ['image', 'video', 'audio', 'voice', 'document', 'sticker'].includes(kind) ? 'media' : kind;
    return createHash('sha1').update(`${kindClass}\n${(text ?? '').trim()}`).digest('hex').slice(0, 20);
  }

  async register(session: string, chatId: string, fingerprint: string): Promise<void> {
    const key = this.keys.pendingSend(session, `${chatId}:${fingerprint}`);
    await this.redis.multi().incr(key).expire(key, PENDING_TTL_S).exec();
  }

  /** The send failed: its echo will never come. */
  async cancel(session: string, chatId: string, fingerprint: string): Promise<void> {
    await this.consume(session, chatId, fingerprint);
  }

  /** True (and the registration used up) when a fromMe message matches a send of ours. */
  async consume(session: string, chatId: string, fingerprint: string): Promise<boolean> {
    const key = this.keys.pendingSend(session, `${chatId}:${fingerprint}`);
    const left = await evalScript(
      this.redis,
      `local n = tonumber(redis.call('get', KEYS[1]) or '0') if n > 0 then redis.call('decr', KEYS[1]) return 1 end return 0`,
      1,
      key,
    );
    return left === 1;
  }

  /** Marks a WhatsApp id as one of our sends (known once `send()` returned). */
  async markSent(session: string, waId: string): Promise<void> {
    await this.redis.set(this.sentKey(session, waId), '1', 'EX', PENDING_TTL_S);
  }

  async isOurs(session: string, waId: string): Promise<boolean> {
    return (await this.redis.exists(this.sentKey(session, waId))) === 1;
  }

  /** The key markSent sets: an echo arriving after it needs no work at all (the lanes check it on push). */
  sentKey(session: string, waId: string): string {
    return this.keys.pendingSend(session, `id:${waId}`);
  }
}
