import os from 'node:os';
import { within } from '../core/timeout';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { AcquireOutcome, DaemonRecord, LeaseStore } from '../store/lease-store';

/** What the leases drive: the SessionManager. */
export interface LeaseHolder {
  /** This daemon holds the lease: run the session here. */
  claim(id: string, daemonId: string): Promise<void>;
  /** The lease is lost or given away: stop the session at once. */
  release(id: string, reason: string): Promise<void>;
  /** Another daemon holds it (`ownerId`), or nobody does right now (undefined; `reason` says why not this one). */
  ownedElsewhere(id: string, ownerId: string | undefined, reason?: string): void;
  /** The session's state events while it runs here: where its login lives is recorded from them. */
  on?(event: 'state', listener: (id: string, status: { state: string }) => void): unknown;
}

export interface SessionLeaseOptions {
  store: LeaseStore;
  daemonId: string;
  ttlMs: number;
  /** fleet.maxSessions: this daemon runs at most this many sessions; undefined: no limit. */
  maxSessions?: number;
  /** The id of the storage this daemon keeps logins on (storageIdentity(sessionStore.dir)). */
  storage: string;
  /** This daemon's admin address, listed for the others (`ponte sessions list`). */
  url?: () => string | undefined;
  holder: LeaseHolder;
  logger: Logger;
  metrics: Metrics;
}

interface Lease {
  id: string;
  held: boolean;
  /** When the last successful renewal was sent: the lease is ours until at least lastOk + ttl. */
  lastOk: number;
  /** What was last reported of a lease not held here, to log a change once. */
  seen?: string;
  timer?: NodeJS.Timeout;
}

/** `<hostname>:<port>`: unique while the daemon listens, and the same after a restart in place. */
export function defaultDaemonId(port: number): string {
  return `${os.hostname()}:${port}`;
}

/**
 * Several daemons sharing one Redis: each session runs on the daemon holding its lease,
 * `SET <prefix>lease:session:<id> <daemonId> PX ttl`, renewed every ttl/3 by token. A daemon claims free
 * sessions in rounds (every ttl/2, and at once when another daemon gives one back), up to
 * fleet.maxSessions, and only those whose login is on storage it sees (or not paired yet). After an owner
 * dies (and stops renewing) another one takes its sessions within about 1.5 × ttl; one that stops gives
 * them back and the others take them at once. A renewal refused, or Redis unreachable for 2/3 of the ttl
 * (the lease may run out before we hear of it), stops the session at once: two browsers must never drive
 * one number. A move (`ponte sessions move`) reserves a session for one daemon; its owner gives it back
 * at its next renewal.
 */
export class SessionLeases {
  private readonly leases = new Map<string, Lease>();
  private stopped = false;
  /** Shutting down: sessions held are kept (and renewed) until stop(), no new one is claimed. */
  private closing = false;
  /** The rounds, one after the other; the one not started yet, which a new asker joins. */
  private rounds: Promise<unknown> = Promise.resolve();
  private nextRound?: Promise<Array<Promise<void>>>;
  private roundTimer?: NodeJS.Timeout;
  private announceTimer?: NodeJS.Timeout;
  private unsubscribe?: () => Promise<void>;
  private readonly startedAt = new Date().toISOString();
  /** When the first lease found taken in the last round runs out, unless its owner renews it (epoch ms). */
  private soonestExpiry?: number;

  constructor(private readonly o: SessionLeaseOptions) {}

  /** First round for every session (resolves once each claimed session has been connected), then the timers. */
  async start(ids: string[]): Promise<void> {
    for (const id of ids) this.leases.set(id, { id, held: false, lastOk: 0 });
    this.o.holder.on?.('state', (id, status) => void this.stateChanged(id, status.state));
    try {
      this.unsubscribe = await this.o.store.onReleased(
        (id) => this.released(id),
        () => !this.stopped,
      );
    } catch (err) {
      this.o.logger.warn(
        { err: { message: (err as Error).message } },
        'could not listen for sessions other daemons give back; the rounds every ttl/2 take them',
      );
    }
    const claims = await this.round();
    await Promise.all(claims);
    this.scheduleRound();
    this.scheduleAnnounce(0);
  }

