import type Redis from 'ioredis';
import type { Keys } from './keys';
import { evalScript } from './scripts';

export interface HelpdeskRef {
  conversationId: number;
  messageId: number;
}

export interface WhatsAppRef {
  chatId: string;
  waId: string;
}

/** Long enough for any re-delivery or catch-up window; short enough that Redis does not grow forever. */
const MAP_TTL_S = 90 * 24 * 3600;
const RECORD = `
redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[3])
redis.call('set', KEYS[2], ARGV[2], 'EX', ARGV[3])
redis.call('del', KEYS[3], KEYS[4])
return 1`;
const INFLIGHT_TTL_S = 7 * 24 * 3600;
// The dedupe check and the in-flight mark of a create in one round trip: the mapping when there is one,
// else 1 (this attempt is the first) or 0 (an earlier attempt may have created it).
const CLAIM = `
local v = redis.call('get', KEYS[1])
if v then return v end
if redis.call('set', KEYS[2], ARGV[1], 'EX', ARGV[2], 'NX') then return 1 end
return 0`;
const KNOWN_TTL_S = 8 * 24 * 3600;

/**
 * The durable WhatsApp id <-> Chatwoot id map: the dedupe of both directions. Not a cache: an entry
 * is written only after the other side accepted the message, and checked before every create/send.
 */
export class IdMap {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async record(session: string, wa: WhatsAppRef, cw: HelpdeskRef): Promise<void> {
    // One script: atomic like MULTI, in one command instead of five (this runs for every message).
    await evalScript(
      this.redis,
      RECORD,
      4,
      this.keys.waToCw(session, wa.waId),
      this.keys.cwToWa(session, cw.messageId),
      this.keys.inflight(session, wa.waId),
      this.keys.inflight(session, `cw:${cw.messageId}`),
      JSON.stringify(cw),
      JSON.stringify(wa),
      MAP_TTL_S,
    );
  }

  /** Marks a WhatsApp id as handled without a Chatwoot counterpart (ignored on purpose, deleted...). */
  async recordHandled(session: string, waId: string): Promise<void> {
    // NX: our own send's echo can be handled just after the send recorded its real mapping; keep that.
    // The in-flight mark a claim may have set goes: nothing was created.
    await this.redis.multi().set(this.keys.waToCw(session, waId), JSON.stringify({ handled: true }), 'EX', MAP_TTL_S, 'NX').del(this.keys.inflight(session, waId)).exec();
  }

  /**
   * Before relaying a WhatsApp id: its mapping if it was relayed (or handled) already, else marks the
   * create as in flight and says whether an earlier attempt may have created it (`fresh: false`).
   */
  async claim(session: string, waId: string): Promise<{ done: HelpdeskRef | 'handled' } | { fresh: boolean }> {
    const v = await evalScript(this.redis, CLAIM, 2, this.keys.waToCw(session, waId), this.keys.inflight(session, waId), String(Date.now()), INFLIGHT_TTL_S);
    if (typeof v === 'string') {
      const parsed = JSON.parse(v) as HelpdeskRef & { handled?: boolean };
      return { done: parsed.handled ? 'handled' : parsed };
    }
    return { fresh: v === 1 };
  }

  async byWa(session: string, waId: string): Promise<HelpdeskRef | 'handled' | undefined> {
    const v = await this.redis.get(this.keys.waToCw(session, waId));
    if (!v) return undefined;
    const parsed = JSON.parse(v) as HelpdeskRef & { handled?: boolean };
    return parsed.handled ? 'handled' : parsed;
  }

  async byCw(session: string, cwMessageId: number): Promise<WhatsAppRef | undefined> {
    const v = await this.redis.get(this.keys.cwToWa(session, cwMessageId));
    return v ? (JSON.parse(v) as WhatsAppRef) : undefined;
  }

  /** Remembers that an id was taken into a lane, so catch-up does not enqueue it again. */
  async markKnown(session: string, waIds: string[]): Promise<void> {
    if (!waIds.length) return;
    const pipe = this.redis.pipeline();
    for (const id of waIds) pipe.set(this.keys.known(session, id), '1', 'EX', KNOWN_TTL_S);
    await pipe.exec();
  }

  /** The same mark as markKnown, for a caller that sets it together with its own write. */
  knownMark(session: string, waId: string): { key: string; ttlS: number } {
    return { key: this.keys.known(session, waId), ttlS: KNOWN_TTL_S };
  }

  async isKnown(session: string, waId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.known(session, waId))) === 1;
  }

  /** Marks "a create for this id may have reached the other side": a retry must look before creating. */
  async markInflight(session: string, id: string): Promise<boolean> {
    const first = await this.redis.set(this.keys.inflight(session, id), String(Date.now()), 'EX', INFLIGHT_TTL_S, 'NX');
    return first === 'OK';
  }

  async clearInflight(session: string, id: string): Promise<void> {
    await this.redis.del(this.keys.inflight(session, id));
  }
}
