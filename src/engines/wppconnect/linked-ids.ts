import type { ContactInfo } from '../../core/messages';
import type { WppClient } from './library';
import { widOf, type RawJson } from './normalise';
import { isLidId, isPhoneId } from '../../core/whatsapp-ids';

/** How long a lookup that found nothing stands before WhatsApp Web is asked again. */
export const LOOKUP_MISS_TTL_MS = 10 * 60_000;
const MAX_MISSES = 5000;

export interface LinkedEntry {
  lid?: string;
  /** `<digits>@c.us` */
  phone?: string;
  contact?: RawJson;
}

interface Miss {
  until: number;
  /** What was found all the same, for callers that want the whole answer again. */
  info?: ContactInfo;
}

/**
 * The phone <-> linked id (LID) link of contacts, through wppconnect's `getPnLidEntry`. A lookup that
 * finds nothing is remembered for a while: wa-js asks WhatsApp's server for a phone number's LID
 * whenever its cache lacks it, and a chat whose contact hides its number would otherwise cost lookups
 * on every message.
 */
export class LinkedIds {
  private readonly misses = new Map<string, Miss>();

  constructor(private readonly ttlMs = LOOKUP_MISS_TTL_MS) {}

  /** WhatsApp Web's entry for `id`; undefined when it failed or lately found nothing. */
  async entry(client: WppClient, id: string): Promise<LinkedEntry | undefined> {
    if (this.recentMiss(id)) return undefined;
    const raw = (await client.getPnLidEntry(id).catch(() => undefined)) as unknown as RawJson | undefined;
    const entry: LinkedEntry = {
      lid: widOf(raw?.lid),
      phone: widOf(raw?.phoneNumber),
      contact: (raw?.contact as RawJson | undefined) ?? undefined,
    };
    if (!otherForm(id, entry)) this.remember(id);
    return raw ? entry : undefined;
  }

  /** The other form of `id` (its LID for a phone id, its phone id for a LID), when WhatsApp Web knows it. */
  async other(client: WppClient, id: string): Promise<string | undefined> {
    const entry = await this.entry(client, id);
    return entry && otherForm(id, entry);
  }

  recentMiss(id: string): Miss | undefined {
    const miss = this.misses.get(id);
    if (!miss) return undefined;
    if (miss.until > Date.now()) return miss;
    this.misses.delete(id);
    return undefined;
  }

  remember(id: string, info?: ContactInfo): void {
    if (this.misses.size >= MAX_MISSES) this.prune();
    this.misses.set(id, { until: Date.now() + this.ttlMs, ...(info ? { info } : {}) });
  }

  private prune(): void {
    const now = Date.now();
    for (const [id, miss] of this.misses) if (miss.until <= now) this.misses.delete(id);
    // Still full of fresh misses: the oldest go first.
    for (const id of this.misses.keys()) {
      if (this.misses.size < MAX_MISSES) break;
      this.misses.delete(id);
    }
  }
}

function otherForm(id: string, entry: LinkedEntry): string | undefined {
  if (isLidId(id)) return entry.phone;
  if (isPhoneId(id)) return entry.lid;
  return undefined;
}
