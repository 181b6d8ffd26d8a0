import type { OutboundMessage } from './messages';
import type { Pacer } from './pacer';
import { EngineNotReadyError, type EngineSession } from '../engines/types';
import { PendingSends } from '../store/pending-sends';
import { RetryableError } from '../queue/errors';

/**
 * Sends one message as Ponte (an agent's reply or a bot's bubble): paced like a person, with "typing..."
 * before text, and registered as pending first so its fromMe echo is never mirrored back to Chatwoot.
 */
export class WhatsAppSender {
  constructor(
    private readonly pending: PendingSends,
    private readonly pacer: Pacer,
  ) {}

  /**
   * `alongside` writes what the caller keeps of the send (a part cursor, the id map) in the same Redis
   * round trip as the echo mark: one system call instead of several, on the path of every message.
   */
  async send(session: string, engine: EngineSession, part: OutboundMessage, alongside?: (remoteId: string) => Promise<unknown>): Promise<string> {
    const text = part.kind === 'text' ? part.text : 'caption' in part ? part.caption : undefined;
    const typingMs = await this.pacer.slot(session, part.kind === 'text' ? part.text.length : 0);
    if (typingMs > 0 && engine.capabilities.typing) {
      await engine.capabilities.typing(part.chatId, true).catch(() => undefined);
      await new Promise((r) => setTimeout(r, typingMs));
    }
    const fp = PendingSends.fingerprint(part.kind, text);
    await this.pending.register(session, part.chatId, fp);
    let remoteId: string;
    try {
      remoteId = (await engine.send(part)).remoteId;
    } catch (err) {
      await this.pending.cancel(session, part.chatId, fp);
      if (err instanceof EngineNotReadyError) throw new RetryableError(err.message);
      throw new RetryableError(`WhatsApp send failed: ${(err as Error).message}`);
    }
    // Sent: the registration stays for the echo that will come, whatever happens to these writes.
    await Promise.all([this.pending.markSent(session, remoteId), alongside?.(remoteId)]);
    return remoteId;
  }
}
