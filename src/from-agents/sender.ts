import { randomUUID } from 'node:crypto';
import type { OutboundMessage, RemoteMessage } from '../core/messages';
import type { Pacer } from './pacer';
import { SendDeadlineError, withDeadline } from './send-deadline';
import { EngineNotReadyError, type EngineSession } from '../engines/types';
import type { IdMap } from '../store/id-map';
import { PendingSends } from '../store/pending-sends';
import { RetryableError } from '../queue/errors';
import { maskPhoneLike, type Logger } from '../observability/logger';
import { inSpan, SpanKind } from '../observability/tracing';

/** What became of one send. */
export interface Sent {
  remoteId: string;
  /** WhatsApp refused the quote and the message went without it. */
  quoteDropped: boolean;
  /** Not sent now: an earlier attempt's message was found in the chat and taken as this send. */
  adopted: boolean;
}

export interface SendOptions {
  /**
   * The same for every attempt of one message (an agent message's part, a bot bubble): after an attempt
   * whose outcome is unknown, the next one looks for the message in the chat instead of sending it again.
   */
  key?: string;
  /**
   * Writes what the caller keeps of the send (a part cursor, the id map) in the same Redis round trip as
   * the echo mark: one system call instead of several, on the path of every message.
   */
  alongside?: (sent: Sent) => Promise<unknown>;
}

export interface SenderOptions {
  idMap: IdMap;
  /** Longest a send may take (config sessions[].sendTimeoutMs); past it its outcome is unknown. */
  deadlineMs: (session: string) => number;
  logger: Logger;
}

/** Our own message may carry a timestamp from WhatsApp's clock, a little before ours. */
const CLOCK_SLACK_S = 5;
/** A send's hold on fromMe messages outlives its deadline by this much (the echo may trail the answer). */
const HOLD_GRACE_MS = 5_000;

/**
 * Sends one message as Ponte (an agent's reply or a bot's bubble): paced like a person, with "typing..."
 * before text, registered first so its fromMe echo is never mirrored back to Chatwoot, and bounded by a
 * deadline. A send whose outcome is unknown is never blindly repeated: the retry looks for it first.
 */
export class WhatsAppSender {
  constructor(
    private readonly pending: PendingSends,
    private readonly pacer: Pacer,
    private readonly options: SenderOptions,
  ) {}

  send(session: string, engine: EngineSession, part: OutboundMessage, opts: SendOptions = {}): Promise<Sent> {
    return inSpan(
      'whatsapp.send',
      { 'ponte.session': session, 'ponte.kind': part.kind },
      async (span) => {
        const sent = await this.paced(session, engine, part, opts);
        span.setAttribute('ponte.outcome', sent.adopted ? 'adopted' : 'sent');
        span.setAttribute('ponte.message', maskPhoneLike(sent.remoteId));
        return sent;
      },
      { kind: SpanKind.PRODUCER },
    );
  }

  private async paced(session: string, engine: EngineSession, part: OutboundMessage, opts: SendOptions): Promise<Sent> {
    const text = textOf(part);
    const typingMs = await this.pacer.slot(session, part.kind === 'text' ? part.text.length : 0);
    if (typingMs > 0 && engine.capabilities.typing) {
      await engine.capabilities.typing(part.chatId, true).catch(() => undefined);
      await new Promise((r) => setTimeout(r, typingMs));
    }
    const token = opts.key ?? `once:${randomUUID()}`;
    const fp = PendingSends.fingerprint(part.kind, text);
    const deadlineMs = this.options.deadlineMs(session);
    const attempt = await this.pending.begin(session, token, fp, deadlineMs + HOLD_GRACE_MS);
    if (attempt.unknown) {
      const found = await this.findOwn(session, engine, part, token, fp, attempt.startedAt);
      if (found) {
        const sent: Sent = { remoteId: found.id, quoteDropped: false, adopted: true };
        await Promise.all([this.pending.settled(session, token, fp, found.id), opts.alongside?.(sent)]);
        this.options.logger.info({ session, kind: part.kind }, 'an earlier attempt had sent the message: adopted, not sent again');
        return sent;
      }
    }
    let result;
    try {
      result = await withDeadline(engine.send(part), deadlineMs, (late) => this.lateAnswer(session, token, late.remoteId));
    } catch (err) {
      if (err instanceof EngineNotReadyError) {
        await this.pending.notSent(session, token, fp);
        throw new RetryableError(err.message);
      }
      // The message may have gone all the same: the hold stays, and the retry looks before it sends. A send
      // without a key has no retry to look for it: holding back the phone's messages would serve nothing.
      if (opts.key) await this.pending.unknown(session, token, fp);
      else await this.pending.notSent(session, token, fp);
      if (err instanceof SendDeadlineError) {
        this.options.logger.warn(
          { session, kind: part.kind, deadlineMs },
          'WhatsApp did not answer a send in time; its outcome is unknown',
        );
        throw new RetryableError(`${err.message}; before sending again Ponte looks for it in the chat`);
      }
      throw new RetryableError(`WhatsApp send failed: ${(err as Error).message}`);
    }
    const sent: Sent = { remoteId: result.remoteId, quoteDropped: result.quoteDropped === true, adopted: false };
    // Sent: the echo is ours from now on, whatever happens to these writes.
    await Promise.all([this.pending.settled(session, token, fp, sent.remoteId), opts.alongside?.(sent)]);
    return sent;
  }

  /**
   * A fromMe message in the chat since the first attempt started, with this send's content, that no other
   * send and no relayed message has: the message an attempt sent without Ponte learning its id.
   */
  private async findOwn(
    session: string,
    engine: EngineSession,
    part: OutboundMessage,
    token: string,
    fp: string,
    startedAt: number,
  ): Promise<RemoteMessage | undefined> {
    let recent: RemoteMessage[];
    try {
      recent = await engine.recentMessages(part.chatId, Math.floor(startedAt / 1000) - CLOCK_SLACK_S);
    } catch (err) {
      // Sending without having looked could reach the customer twice: try again later instead.
      throw new RetryableError(`could not look for an earlier attempt's message before sending again: ${(err as Error).message}`);
    }
    for (const m of recent) {
      if (!m.fromMe || PendingSends.fingerprint(m.kind, m.text) !== fp) continue;
      const [owner, mapped] = await Promise.all([this.pending.ownerOf(session, m.id), this.options.idMap.byWa(session, m.id)]);
      if (owner === token) return m;
      if (owner !== undefined || mapped !== undefined) continue;
      if (await this.pending.claim(session, m.id, token)) return m;
    }
    return undefined;
  }

  /** A send that answered after its deadline: its id is this send's, so its echo is ours and the retry finds it. */
  private lateAnswer(session: string, token: string, waId: string): void {
    this.pending.claim(session, waId, token).then(
      (mine) => this.options.logger.info({ session, mine }, 'a send answered after its deadline'),
      (err: Error) => this.options.logger.warn({ session, err: { message: err.message } }, 'could not record a late send answer'),
    );
  }
}

function textOf(part: OutboundMessage): string | undefined {
  return part.kind === 'text' ? part.text : 'caption' in part ? part.caption : undefined;
}
