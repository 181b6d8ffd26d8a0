import os from 'node:os';
import type Redis from 'ioredis';
import { within } from '../engines/browser/health';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';

/** What the leases drive: the SessionManager. */
export interface LeaseHolder {
  /** This daemon holds the lease: run the session here. */
  claim(id: string, daemonId: string): Promise<void>;
  /** The lease is lost: stop the session at once. */
  release(id: string, reason: string): Promise<void>;
  /** Another daemon holds it (`ownerId`), or nobody does right now (undefined). */
  ownedElsewhere(id: string, ownerId: string | undefined): void;
}

export interface SessionLeaseOptions {
  redis: Redis;
  /** Config redis.keyPrefix: the key is `<prefix>lease:session:<id>`. */
  keyPrefix: string;
  daemonId: string;
  ttlMs: number;
  holder: LeaseHolder;
  logger: Logger;
  metrics: Metrics;
}

// Taking a lease that is free, or already ours: a daemon restarted under the same id (same host and
// port after a crash) takes its sessions back at once instead of waiting out its own old lease.
const ACQUIRE = `local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
return 0`;
// Renew and release only by token: a lease that expired and went to another daemon is never touched.
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

interface Lease {
  id: string;
  key: string;
  held: boolean;
  /** When the last successful renewal was sent: the lease is ours until at least lastOk + ttl. */
  lastOk: number;
  /** The other owner last reported, to log a change once. */
  seenOwner?: string | null;
  timer?: NodeJS.Timeout;
}

/** `<hostname>:<port>`: unique while the daemon listens, and the same after a restart in place. */
export function defaultDaemonId(port: number): string {
  return `${os.hostname()}:${port}`;
}

/**
 * Several daemons sharing one Redis: each session runs on the daemon holding its lease,
 * `SET <prefix>lease:session:<id> <daemonId> PX ttl`, renewed every ttl/3 by token. A daemon that holds
 * no lease tries again every ttl/2, so after an owner dies (and stops renewing) another one takes the
 * session over within about 1.5 × ttl. A renewal refused, or Redis unreachable for 2/3 of the ttl (the
 * lease may run out before we hear of it), stops the session at once: two browsers must never drive
 * one number.
 */
export class SessionLeases {
  private readonly leases = new Map<string, Lease>();
  private stopped = false;

  constructor(private readonly o: SessionLeaseOptions) {}

  /** First round for every session (resolves once each claimed session has been connected), then the timers. */
  async start(ids: string[]): Promise<void> {
    for (const id of ids) this.leases.set(id, { id, key: `${this.o.keyPrefix}lease:session:${id}`, held: false, lastOk: 0 });
    const attempts = await Promise.all([...this.leases.values()].map((l) => this.acquire(l)));
    await Promise.all(attempts.map((a) => a.claim));
    for (const l of this.leases.values()) this.schedule(l);
  }

  /** A session added while the daemon runs: tried at once, then on the timer like the others. */
  async add(id: string): Promise<void> {
    if (this.leases.has(id) || this.stopped) return;
    const l: Lease = { id, key: `${this.o.keyPrefix}lease:session:${id}`, held: false, lastOk: 0 };
    this.leases.set(id, l);
    const attempt = await this.acquire(l);
    this.schedule(l);
    await attempt.claim;
  }

  /** A session removed while the daemon runs: no more rounds, and its lease goes if this daemon held it. */
  async remove(id: string): Promise<void> {
    const l = this.leases.get(id);
    if (!l) return;
    this.leases.delete(id);
    clearTimeout(l.timer);
    this.o.metrics.leaseOwned.labels(id).set(0);
    if (l.held) {
      l.held = false;
      await within(this.o.redis.eval(RELEASE, 1, l.key, this.o.daemonId), 2000).catch(() => undefined);
    }
  }

  /** Sessions this daemon holds now. */
  held(): string[] {
    return [...this.leases.values()].filter((l) => l.held).map((l) => l.id);
  }

