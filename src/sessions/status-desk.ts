import type { AgentEvent } from '../core/agent-messages';
import type { SessionStatus } from './manager';
import type { Logger } from '../observability/logger';

/** The contact_inbox source id of a status conversation: how every road (webhook, socket, poll) recognises it. */
export const STATUS_SOURCE_PREFIX = 'ponte-status:';

/** Where status messages appear: one conversation per inbox, with a contact named after Ponte. */
export interface StatusBoard {
  /** Posts as the Ponte contact; resolves with the message id. */
  post(session: string, inboxId: number, text: string, image?: { filename: string; mimetype: string; data: Buffer }): Promise<number>;
  /** Deletes an earlier post (a QR code that rotated or is no longer needed). */
  remove(session: string, inboxId: number, messageId: number): Promise<void>;
  /** The status conversation of the inbox, if Ponte made one. */
  isStatusConversation(inboxId: number, conversationId: number): boolean;
}

export interface StatusDeskDeps {
  board: StatusBoard;
  /** The session's inbox now (sessions may change at run time). */
  inboxOf: (session: string) => number | undefined;
  status: (session: string) => SessionStatus | undefined;
  /** Starts a login (QR, or a pairing code for `phone`), as `ponte sessions pair` does. */
  login: (session: string, phone?: string) => Promise<SessionStatus>;
  /** The typed number as E.164, or what is wrong with it (sessionStore.defaultCountry applies). */
  parsePhone: (typed: string) => { e164: string } | { problem: string };
  /** The QR code as a PNG. */
  qrImage: (qr: string) => Promise<Buffer>;
  logger: Logger;
  /**
   * Waits before each new try of a post Chatwoot refused or did not answer (default 1, 2, 4, 8 and 15 s):
   * a brief Chatwoot fault must not leave agents believing the number is still down.
   */
  retryDelaysMs?: number[];
}

const RETRY_DELAYS_MS = [1000, 2000, 4000, 8000, 15_000];

/** A wait that does not keep a stopping daemon alive. */
const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

const HELP =
  'I understand: "status" (how this number is now) and "pair" or "pair +351912345678" (a new QR code, or a pairing code for that number). Nothing written in this conversation is sent to WhatsApp.';

/**
 * Tells the agents, in a conversation of their own inbox, how the number is: when it reaches or leaves
 * CONNECTED (with the reason), and while it needs pairing the current QR code as an image (a new message
 * when it rotates, the old one deleted) or the pairing code. Agents may write "status" or "pair [+phone]"
 * there; nothing written there ever goes to WhatsApp.
 */
