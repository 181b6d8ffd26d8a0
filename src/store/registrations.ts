import type Redis from 'ioredis';
import type { ChatTarget } from '../core/ports';
import type { Keys } from './keys';

export type RegistrationStatus = 'fixing' | 'queued' | 'delivered' | 'rejected' | 'failed';

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
}

const FIXING_TTL_S = 7 * 24 * 3600;

/** Registrations by id (deterministic per completed flow, so one flow is one registration). */
export class RegistrationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Keys,
  ) {}

  /** false when a registration with this id exists already (the same flow completing twice). */
  async create(rec: RegistrationRecord): Promise<boolean> {
    const ok = await this.redis.set(this.keys.registration(rec.id), JSON.stringify(rec), 'NX');
    if (ok !== 'OK') return false;
    await this.redis.zadd(this.keys.registrationIndex(), rec.createdAt, rec.id);
    return true;
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
    const ids = await this.redis.zrevrange(this.keys.registrationIndex(), 0, status ? -1 : limit - 1);
    const out: RegistrationRecord[] = [];
    for (const id of ids) {
      const rec = await this.get(id);
      if (rec && (!status || rec.status === status)) out.push(rec);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** The registration waiting for corrections in this chat, if any. */
  async fixingIn(session: string, chatKey: string): Promise<string | undefined> {
    return (await this.redis.get(this.fixingKey(session, chatKey))) ?? undefined;
  }

  async setFixing(session: string, chatKey: string, id: string | undefined): Promise<void> {
    if (id) await this.redis.set(this.fixingKey(session, chatKey), id, 'EX', FIXING_TTL_S);
    else await this.redis.del(this.fixingKey(session, chatKey));
  }

  private fixingKey(session: string, chatKey: string): string {
    return `${this.keys.registration('fixing')}:${session}:${chatKey}`;
  }
}
