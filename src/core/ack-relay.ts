import type { Ack, AckEvent } from './messages';
import type { OutboundSource } from './ports';
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

/** WhatsApp delivery ticks become the helpdesk message's status (sent, delivered, read, failed). */
export class AckRelay {
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly idMap: IdMap,
    private readonly source: OutboundSource,
    private readonly logger: Logger,
  ) {}

  handle(session: string, ack: AckEvent, attempt = 0): void {
    const status = STATUS[ack.ack];
    if (!status) return;
    void this.apply(session, ack, status).then(
      (applied) => {
        if (!applied && attempt < RETRY_DELAYS_MS.length) this.later(RETRY_DELAYS_MS[attempt], () => this.handle(session, ack, attempt + 1));
      },
      (err: unknown) => {
        this.logger.warn({ err: { message: (err as Error).message }, session, ack: ack.ack }, 'status update failed');
        if (attempt < RETRY_DELAYS_MS.length) this.later(RETRY_DELAYS_MS[attempt], () => this.handle(session, ack, attempt + 1));
      },
    );
  }

  private async apply(session: string, ack: AckEvent, status: 'sent' | 'delivered' | 'read' | 'failed'): Promise<boolean> {
    const ref = await this.idMap.byWa(session, ack.messageId);
    if (!ref) return false;
    if (ref === 'handled') return true;
    await this.source.setStatus(ref, status, status === 'failed' ? 'WhatsApp reported the message as failed' : undefined);
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
