import type Redis from 'ioredis';
import type { Keys } from './keys';
import { luaScript } from './lua';
import { evalScript } from './scripts';
import { decodeHelpdesk, decodeWhatsApp, encodeHelpdesk, encodeWhatsApp, KNOWN, type HelpdeskRef, type WhatsAppRef } from './id-map-codec';

export type { HelpdeskRef, WhatsAppRef } from './id-map-codec';

/** Default of redis.idMapRetentionDays: long enough for quotes, ticks and any re-delivery or catch-up window. */
export const DEFAULT_RETENTION_DAYS = 90;
/** Chatwoot message ids per hash of the Chatwoot side: under Redis's 128-entry limit of its compact encoding. */
export const CW_BUCKET = 100;
/** A bucket's expiry is pushed back at most this often (ids grow with time: its last write is about its newest id). */
const BUCKET_REFRESH_S = 3600;
const INFLIGHT_TTL_S = 7 * 24 * 3600;
/** A taken-in mark outlives every wait in a lane (queue.maxAgeHours is at most days). */
const KNOWN_TTL_S = 8 * 24 * 3600;

const RECORD = luaScript('id-map-record');
const HANDLED = luaScript('id-map-handled', { KNOWN });
const CLAIM = luaScript('id-map-claim', { KNOWN });

export interface IdMapOptions {
  /** How long a mapping is kept (redis.idMapRetentionDays). */
  retentionDays?: number;
}

/**
 * The durable WhatsApp id <-> Chatwoot id map: the dedupe of both directions. Not a cache: an entry
 * is written only after the other side accepted the message, and checked before every create/send.
 *
 * Per message it keeps one small key (WhatsApp id -> Chatwoot message) and one field of a hash holding a
 * hundred consecutive Chatwoot ids (-> WhatsApp message): a hash that small is stored packed by Redis, a
 * few dozen bytes per field instead of a key's hundred or more. A WhatsApp id taken into a lane is marked
 * in its own key (`1`) until it is relayed, so "known" costs no key of its own. Values written by earlier
 * versions (JSON, a key per Chatwoot id, separate known marks) are still read: see id-map-codec.ts.
 */
export class IdMap {
  private readonly retentionS: number;

  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
    options: IdMapOptions = {},
  ) {
    this.retentionS = Math.round((options.retentionDays ?? DEFAULT_RETENTION_DAYS) * 86400);
  }

  /** `forget`: keys the relay no longer needs once this is recorded (a multi-part message's cursors). */
  async record(session: string, wa: WhatsAppRef, cw: HelpdeskRef, forget: string[] = []): Promise<void> {
    const k = this.keys;
    await evalScript(
      this.redis,
      RECORD,
      5 + forget.length,
      k.waToCw(session, wa.waId),
      k.cwBucket(session, Math.floor(cw.messageId / CW_BUCKET)),
      k.inflight(session, wa.waId),
      k.inflight(session, `cw:${cw.messageId}`),
      k.waToCw(session, `cw:${cw.messageId}`),
      ...forget,
      encodeHelpdesk(cw),
      String(cw.messageId),
      encodeWhatsApp(wa),
      this.retentionS,
      BUCKET_REFRESH_S,
    );
  }

  /** Marks a WhatsApp id as handled without a Chatwoot counterpart (ignored on purpose, deleted...). */
  async recordHandled(session: string, waId: string): Promise<void> {
    // The in-flight mark a claim may have set goes: nothing was created.
    await evalScript(this.redis, HANDLED, 2, this.keys.waToCw(session, waId), this.keys.inflight(session, waId), this.retentionS);
  }

  /**
   * Before relaying a WhatsApp id: its mapping if it was relayed (or handled) already, else marks the
   * create as in flight and says whether an earlier attempt may have created it (`fresh: false`).
   */
  async claim(session: string, waId: string): Promise<{ done: HelpdeskRef | 'handled' } | { fresh: boolean }> {
    const v = await evalScript(
      this.redis,
      CLAIM,
      2,
      this.keys.waToCw(session, waId),
      this.keys.inflight(session, waId),
      String(Date.now()),
      INFLIGHT_TTL_S,
    );
    if (typeof v === 'string') return { done: decodeHelpdesk(v)! };
    return { fresh: v === 1 };
  }

  async byWa(session: string, waId: string): Promise<HelpdeskRef | 'handled' | undefined> {
    return decodeHelpdesk(await this.redis.get(this.keys.waToCw(session, waId)));
  }

  async byCw(session: string, cwMessageId: number): Promise<WhatsAppRef | undefined> {
    // Both in one round trip: the bucket, and the key an earlier version wrote.
    const [packed, legacy] = await Promise.all([
      this.redis.hget(this.keys.cwBucket(session, Math.floor(cwMessageId / CW_BUCKET)), String(cwMessageId)),
      this.redis.get(this.keys.cwToWa(session, cwMessageId)),
    ]);
    return decodeWhatsApp(packed ?? legacy);
  }

  /** Remembers that an id was taken into a lane, so catch-up does not enqueue it again. */
  async markKnown(session: string, waIds: string[]): Promise<void> {
    if (!waIds.length) return;
    const pipe = this.redis.pipeline();
    // NX: the mark shares its key with the mapping, which it must never overwrite.
    for (const id of waIds) pipe.set(this.keys.waToCw(session, id), KNOWN, 'EX', KNOWN_TTL_S, 'NX');
    await pipe.exec();
  }

  /** The same mark as markKnown, for a caller that sets it together with its own write (a lane push sets it NX). */
  knownMark(session: string, waId: string): { key: string; ttlS: number } {
    return { key: this.keys.waToCw(session, waId), ttlS: KNOWN_TTL_S };
  }

  /** Taken in, relayed or handled; or marked by an earlier version. */
  async isKnown(session: string, waId: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.waToCw(session, waId), this.keys.known(session, waId))) > 0;
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
