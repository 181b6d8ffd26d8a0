import type { Logger } from '../observability/logger';
import type { DaemonRecord, LeaseStore } from '../store/lease-store';

export type MoveRefusal = 'no_fleet' | 'unknown_daemon' | 'no_room' | 'data_unseen' | 'move_timeout';

/** A move that cannot be made (or did not finish), with the reason a person can act on. */
export class MoveRefused extends Error {
  constructor(
    readonly code: MoveRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'MoveRefused';
  }
}

export interface MoveResult {
  session: string;
  /** The daemon that ran it before (none: it ran nowhere). */
  from?: string;
  to: string;
  tookMs: number;
}

/**
 * The daemons sharing this Redis, and moves of a session from one to another (`ponte sessions move`).
 * A move reserves the session for its target; the owner gives it back at its next renewal (ttl/3) and
 * the target takes it as soon as it hears of it. Any daemon of the fleet can be asked.
 */
export class Fleet {
  constructor(private readonly o: { store: LeaseStore; ttlMs: number; logger: Logger; pollMs?: number }) {}

  daemons(): Promise<DaemonRecord[]> {
    return this.o.store.daemons();
  }

  async move(session: string, to: string, timeoutMs = this.o.ttlMs * 3): Promise<MoveResult> {
    const started = Date.now();
    const daemons = await this.o.store.daemons();
    const target = daemons.find((d) => d.id === to);
    if (!target) {
      const known = daemons.map((d) => d.id).join(', ') || 'none';
      throw new MoveRefused(
        'unknown_daemon',
        `no daemon "${to}" runs on this Redis (daemons running: ${known}); names are lease.daemonId, listed by ponte sessions list`,
      );
    }
    const from = (await this.o.store.owner(session)) ?? undefined;
    if (from === to) return { session, from, to, tookMs: 0 };
    if (target.maxSessions !== undefined && target.sessions.length >= target.maxSessions) {
      throw new MoveRefused(
        'no_room',
        `daemon ${to} already runs its maximum of ${target.maxSessions} sessions (fleet.maxSessions): move one of them away first`,
      );
    }
    const storage = await this.o.store.storageOf(session);
    if (storage && storage !== target.storage) {
      throw new MoveRefused(
        'data_unseen',
        `session ${session} keeps its login on storage ${storage}, which daemon ${to} does not see (its sessionStore.dir is storage ${target.storage}); the phone would have to pair again there`,
      );
    }
    // Reserved for a little longer than the wait: a target slow to take it still finds it reserved.
    await this.o.store.requestMove(session, to, timeoutMs + this.o.ttlMs);
    this.o.logger.info({ session, from, to }, 'session move asked for');
    // A session running nowhere is not waiting for any owner's renewal: the target is told to try now.
    if (!from) await this.o.store.nudge(session);
    const deadline = started + timeoutMs;
    for (;;) {
      const owner = await this.o.store.owner(session);
      if (owner === to) return { session, from, to, tookMs: Date.now() - started };
      if (Date.now() >= deadline) {
        await this.o.store.cancelMove(session);
        throw new MoveRefused(
          'move_timeout',
          `session ${session} did not start on daemon ${to} within ${timeoutMs} ms (it runs on ${owner ?? 'no daemon'}); the move was called off`,
        );
      }
      await sleep(this.o.pollMs ?? 100);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
