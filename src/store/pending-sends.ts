import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import type { Keys } from './keys';
import { luaScript } from './lua';
import { evalScript } from './scripts';

/** How long a send's id stays known as ours: its echo, and a retry looking for it, come well within it. */
const SENT_TTL_S = 600;
/**
 * How long a send whose outcome is unknown (no answer in time, or an error after which the message may
 * have gone) keeps holding back fromMe messages with its content: its retry normally settles it sooner.
 */
export const UNKNOWN_HOLD_MS = 10 * 60_000;
/** An attempt record outlives every retry of its message (queue.maxAgeHours is at most days). */
const ATTEMPT_TTL_S = 3 * 24 * 3600;

/** The first attempt of a send, and whether any attempt ended without knowing if the message went. */
export interface SendAttempt {
  /** Unix ms when the first attempt started. */
  startedAt: number;
  unknown: boolean;
}

const BEGIN = luaScript('pending-send-begin');
const UNKNOWN = luaScript('pending-send-unknown');
const SETTLED = luaScript('pending-send-settled');
const CLAIM = luaScript('pending-send-claim');

/**
 * Sends Ponte is making. WhatsApp reports our own sends back as fromMe messages, sometimes before
 * `send()` has returned the id and under another chat id than the one sent to (a number WhatsApp Web
 * knows by linked id echoes under `<lid>@lid`). So an echo is recognised by its id alone, and while a
 * send with the same content is in flight anywhere in the session, a fromMe message not known by id is
 * held back until that send settles: by id it is then ours, or a message typed on the phone.
 */
export class PendingSends {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** Engines differ in how they report our media back (voice vs audio, filenames dropped): compare the class and the text. */
  static fingerprint(kind: string, text: string | undefined): string {
    const kindClass = ['image', 'video', 'audio', 'voice', 'document', 'sticker'].includes(kind) ? 'media' : kind;
    return createHash('sha1')
      .update(`${kindClass}\n${(text ?? '').trim()}`)
      .digest('hex')
      .slice(0, 20);
  }

  /**
   * A send (`token`: the same for every attempt of one message) is about to be made: fromMe messages with
   * its fingerprint are held back for `holdMs` or until it settles. Returns the send's attempt record.
   */
  async begin(session: string, token: string, fingerprint: string, holdMs: number): Promise<SendAttempt> {
    const raw = await evalScript(
      this.redis,
      BEGIN,
      2,
      this.holdKey(session, fingerprint),
      this.attemptKey(session, token),
      Date.now(),
      holdMs,
      token,
      ATTEMPT_TTL_S,
    );
    return JSON.parse(String(raw)) as SendAttempt;
  }

  /** The send went out as `waId` (sent or found in the chat): its echo is ours wherever it lands. */
  async settled(session: string, token: string, fingerprint: string, waId: string): Promise<void> {
    await evalScript(
      this.redis,
      SETTLED,
      3,
      this.sentKey(session, waId),
      this.holdKey(session, fingerprint),
      this.attemptKey(session, token),
      token,
      SENT_TTL_S,
    );
  }

  /** This attempt certainly did not send (the session was not connected): it holds nothing back any more. */
  async notSent(session: string, token: string, fingerprint: string): Promise<void> {
    await this.redis.zrem(this.holdKey(session, fingerprint), token);
  }

  /** Nobody knows whether this attempt sent: the next one looks in the chat before sending again. */
  async unknown(session: string, token: string, fingerprint: string): Promise<void> {
    await evalScript(
      this.redis,
      UNKNOWN,
      2,
      this.holdKey(session, fingerprint),
      this.attemptKey(session, token),
      Date.now(),
      UNKNOWN_HOLD_MS,
      token,
      ATTEMPT_TTL_S,
    );
  }

  /** True while a send with this fingerprint is in flight, or its outcome unknown, in the session. */
  async heldBack(session: string, fingerprint: string): Promise<boolean> {
    return (await this.redis.zcount(this.holdKey(session, fingerprint), `(${Date.now()}`, '+inf')) > 0;
  }

  /** Makes `waId` this send's; false when another send has it. */
  async claim(session: string, waId: string, token: string): Promise<boolean> {
    return (await evalScript(this.redis, CLAIM, 1, this.sentKey(session, waId), token, SENT_TTL_S)) === 1;
  }

  /** The send a WhatsApp id belongs to, while it is remembered. */
  async ownerOf(session: string, waId: string): Promise<string | undefined> {
    return (await this.redis.get(this.sentKey(session, waId))) ?? undefined;
  }

  async isOurs(session: string, waId: string): Promise<boolean> {
    return (await this.redis.exists(this.sentKey(session, waId))) === 1;
  }

  /** The key a settled send sets: an echo arriving after it needs no work at all (the lanes check it on push). */
  sentKey(session: string, waId: string): string {
    return this.keys.pendingSend(session, `id:${waId}`);
  }

  private holdKey(session: string, fingerprint: string): string {
    return this.keys.pendingSend(session, `hold:${fingerprint}`);
  }

  private attemptKey(session: string, token: string): string {
    return this.keys.pendingSend(session, `try:${token}`);
  }
}
