import type { CallEvent } from '../core/messages';
import type { CallOutcome } from '../core/ports';
import type { EngineSession } from '../engines/types';
import type { Logger } from '../observability/logger';

/** A session's call settings (config `sessions[].calls`). */
export interface CallSettings {
  reject: boolean;
  reply?: string;
}

export type { CallOutcome };

/** Engines may report the same offer more than once (ringing updates): act on each call once. */
const REMEMBERED_CALLS = 500;

/**
 * Incoming WhatsApp calls cannot be taken in Chatwoot. With `reject`, Ponte declines them at once so
 * the caller is not left ringing, and sends `reply` (one-to-one calls only: a text in a group because
 * someone called would surprise everyone else).
 */
export class CallPolicy {
  private readonly seen = new Set<string>();

  constructor(private readonly logger: Logger) {}

  async handle(engine: EngineSession, call: CallEvent, settings: CallSettings): Promise<CallOutcome | undefined> {
    const key = `${engine.id}|${call.id}`;
    if (this.seen.has(key)) return undefined;
    this.seen.add(key);
    if (this.seen.size > REMEMBERED_CALLS) this.seen.delete(this.seen.values().next().value!);
    // `from` is masked by the logger at info level.
    const log = { session: engine.id, from: call.from, video: call.isVideo, group: call.isGroup };
    if (!settings.reject) {
      this.logger.info(log, 'incoming call (not rejected: calls.reject is off)');
      return { rejected: false, replied: false };
    }
    const reject = engine.capabilities.rejectCall;
    if (!reject) {
      this.logger.warn(log, 'incoming call not rejected: the engine cannot reject calls');
      return { rejected: false, replied: false, error: `the ${engine.engine} engine cannot reject calls` };
    }
    try {
      await reject(call.id, call.from);
    } catch (err) {
      this.logger.warn({ ...log, err: { message: (err as Error).message } }, 'rejecting a call failed');
      return { rejected: false, replied: false, error: (err as Error).message };
    }
    const reply = settings.reply?.trim();
    if (!reply || call.isGroup) {
      this.logger.info(log, 'incoming call rejected');
      return { rejected: true, replied: false };
    }
    try {
      await engine.send({ kind: 'text', chatId: call.from, text: reply });
      this.logger.info(log, 'incoming call rejected; reply sent');
      return { rejected: true, replied: true };
    } catch (err) {
      this.logger.warn({ ...log, err: { message: (err as Error).message } }, 'call rejected but the reply could not be sent');
      return { rejected: true, replied: false, error: `the reply could not be sent: ${(err as Error).message}` };
    }
  }
}
