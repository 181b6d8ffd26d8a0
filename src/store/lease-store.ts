import type Redis from 'ioredis';
import { settled } from '../core/settled';
import type { Keys } from './keys';
import { luaScript } from './lua';
import { evalScript } from './scripts';

const ACQUIRE = luaScript('session-lease-acquire');
const RENEW = luaScript('session-lease-renew');
const RELEASE = luaScript('session-lease-release');

/** Why a lease was not taken: another daemon holds it, a move reserved it for another, or its login is out of sight. */
export type AcquireOutcome =
  | { got: 'acquired' }
  | { got: 'taken'; owner: string; expiresInMs: number }
  | { got: 'moving'; to: string }
  | { got: 'unseen'; storage: string };

export type RenewOutcome = { got: 'renewed' } | { got: 'lost' } | { got: 'moving'; to: string };

/** What a daemon of the fleet says of itself, refreshed while it runs. */
export interface DaemonRecord {
  id: string;
  /** fleet.maxSessions; absent: no limit. */
  maxSessions?: number;
  /** Sessions it runs now. */
  sessions: string[];
  /** The storage id of its sessionStore.dir: daemons with the same one see the same logins. */
  storage: string;
  /** Its admin API, as it knows itself (http.publicUrl, else the address it listens on). */
  url?: string;
  startedAt: string;
  /** Epoch ms after which a record not refreshed counts as a daemon gone (killed, cut off). */
  until: number;
}

/** Session leases, moves, the storage of logins and the fleet's daemons in Redis (logic: sessions/lease.ts). */
export class LeaseStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  async acquire(session: string, daemonId: string, ttlMs: number, storage: string): Promise<AcquireOutcome> {
    const [got, who, pttl] = (await evalScript(
      this.redis,
      ACQUIRE,
      3,
      this.keys.sessionLease(session),
      this.keys.sessionMove(session),
      this.keys.sessionStorage(session),
      daemonId,
      ttlMs,
      storage,
    )) as [string, string, number?];
    if (got === 'acquired') return { got };
    if (got === 'taken') return { got, owner: who, expiresInMs: Number(pttl) };
    if (got === 'moving') return { got, to: who };
    return { got: 'unseen', storage: who };
  }

  async renew(session: string, daemonId: string, ttlMs: number): Promise<RenewOutcome> {
    const result = await evalScript(this.redis, RENEW, 2, this.keys.sessionLease(session), this.keys.sessionMove(session), daemonId, ttlMs);
    if (result === 1) return { got: 'renewed' };
    if (Array.isArray(result)) return { got: 'moving', to: String(result[1]) };
    return { got: 'lost' };
  }

  /** Gives the lease back if it is ours, and tells the waiting daemons (they try at once). */
  async release(session: string, daemonId: string): Promise<boolean> {
    const released = (await evalScript(this.redis, RELEASE, 1, this.keys.sessionLease(session), daemonId)) === 1;
    if (released) await this.redis.publish(this.keys.fleetReleased(), session);
    return released;
  }

  /** Wakes the daemons waiting for the session, as a release does. */
  async nudge(session: string): Promise<void> {
    await this.redis.publish(this.keys.fleetReleased(), session);
  }

  async owner(session: string): Promise<string | null> {
    return this.redis.get(this.keys.sessionLease(session));
  }

  /**
   * Calls `onReleased(session)` whenever a daemon gives a lease back. Pub/sub needs a connection of its
   * own, reconnected while `listening()`; resolves with the function that closes it.
   */
  async onReleased(onReleased: (session: string) => void, listening: () => boolean): Promise<() => Promise<void>> {
    const sub = this.redis.duplicate({ retryStrategy: (times) => (listening() ? Math.min(times * 100, 2000) : null) });
    sub.on('error', () => undefined); // reconnects by itself; the rounds on the timer cover the gap
    sub.on('message', (_channel: string, session: string) => onReleased(session));
    await sub.subscribe(this.keys.fleetReleased());
    return () =>
      settled(() => {
        // Once only: disconnecting a client already ended arms a reconnect timer for a closed stream.
        if (sub.status !== 'end') sub.disconnect();
      });
  }

  /** Reserves the session for `to` for `ttlMs`: its owner gives it back at its next renewal, no other daemon takes it. */
  async requestMove(session: string, to: string, ttlMs: number): Promise<void> {
    await this.redis.set(this.keys.sessionMove(session), to, 'PX', ttlMs);
  }

  async moveTarget(session: string): Promise<string | null> {
    return this.redis.get(this.keys.sessionMove(session));
  }

  async cancelMove(session: string): Promise<void> {
    await this.redis.del(this.keys.sessionMove(session));
  }

  /** The session is paired with its login on `storage`: only daemons that see it may run the session. */
  async recordStorage(session: string, storage: string): Promise<void> {
    await this.redis.set(this.keys.sessionStorage(session), storage);
  }

  /** The session has no login any more (logged out, needs a new QR): any daemon may run it. */
  async forgetStorage(session: string): Promise<void> {
    await this.redis.del(this.keys.sessionStorage(session));
  }

  async storageOf(session: string): Promise<string | null> {
    return this.redis.get(this.keys.sessionStorage(session));
  }

  async announce(record: DaemonRecord): Promise<void> {
    await this.redis.hset(this.keys.fleetDaemons(), record.id, JSON.stringify(record));
  }

  async leave(daemonId: string): Promise<void> {
    await this.redis.hdel(this.keys.fleetDaemons(), daemonId);
  }

  /** The daemons alive now (by their last refresh), by id; records of daemons gone are dropped. */
  async daemons(now = Date.now()): Promise<DaemonRecord[]> {
    const all = await this.redis.hgetall(this.keys.fleetDaemons());
    const alive: DaemonRecord[] = [];
    const gone: string[] = [];
    for (const [id, text] of Object.entries(all)) {
      let record: DaemonRecord | undefined;
      try {
        record = JSON.parse(text) as DaemonRecord;
      } catch {
        // a record no version of Ponte wrote: not a daemon
      }
      if (record && record.until > now) alive.push(record);
      else gone.push(id);
    }
    if (gone.length) await this.redis.hdel(this.keys.fleetDaemons(), ...gone);
    return alive.sort((a, b) => a.id.localeCompare(b.id));
  }
}
