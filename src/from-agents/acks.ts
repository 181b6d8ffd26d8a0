import type { Ack, AckEvent } from '../core/messages';
import type { AgentMessageSource } from '../core/ports';
import { noJourney, type JourneyLog } from '../core/journey';
import type { IdMap } from '../store/id-map';
import type { Logger } from '../observability/logger';

const STATUS: Partial<Record<Ack, 'sent' | 'delivered' | 'read' | 'failed'>> = {
  SENT: 'sent',
  DELIVERED: 'delivered',
  READ: 'read',
  PLAYED: 'read',
  FAILED: 'failed',
};
/** An ack can overtake the recording of its send: look again a few times before letting it go. */
const RETRY_DELAYS_MS = [200, 500, 1000, 2000, 4000];
/** Chatwoot ignores only read -> delivered; a late "sent" after "read" would show the wrong tick. */
const RANK = { sent: 1, delivered: 2, read: 3, failed: 4 } as const;
const REMEMBERED = 20_000;

/** WhatsApp delivery ticks become the helpdesk message's status (sent, delivered, read, failed). */
export class AckRelay {
  private timers = new Set<NodeJS.Timeout>();
  /** Highest status sent (or being sent) per WhatsApp message, so ticks never go backwards. */
  private best = new Map<string, number>();
  private chains = new Map<string, Promise<void>>();

  constructor(
    private readonly idMap: IdMap,
    private readonly source: AgentMessageSource,
    private readonly logger: Logger,
    /** Each tick shown on a message goes into its journey. */
    private readonly journey: JourneyLog = noJourney,
  ) {}

  handle(session: string, ack: AckEvent, attempt = 0): void {
    const status = STATUS[ack.ack];
    if (!status) return;
    const key = `${session}:${ack.messageId}`;
    const rank = RANK[status];
    if ((this.best.get(key) ?? 0) > rank || (attempt === 0 && this.best.get(key) === rank)) return;
    this.remember(key, rank);
    const retry = () => {
      if (attempt < RETRY_DELAYS_MS.length) this.later(RETRY_DELAYS_MS[attempt], () => this.handle(session, ack, attempt + 1));
    };
    const run = async () => {
      if ((this.best.get(key) ?? 0) > rank) return; // a later tick came while this one waited
      if (!(await this.apply(session, ack, status))) retry();
    };
    // One update at a time per message: two PATCHes in flight could land in the wrong order.
    const next = (this.chains.get(key) ?? Promise.resolve()).then(run).catch((err: unknown) => {
      this.logger.warn({ err: { message: (err as Error).message }, session, ack: ack.ack }, 'status update failed');
      retry();
    });
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private remember(key: string, rank: number): void {
    this.best.delete(key);
    this.best.set(key, rank);
    // Oldest first: a Map iterates in insertion order.
    if (this.best.size > REMEMBERED) this.best.delete(this.best.keys().next().value as string);
  }

  private async apply(session: string, ack: AckEvent, status: 'sent' | 'delivered' | 'read' | 'failed'): Promise<boolean> {
    const ref = await this.idMap.byWa(session, ack.messageId);
    if (!ref) return false;
    if (ref === 'handled') return true;
    await this.source.setStatus(ref, status, status === 'failed' ? 'WhatsApp reported the message as failed' : undefined);
    // Under the Chatwoot message: an agent's message's own journey, which `messages find` reads alone.
    this.journey.note({ side: 'cw', id: String(ref.messageId) }, { step: 'tick', status, whatsapp: ack.messageId });
    return true;
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    t.unref();
    this.timers.add(t);
  }

  stop(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