  /** Stops the timers and gives back the leases held, so another daemon can start at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    const held = [...this.leases.values()].filter((l) => l.held);
    for (const l of this.leases.values()) clearTimeout(l.timer);
    await Promise.all(
      held.map(async (l) => {
        l.held = false;
        this.o.metrics.leaseOwned.labels(l.id).set(0);
        try {
          await within(this.o.redis.eval(RELEASE, 1, l.key, this.o.daemonId), 2000);
        } catch (err) {
          this.o.logger.warn({ session: l.id, err: { message: (err as Error).message } }, 'could not release a session lease; it expires by itself');
        }
      }),
    );
  }

  private schedule(l: Lease): void {
    if (this.stopped || this.leases.get(l.id) !== l) return;
    const every = l.held ? this.o.ttlMs / 3 : this.o.ttlMs / 2;
    l.timer = setTimeout(() => void this.step(l), Math.max(10, Math.floor(every)));
    l.timer.unref();
  }

  private async step(l: Lease): Promise<void> {
    try {
      // The connect a successful acquire starts is not awaited: the lease of a session whose browser
      // takes a minute to start must keep being renewed meanwhile.
      if (l.held) await this.renew(l);
      else await this.acquire(l);
    } catch (err) {
      this.o.logger.error({ err, session: l.id }, 'session lease step failed');
    } finally {
      this.schedule(l);
    }
  }

  /**
   * One attempt. The claim (connect) it starts is handed back wrapped, not awaited: an async function
   * returning a bare promise would wait for it.
   */
  private async acquire(l: Lease): Promise<{ claim: Promise<void> }> {
    const none = { claim: Promise.resolve() };
    const sentAt = Date.now();
    let got: unknown;
    try {
      got = await within(this.o.redis.eval(ACQUIRE, 1, l.key, this.o.daemonId, String(this.o.ttlMs)), this.o.ttlMs / 2);
    } catch (err) {
      this.o.logger.warn({ session: l.id, err: { message: (err as Error).message } }, 'could not try the session lease');
      return none;
    }
    if (this.stopped) return none;
    if (got === 1) {
      l.held = true;
      l.lastOk = sentAt;
      l.seenOwner = undefined;
      this.o.metrics.leaseOwned.labels(l.id).set(1);
      this.o.metrics.leaseAcquired.labels(l.id).inc();
      this.o.logger.info({ session: l.id, daemon: this.o.daemonId, ttlMs: this.o.ttlMs }, 'session lease acquired');
      return { claim: this.o.holder.claim(l.id, this.o.daemonId).catch((err) => this.o.logger.error({ err, session: l.id }, 'starting a claimed session failed')) };
    }
    this.o.metrics.leaseOwned.labels(l.id).set(0);
    let owner: string | null = null;
    try {
      owner = (await within(this.o.redis.get(l.key), this.o.ttlMs / 2)) ?? null;
    } catch {
      // only for the status shown; the next round asks again
    }
    if (owner !== l.seenOwner) {
      this.o.logger.info({ session: l.id, owner }, owner ? 'session runs on another daemon' : 'session lease is free; taking it next round');
      l.seenOwner = owner;
    }
    this.o.holder.ownedElsewhere(l.id, owner ?? undefined);
    return none;
  }

  private async renew(l: Lease): Promise<void> {
    const sentAt = Date.now();
    let result: unknown;
    let problem: string | undefined;
    try {
      result = await within(this.o.redis.eval(RENEW, 1, l.key, this.o.daemonId, String(this.o.ttlMs)), this.o.ttlMs / 3);
      if (result === undefined) problem = `no answer from Redis within ${Math.round(this.o.ttlMs / 3)} ms`;
    } catch (err) {
      problem = (err as Error).message;
    }
    if (!l.held || this.stopped) return;
    if (result === 1) {
      l.lastOk = sentAt;
      return;
    }
    if (result === 0) return this.lose(l, 'the session lease expired or was taken by another daemon');
    const since = Date.now() - l.lastOk;
    this.o.logger.warn({ session: l.id, sinceMs: since, problem }, 'could not renew the session lease');
    if (since >= (this.o.ttlMs * 2) / 3) await this.lose(l, `could not renew the session lease for ${since} ms (${problem})`);
  }

  private async lose(l: Lease, reason: string): Promise<void> {
    l.held = false;
    this.o.metrics.leaseOwned.labels(l.id).set(0);
    this.o.metrics.leaseLost.labels(l.id).inc();
    this.o.logger.warn({ session: l.id, reason }, 'session lease lost');
    await this.o.holder.release(l.id, reason);
  }
}
