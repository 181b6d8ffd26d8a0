import type Redis from 'ioredis';
import type { Keys } from './keys';

const UNKNOWN = '-';

/**
 * What WhatsApp Web told about a linked id's phone, per session (`<prefix>lid:<session>:<lid>`): the
 * number (`+digits`), or that it does not know it. Each answer is kept as long as its caller says.
 */
export class LidCache {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** The phone recorded for `lid`; null when recorded as not known; undefined when never recorded (or expired). */
  async phoneOf(session: string, lid: string): Promise<string | null | undefined> {
    const value = await this.redis.get(this.keys.lidToPhone(session, lid));
    if (value === null) return undefined;
    return value === UNKNOWN ? null : value;
  }

  /** Records the phone of `lid`, or (undefined) that WhatsApp Web does not know it, for `ttlSeconds`. */
  async record(session: string, lid: string, phone: string | undefined, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.keys.lidToPhone(session, lid), phone ?? UNKNOWN, 'EX', ttlSeconds);
  }
}
