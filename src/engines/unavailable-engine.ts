import type { ChatId, ContactInfo, RemoteMessage, SendResult } from '../core/messages';
import {
  EngineNotReadyError,
  type EngineCapabilities,
  type EngineEventSink,
  type EngineSession,
  type PairingInfo,
  type SessionState,
} from './types';
import { settled } from '../core/settled';

/**
 * Stands in for an engine that could not be built (library missing, adapter refused its settings): the
 * session shows BAD_CREDENTIALS with the reason, is never reconnected automatically, and the daemon and
 * the other sessions run on.
 */
export class UnavailableEngine implements EngineSession {
  readonly capabilities: EngineCapabilities = {};
  private sinks: EngineEventSink[] = [];
  readonly reason: string;

  constructor(
    readonly id: string,
    readonly engine: string,
    error: unknown,
  ) {
    this.reason = `the ${engine} engine could not be started: ${error instanceof Error ? error.message : String(error)}`;
  }

  connect(): Promise<void> {
    return settled(() => {
      for (const sink of this.sinks) sink({ type: 'state', change: { state: 'BAD_CREDENTIALS', reason: this.reason } });
    });
  }
  async disconnect(): Promise<void> {}
  async logout(): Promise<void> {}
  state(): SessionState {
    return 'BAD_CREDENTIALS';
  }
  pairing(): PairingInfo | undefined {
    return undefined;
  }
  me(): string | undefined {
    return undefined;
  }
  onEvent(sink: EngineEventSink): void {
    this.sinks.push(sink);
  }
  send(): Promise<SendResult> {
    return Promise.reject(new EngineNotReadyError(this.id, 'BAD_CREDENTIALS'));
  }
  downloadMedia(): Promise<Buffer | undefined> {
    return Promise.reject(new EngineNotReadyError(this.id, 'BAD_CREDENTIALS'));
  }
  recentMessages(_chatId: ChatId): Promise<RemoteMessage[]> {
    return Promise.reject(new EngineNotReadyError(this.id, 'BAD_CREDENTIALS'));
  }
  activeChats(): Promise<ChatId[]> {
    return Promise.reject(new EngineNotReadyError(this.id, 'BAD_CREDENTIALS'));
  }
  resolveContact(id: string): Promise<ContactInfo> {
    return Promise.resolve({ id });
  }
}