export class StatusDesk {
  /** Per session: the pairing shown now (QR text or code) and the message showing it. */
  private readonly shown = new Map<string, { key: string; messageId?: number }>();
  /** Per session: posts leave in order, one at a time. */
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly deps: StatusDeskDeps) {}

  /** SessionManager 'state' listener (every state event of a session running here). */
  onState(session: string, status: SessionStatus, previous: string): void {
    const state = status.state;
    if (state === 'CONNECTED' && previous !== 'CONNECTED') {
      this.enqueue(session, async (inbox) => {
        await this.dropPairing(session, inbox);
        await this.post(session, inbox, `✅ ${session} is connected${status.me ? ` as ${status.me}` : ''}. Messages flow again.`);
      });
    } else if (previous === 'CONNECTED' && state !== 'CONNECTED') {
      this.enqueue(session, (inbox) =>
        this.post(
          session,
          inbox,
          `⚠️ ${session} is no longer connected: ${state}${status.reason ? ` (${status.reason})` : ''}. Messages wait until it is back.`,
        ).then(() => undefined),
      );
    }
    if (state === 'QR_REQUIRED' && status.pairing) this.enqueue(session, (inbox) => this.showPairing(session, inbox, status));
    else if (state !== 'QR_REQUIRED' && this.shown.has(session)) this.enqueue(session, (inbox) => this.dropPairing(session, inbox));
  }

  /** Whether an agent event belongs to a status conversation (then it is handled here, never relayed). */
  owns(event: AgentEvent): boolean {
    const where = event.type === 'send' ? event.message : event;
    const chatKey = 'chatKey' in where ? where.chatKey : undefined;
    return Boolean(chatKey?.startsWith(STATUS_SOURCE_PREFIX)) || this.deps.board.isStatusConversation(where.inboxId, where.conversationId);
  }

  /** An agent wrote in the status conversation: a command, or anything else (answered with the help). */
  async handle(session: string, event: AgentEvent): Promise<void> {
    if (event.type !== 'send') return;
    const inbox = event.message.inboxId;
    const words = event.message.text
      .trim()
      .replace(/[*_~`]/g, '')
      .split(/\s+/);
    const command = words[0]?.toLowerCase();
    if (command === 'status') {
      const s = this.deps.status(session);
      await this.post(session, inbox, s ? describe(s) : `${session} is not running on this daemon.`);
      if (s?.state === 'QR_REQUIRED' && s.pairing) {
        // Asked for: shown again even if it did not change.
        this.shown.delete(session);
        await this.showPairing(session, inbox, s);
      }
      return;
    }
    if (command === 'pair') {
      const typed = words.slice(1).join('');
      let phone: string | undefined;
      if (typed) {
        const parsed = this.deps.parsePhone(typed);
        if ('problem' in parsed) {
          await this.post(session, inbox, `Cannot pair: ${parsed.problem}.`);
          return;
        }
        phone = parsed.e164;
      }
      const now = this.deps.status(session);
      if (now?.state === 'CONNECTED') {
        await this.post(
          session,
          inbox,
          `${session} is already connected${now.me ? ` as ${now.me}` : ''}: nothing to pair. To pair another phone, log this one out first (ponte sessions logout ${session}).`,
        );
        return;
      }
      await this.post(
        session,
        inbox,
        phone ? `Asking WhatsApp for a pairing code for ${phone}…` : 'Starting a login: the QR code follows here.',
      );
      await this.deps.login(session, phone);
      return;
    }
    await this.post(session, inbox, HELP);
  }

  private async showPairing(session: string, inbox: number, status: SessionStatus): Promise<void> {
    const p = status.pairing;
    const key = p?.qr ?? p?.pairingCode;
    if (!p || !key || this.shown.get(session)?.key === key) return;
    const previous = this.shown.get(session);
    this.shown.set(session, { key });
    const left = p.expiresAt ? ` (expires in ${Math.max(0, Math.round((p.expiresAt - Date.now()) / 1000))} s)` : '';
    let messageId: number;
    if (p.qr) {
      const image = { filename: `qr-${session}-${p.attempt}.png`, mimetype: 'image/png', data: await this.deps.qrImage(p.qr) };
      messageId = await this.deps.board.post(
        session,
        inbox,
        `📱 ${session} needs pairing. On the phone: WhatsApp › Linked devices › Link a device, and scan this QR code ${p.attempt}${left}. Or write "pair +<number>" here for a code to type instead.`,
        image,
      );
    } else {
      const code = p.pairingCode!.length === 8 ? `${p.pairingCode!.slice(0, 4)}-${p.pairingCode!.slice(4)}` : p.pairingCode!;
      messageId = await this.deps.board.post(
        session,
        inbox,
        `🔢 ${session} pairing code: ${code}${left}. On the phone: WhatsApp › Linked devices › Link a device › Link with phone number instead, and type it.`,
      );
    }
    const now = this.shown.get(session);
    if (now?.key === key) now.messageId = messageId;
    if (previous?.messageId) await this.removeQuietly(session, inbox, previous.messageId);
  }

  private async dropPairing(session: string, inbox: number): Promise<void> {
    const previous = this.shown.get(session);
    this.shown.delete(session);
    if (previous?.messageId) await this.removeQuietly(session, inbox, previous.messageId);
  }

  private async removeQuietly(session: string, inbox: number, messageId: number): Promise<void> {
    try {
      await this.deps.board.remove(session, inbox, messageId);
    } catch (err) {
      this.deps.logger.warn({ err, session }, 'could not delete an old pairing message from the status conversation');
    }
  }

  private post(session: string, inbox: number, text: string): Promise<number> {
    return this.deps.board.post(session, inbox, text);
  }

  /** Posts leave one at a time per session; a failure is logged, never thrown at the session's events. */
  private enqueue(session: string, step: (inbox: number) => Promise<void>): void {
    const inbox = this.deps.inboxOf(session);
    if (inbox === undefined) return;
    const previous = this.chains.get(session) ?? Promise.resolve();
    const next = previous.then(() => this.withRetries(session, () => step(inbox)));
    this.chains.set(session, next);
    void next.finally(() => {
      if (this.chains.get(session) === next) this.chains.delete(session);
    });
  }

  /** Tries a step again after each delay; the next steps of the session wait, so the posts keep their order. */
  private async withRetries(session: string, step: () => Promise<void>): Promise<void> {
    const delays = this.deps.retryDelaysMs ?? RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (err) {
        if (attempt >= delays.length) {
          this.deps.logger.warn({ err, session, attempts: attempt + 1 }, 'could not update the status conversation');
          return;
        }
        this.deps.logger.info({ err, session, inMs: delays[attempt] }, 'status conversation update failed; will try again');
        await pause(delays[attempt]);
      }
    }
  }

  /** Resolves once every post asked for so far has gone (tests, shutdown). */
  async idle(): Promise<void> {
    await Promise.all([...this.chains.values()]);
  }
}

function describe(s: SessionStatus): string {
  const since = ` since ${s.since.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
  const who = s.me ? ` as ${s.me}` : '';
  const why = s.reason ? ` (${s.reason})` : '';
  const owner = s.ownerId ? `; run by daemon ${s.ownerId}` : '';
  return `ℹ️ ${s.id} (${s.engine}) is ${s.state}${who}${since}${why}${owner}.`;
}
