import type { EngineSession } from '../engines/types';
import type { IdMap } from '../store/id-map';
import type { WhatsAppCatchupMarks } from '../store/whatsapp-catchup-marks';
import type { Logger } from '../observability/logger';
import type { FromWhatsAppJob } from './relay';

export interface FromWhatsAppCatchupDeps {
  /** The newest relayed message of each chat: where a sweep starts looking. */
  marks: WhatsAppCatchupMarks;
  idMap: IdMap;
  /** false when the message was already taken in (live, or by an earlier sweep). */
  enqueue: (job: FromWhatsAppJob) => Promise<boolean>;
  logger: Logger;
  lookbackMinutes: number;
}

/** Overlap with the last sweep: engines' clocks and ours differ, and dedupe makes overlap free. */
const OVERLAP_S = 120;
const MAX_LOOKBACK_S = 7 * 24 * 3600;

/** Marks are written in batches: catch-up overlaps by minutes anyway, so a lost second costs nothing. */
const FLUSH_MS = 1000;

/**
 * Asks a session's engine for messages the live connection may have missed (while disconnected, or
 * dropped by the library) and feeds the unrelayed ones through the normal inbound path.
 */
export class FromWhatsAppCatchup {
  private marks = new Map<string, number>();
  private flusher?: NodeJS.Timeout;

  constructor(private readonly deps: FromWhatsAppCatchupDeps) {}

  /** Records that a chat's messages up to `timestamp` (unix s) were relayed. */
  seen(session: string, chatId: string, timestamp: number): void {
    const key = `${session}\u0000${chatId}`;
    if ((this.marks.get(key) ?? 0) < timestamp) this.marks.set(key, timestamp);
    if (!this.flusher) {
      this.flusher = setTimeout(() => void this.flush().catch(() => undefined), FLUSH_MS);
      this.flusher.unref();
    }
  }

  /** Writes the pending marks (also called before a sweep reads them). */
  async flush(): Promise<void> {
    clearTimeout(this.flusher);
    this.flusher = undefined;
    if (!this.marks.size) return;
    const batch = this.marks;
    this.marks = new Map();
    await this.deps.marks.raise(
      [...batch].map(([key, timestamp]) => {
        const [session, chatId] = key.split('\u0000');
        return { session, chatId, timestamp };
      }),
    );
  }

  /** Returns how many missed messages were found and enqueued. */
  async sweep(session: string, engine: EngineSession): Promise<number> {
    if (engine.state() !== 'CONNECTED') return 0;
    await this.flush();
    const { marks: stored, idMap } = this.deps;
    const seen = await stored.of(session);
    const now = Math.floor(Date.now() / 1000);
    const marks = Object.values(seen);
    // After a long downtime, look back to the last message relayed before it (at most a week).
    const lastRelayed = marks.length ? Math.max(...marks) - OVERLAP_S : Infinity;
    const since = Math.max(now - MAX_LOOKBACK_S, Math.min(now - this.deps.lookbackMinutes * 60, lastRelayed));
    const chats = await engine.activeChats(since);
    let found = 0;
    for (const chatId of chats) {
      const chatSince = seen[chatId] !== undefined ? seen[chatId] - OVERLAP_S : since;
      const messages = await engine.recentMessages(chatId, chatSince);
      for (const message of messages) {
        if (await idMap.byWa(session, message.id)) continue;
        if (await this.deps.enqueue({ session, receivedAt: Date.now(), catchup: true, event: { type: 'message', message } })) found += 1;
      }
    }
    if (found) this.deps.logger.info({ session, found }, 'catch-up found missed messages');
    return found;
  }
}