  /** A session added while the daemon runs: tried at once, then in the rounds like the others. */
  async add(id: string): Promise<void> {
    if (this.leases.has(id) || this.stopped) return;
    this.leases.set(id, { id, held: false, lastOk: 0 });
    await Promise.all(await this.round());
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
      await within(this.o.store.release(id, this.o.daemonId), 2000).catch(() => undefined);
    }
  }

  /** Sessions this daemon holds now. */
  held(): string[] {
    return [...this.leases.values()].filter((l) => l.held).map((l) => l.id);
  }

  /** What this daemon tells the fleet about itself. */
  record(now = Date.now()): DaemonRecord {
    const url = this.o.url?.();
    return {
      id: this.o.daemonId,
      ...(this.o.maxSessions !== undefined ? { maxSessions: this.o.maxSessions } : {}),
      sessions: this.held().sort(),
      storage: this.o.storage,
      ...(url ? { url } : {}),
      startedAt: this.startedAt,
      until: now + this.o.ttlMs,
    };
  }

  /** The first step of a shutdown: no new session is claimed, those held keep running until stop(). */
  close(): void {
    this.closing = true;
    clearTimeout(this.roundTimer);
  }

  /** Stops the timers and gives back the leases held (telling the others), so another daemon starts them at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    clearTimeout(this.roundTimer);
    clearTimeout(this.announceTimer);
    const held = [...this.leases.values()].filter((l) => l.held);
    for (const l of this.leases.values()) clearTimeout(l.timer);
    await Promise.all(
      held.map(async (l) => {
        l.held = false;
        this.o.metrics.leaseOwned.labels(l.id).set(0);
        try {
          await within(this.o.store.release(l.id, this.o.daemonId), 2000);
        } catch (err) {
          this.o.logger.warn(
            { session: l.id, err: { message: (err as Error).message } },
            'could not release a session lease; it expires by itself',
          );
        }
      }),
    );
    await within(this.o.store.leave(this.o.daemonId), 2000).catch(() => undefined);
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    await unsubscribe?.().catch(() => undefined);
  }

  private full(): boolean {
    return this.o.maxSessions !== undefined && this.held().length >= this.o.maxSessions;
  }

  /** Another daemon gave a session back: try for it now rather than at the next round. */
  private released(id: string): void {
    const l = this.leases.get(id);
    if (l && !l.held && !this.closing) void this.round();
  }

  /**
   * The next round in ttl/2, or right after the first lease seen taken runs out (its owner may be dead:
   * a lease renewed in time is simply found taken again), so a session of a killed daemon is taken over
   * within the lease time rather than up to half a ttl later.
   */
  private scheduleRound(): void {
    if (this.closing) return;
    clearTimeout(this.roundTimer);
    const expiry = this.soonestExpiry;
    this.soonestExpiry = undefined;
    const delay = Math.min(this.o.ttlMs / 2, expiry === undefined ? Infinity : expiry - Date.now() + 15);
    this.roundTimer = setTimeout(
      () => {
        void this.round().finally(() => this.scheduleRound());
      },
      Math.max(10, Math.floor(delay)),
    );
    this.roundTimer.unref();
  }

  /**
   * One try for every session not held here, one after the other so fleet.maxSessions is never passed.
   * Rounds never overlap: one asked for while another runs comes right after it, and askers before it
   * starts share it. Resolves with the claims (connects) it started, not awaited: a browser taking a
   * minute to start must not hold the round.
   */
  private round(): Promise<Array<Promise<void>>> {
    if (this.nextRound) return this.nextRound;
    const next = this.rounds.then(() => {
      this.nextRound = undefined;
      return this.runRound();
    });
    this.nextRound = next;
    this.rounds = next.catch(() => undefined);
    return next;
  }

  private async runRound(): Promise<Array<Promise<void>>> {
    const claims: Array<Promise<void>> = [];
    for (const l of [...this.leases.values()].sort((a, b) => a.id.localeCompare(b.id))) {
      if (this.closing) break;
      if (l.held || this.leases.get(l.id) !== l) continue;
      try {
        if (this.full()) await this.reportFull(l);
        else {
          const claim = await this.acquire(l);
          if (claim) claims.push(claim);
        }
      } catch (err) {
        this.o.logger.error({ err, session: l.id }, 'session lease round failed');
      }
    }
    if (claims.length) this.announce();
    return claims;
  }

  /** One attempt; the claim (connect) it starts is handed back, not awaited. */
  private async acquire(l: Lease): Promise<Promise<void> | undefined> {
    const sentAt = Date.now();
    let got: AcquireOutcome | undefined;
    try {
      got = await within(this.o.store.acquire(l.id, this.o.daemonId, this.o.ttlMs, this.o.storage), this.o.ttlMs / 2);
    } catch (err) {
      this.o.logger.warn({ session: l.id, err: { message: (err as Error).message } }, 'could not try the session lease');
      return undefined;
    }
    if (this.stopped || got === undefined) return undefined;
    if (got.got === 'acquired') {
      if (this.closing) {
        // Taken while the shutdown began: given back at once rather than started.
        await this.o.store.release(l.id, this.o.daemonId).catch(() => undefined);
        return undefined;
      }
      l.held = true;
      l.lastOk = sentAt;
      l.seen = undefined;
      this.o.metrics.leaseOwned.labels(l.id).set(1);
      this.o.metrics.leaseAcquired.labels(l.id).inc();
      this.o.logger.info({ session: l.id, daemon: this.o.daemonId, ttlMs: this.o.ttlMs }, 'session lease acquired');
      this.scheduleRenew(l);
      return this.o.holder
        .claim(l.id, this.o.daemonId)
        .catch((err) => this.o.logger.error({ err, session: l.id }, 'starting a claimed session failed'));
    }
    this.o.metrics.leaseOwned.labels(l.id).set(0);
    if (got.got === 'taken') {
      if (got.expiresInMs > 0) this.soonestExpiry = Math.min(this.soonestExpiry ?? Infinity, Date.now() + got.expiresInMs);
      this.report(l, got.owner);
    } else if (got.got === 'moving') this.report(l, undefined, `being moved to daemon ${got.to}`);
    else
      this.report(
        l,
        undefined,
        `its login is on storage ${got.storage}, which this daemon does not see (sessionStore.dir): it runs on a daemon that does`,
      );
    return undefined;
  }

  /** Full here: the session is left to the others; its owner, if any, is still shown. */
  private async reportFull(l: Lease): Promise<void> {
    let owner: string | null = null;
    try {
      owner = (await within(this.o.store.owner(l.id), this.o.ttlMs / 2)) ?? null;
    } catch {
      // only for the status shown; the next round asks again
    }
    if (owner === this.o.daemonId) owner = null; // our own lease from before a restart, left to expire
    this.report(
      l,
      owner ?? undefined,
      owner ? undefined : `waiting for a daemon with room: this one runs its maximum of ${this.o.maxSessions} sessions (fleet.maxSessions)`,
    );
  }

  private report(l: Lease, owner: string | undefined, reason?: string): void {
    const seen = owner ?? reason ?? '';
    if (seen !== l.seen) {
      this.o.logger.info({ session: l.id, owner, reason }, owner ? 'session runs on another daemon' : 'session does not run here');
      l.seen = seen;
    }
    this.o.holder.ownedElsewhere(l.id, owner, reason);
  }

  private scheduleRenew(l: Lease): void {
    if (this.stopped || this.leases.get(l.id) !== l || !l.held) return;
    l.timer = setTimeout(() => void this.renew(l).finally(() => this.scheduleRenew(l)), Math.max(10, Math.floor(this.o.ttlMs / 3)));
    l.timer.unref();
  }

  private async renew(l: Lease): Promise<void> {
    const sentAt = Date.now();
    let result: Awaited<ReturnType<LeaseStore['renew']>> | undefined;
    let problem: string | undefined;
    try {
      result = await within(this.o.store.renew(l.id, this.o.daemonId, this.o.ttlMs), this.o.ttlMs / 3);
      if (result === undefined) problem = `no answer from Redis within ${Math.round(this.o.ttlMs / 3)} ms`;
    } catch (err) {
      problem = (err as Error).message;
    }
    if (!l.held || this.stopped) return;
    if (result?.got === 'renewed') {
      l.lastOk = sentAt;
      return;
    }
    if (result?.got === 'moving') {
      l.lastOk = sentAt;
      return this.handOver(l, result.to);
    }
    if (result?.got === 'lost') return this.lose(l, 'the session lease expired or was taken by another daemon');
    const since = Date.now() - l.lastOk;
    this.o.logger.warn({ session: l.id, sinceMs: since, problem }, 'could not renew the session lease');
    if (since >= (this.o.ttlMs * 2) / 3) await this.lose(l, `could not renew the session lease for ${since} ms (${problem})`);
  }

  /** A move: the session stops here first, then its lease is given back for the daemon it goes to. */
  private async handOver(l: Lease, to: string): Promise<void> {
    l.held = false;
    clearTimeout(l.timer);
    this.o.metrics.leaseOwned.labels(l.id).set(0);
    this.o.logger.info({ session: l.id, to }, 'session moving to another daemon on request');
    await this.o.holder.release(l.id, `moved to daemon ${to} on request`);
    try {
      await within(this.o.store.release(l.id, this.o.daemonId), this.o.ttlMs / 3);
    } catch (err) {
      this.o.logger.warn(
        { session: l.id, err: { message: (err as Error).message } },
        'could not give a moved session lease back; it expires by itself',
      );
    }
    this.announce();
  }

  private async lose(l: Lease, reason: string): Promise<void> {
    l.held = false;
    clearTimeout(l.timer);
    this.o.metrics.leaseOwned.labels(l.id).set(0);
    this.o.metrics.leaseLost.labels(l.id).inc();
    this.o.logger.warn({ session: l.id, reason }, 'session lease lost');
    await this.o.holder.release(l.id, reason);
    this.announce();
  }

  /** Where a session running here keeps its login: recorded once paired, forgotten when it has none. */
  private async stateChanged(id: string, state: string): Promise<void> {
    if (!this.leases.get(id)?.held) return;
    try {
      if (state === 'CONNECTED') await this.o.store.recordStorage(id, this.o.storage);
      else if (state === 'QR_REQUIRED' || state === 'LOGGED_OUT') await this.o.store.forgetStorage(id);
    } catch (err) {
      this.o.logger.warn({ session: id, err: { message: (err as Error).message } }, 'could not record where the session login is kept');
    }
  }

  private scheduleAnnounce(delay = this.o.ttlMs / 3): void {
    if (this.stopped) return;
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(
      () => {
        this.announce();
        this.scheduleAnnounce();
      },
      Math.max(10, Math.floor(delay)),
    );
    this.announceTimer.unref();
  }

  /** Tells the fleet what this daemon runs (listed by `ponte sessions list`, checked by a move). */
  private announce(): void {
    if (this.stopped) return;
    this.o.store
      .announce(this.record())
      .catch((err) => this.o.logger.debug({ err: { message: (err as Error).message } }, 'could not announce this daemon to the fleet'));
  }
}
