import type Redis from 'ioredis';
import type { ChatTarget } from '../core/ports';
import type { Keys } from './keys';
import { luaScript } from './lua';
import { evalScript } from './scripts';

export type RegistrationStatus = 'fixing' | 'queued' | 'delivered' | 'rejected' | 'failed';

export type DecisionKind = 'approved' | 'rejected' | 'needs_changes';

/** What the backend answered about a delivered registration (`POST /hooks/registrations/<id>/decision`). */
export interface RegistrationDecision {
  decision: DecisionKind;
  /** The backend's own words for the driver, sent after Ponte's sentence. */
  message?: string;
  /** needs_changes: the variables the driver must send again, in the order they are asked for. */
  fields?: string[];
}

/** A decision as Ponte took it (the first for its delivery round; later ones are compared with it). */
export interface TakenDecision extends RegistrationDecision {
  /** ISO 8601: when Ponte took it. */
  receivedAt: string;
}

/** A decision as the registration keeps it: which delivery it answers and how far it was passed on. */
export interface RecordedDecision extends TakenDecision {
  round: number;
  /** The driver was told (or there was no chat to tell). */
  told?: boolean;
  /** ISO 8601: the driver told and the agents' note and label added. */
  passedOnAt?: string;
}

export interface StoredProblem {
  field: string;
  code: string;
  message: { pt: string; en: string };
}

export interface RegistrationRecord {
  id: string;
  source: 'flow' | 'hook';
  session: string;
  target?: ChatTarget;
  conversationId?: number;
  phone?: string;
  resultId?: string;
  status: RegistrationStatus;
  /** Answers by Typebot variable name (normalised once valid). */
  fields: Record<string, string>;
  /** Files by variable, kept in the media store (pinned) until delivered. */
  files: Array<{ field: string; mediaId: string; filename: string; mimetype: string; size: number }>;
  problems?: StoredProblem[];
  /** Variables the driver still has to send again, in order. */
  fixing?: string[];
  driverId?: string;
  error?: string;
  createdAt: number;
  updatedAt: number;
  /** Fixed when queued: the signed body must be identical on every attempt. */
  submittedAt?: string;
  deliveredAt?: number;
  /** The agents and the driver were told of the delivery. */
  announced?: boolean;
  /** Which delivery this is: 2 once the driver corrected what the backend asked for. Absent: 1. */
  round?: number;
  /** The variables the backend asked for again; the corrected delivery carries only these files. */
  changes?: string[];
  /** Of `changes`, those the driver has still to send. */
  requested?: string[];
  /** The backend's decisions, one per delivery at most, oldest first. */
  decisions?: RecordedDecision[];
}

const FIXING_TTL_S = 7 * 24 * 3600;
/** Records read per round trip when walking the index. */
const PAGE = 200;

const CREATE = luaScript('registration-create');

/** Registrations by id (deterministic per completed flow, so one flow is one registration). */
export class RegistrationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** false when a registration with this id exists already (the same flow completing twice). */
  async create(rec: RegistrationRecord): Promise<boolean> {
    const created = await evalScript(
      this.redis,
      CREATE,
      2,
      this.keys.registration(rec.id),
      this.keys.registrationIndex(),
      JSON.stringify(rec),
      rec.createdAt,
      rec.id,
    );
    return created === 1;
  }

  async get(id: string): Promise<RegistrationRecord | undefined> {
    const raw = await this.redis.get(this.keys.registration(id));
    return raw ? (JSON.parse(raw) as RegistrationRecord) : undefined;
  }

  async save(rec: RegistrationRecord): Promise<void> {
    rec.updatedAt = Date.now();
    await this.redis.set(this.keys.registration(rec.id), JSON.stringify(rec));
  }

  /** Newest first. */
  async list(limit = 50, status?: RegistrationStatus): Promise<RegistrationRecord[]> {
    const out: RegistrationRecord[] = [];
    for await (const page of this.pages(status ? undefined : limit)) {
      for (const rec of page) if (!status || rec.status === status) out.push(rec);
      if (out.length >= limit) return out.slice(0, limit);
    }
    return out;
  }

  /** Every registration with this status, oldest first, a page at a time. */
  async *withStatus(status: RegistrationStatus): AsyncGenerator<RegistrationRecord> {
    for await (const page of this.pages(undefined, true)) for (const rec of page) if (rec.status === status) yield rec;
  }

  /** The index walked `PAGE` records per round trip (newest first unless `oldestFirst`). */
  private async *pages(max?: number, oldestFirst = false): AsyncGenerator<RegistrationRecord[]> {
    const index = this.keys.registrationIndex();
    for (let start = 0; max === undefined || start < max; start += PAGE) {
      const stop = start + (max === undefined ? PAGE : Math.min(PAGE, max - start)) - 1;
      const ids = oldestFirst ? await this.redis.zrange(index, start, stop) : await this.redis.zrevrange(index, start, stop);
      if (!ids.length) return;
      const raws = await this.redis.mget(ids.map((id) => this.keys.registration(id)));
      yield raws.flatMap((raw) => (raw ? [JSON.parse(raw) as RegistrationRecord] : []));
      if (ids.length < stop - start + 1) return;
    }
  }

  /** The decision taken for this delivery round of the registration, if any. */
  async decisionOf(id: string, round: number): Promise<TakenDecision | undefined> {
    const raw = await this.redis.get(this.decisionKey(id, round));
    return raw ? (JSON.parse(raw) as TakenDecision) : undefined;
  }

  /**
   * Takes the backend's decision on one delivery: only the first one for a round is kept (SET NX), so two
   * deliveries of the same call, even at the same instant, act once. Returns what is recorded either way.
   */
  async claimDecision(id: string, round: number, decision: TakenDecision): Promise<{ claimed: boolean; recorded: TakenDecision }> {
    if (await this.redis.set(this.decisionKey(id, round), JSON.stringify(decision), 'NX')) return { claimed: true, recorded: decision };
    return { claimed: false, recorded: (await this.decisionOf(id, round))! };
  }

  /** The registration waiting for corrections in this chat, if any. */
  async fixingIn(session: string, chatKey: string): Promise<string | undefined> {
    return (await this.redis.get(this.fixingKey(session, chatKey))) ?? undefined;
  }

  async setFixing(session: string, chatKey: string, id: string | undefined): Promise<void> {
    if (id) await this.redis.set(this.fixingKey(session, chatKey), id, 'EX', FIXING_TTL_S);
    else await this.redis.del(this.fixingKey(session, chatKey));
  }

  private decisionKey(id: string, round: number): string {
    return `${this.keys.registration(id)}:decision:${round}`;
  }

  private fixingKey(session: string, chatKey: string): string {
    return `${this.keys.registration('fixing')}:${session}:${chatKey}`;
  }
}
