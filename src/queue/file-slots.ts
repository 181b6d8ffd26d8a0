import { NotYetError } from './errors';

/** A waiter that stopped asking (its item went elsewhere, or its daemon stopped) loses its place after this. */
const STALE_MS = 5_000;
/** How soon an item without a slot is worked on again: a file is usually through in a second or two. */
export const FILE_WAIT_MS = 300;
/**
 * Files known to be this small take no slot: photos and voice notes cost little, and must not wait
 * behind a video on its way.
 */
export const SMALL_FILE_BYTES = 1024 * 1024;

export class NoFileSlotError extends NotYetError {
  constructor() {
    super('as many files as queue.filesInFlight are in flight: this one waits its turn', FILE_WAIT_MS);
    this.name = 'NoFileSlotError';
  }
}

/**
 * Files held in memory at once by this daemon (queue.filesInFlight), both directions together: a big file
 * is held whole from its download until it went, and engines add their own copies on the way (the page
 * hands files over as base64), so a burst of them must not all be in memory at once. A relay takes a slot
 * before it fetches a file and gives it back once the file went. Without a free slot the item is handed
 * back (NotYetError: the chat's lane waits, the worker serves other chats, nothing is dropped), and
 * waiters are served in arrival order, so a file that waits is not overtaken by one arriving later.
 */
export class FileSlots {
  private used = 0;
  /** Ticket -> when it last asked; a Map keeps insertion order, so a ticket keeps its place while it asks. */
  private readonly waiting = new Map<string, number>();

  constructor(
    readonly limit: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** A slot for the file of `ticket` (the same for every attempt of one item), or NoFileSlotError. */
  take(ticket: string): () => void {
    const now = this.now();
    for (const [t, at] of this.waiting) if (now - at > STALE_MS) this.waiting.delete(t);
    const free = this.limit - this.used;
    const ahead = this.waiting.has(ticket) ? [...this.waiting.keys()].indexOf(ticket) : this.waiting.size;
    if (free > 0 && ahead < free) {
      this.waiting.delete(ticket);
      this.used += 1;
      let given = false;
      return () => {
        if (given) return;
        given = true;
        this.used -= 1;
      };
    }
    this.waiting.set(ticket, now);
    throw new NoFileSlotError();
  }

  inFlight(): number {
    return this.used;
  }

  /** Whether a file of this size (undefined: not known before it is fetched) takes a slot. */
  static counts(size: number | undefined): boolean {
    return size === undefined || size > SMALL_FILE_BYTES;
  }
}
