/**
 * Spaces the sends of one WhatsApp number like a person would (a minimum gap with jitter, a typing
 * pause that grows with the text), which protects the number from bans. Per session, across chats.
 */
export interface PacingSettings {
  minGapMs: number;
  jitterMs: number;
  typing: boolean;
  typingMsPerChar: number;
  maxTypingMs: number;
}

export class Pacer {
  private next = new Map<string, number>();

  constructor(
    private readonly settings: (session: string) => PacingSettings,
    private readonly random: () => number = Math.random,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Waits for this session's next slot; returns how long to show "typing..." before a text. */
  async slot(session: string, textLength: number): Promise<number> {
    const s = this.settings(session);
    const now = Date.now();
    const at = Math.max(now, this.next.get(session) ?? 0);
    const typingMs = s.typing && textLength > 0 ? Math.min(s.maxTypingMs, textLength * s.typingMsPerChar) : 0;
    this.next.set(session, at + typingMs + s.minGapMs + Math.round(this.random() * s.jitterMs));
    if (at > now) await this.sleep(at - now);
    return typingMs;
  }
}
