import type { ChatId, ContactInfo, RemoteMessage, SendResult } from '../core/messages';
import {
  EngineNotReadyError,
  type EngineCapabilities,
  type EngineEventSink,
  type EngineSession,
  type PairingInfo,
  type SessionState,
} from './types';

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

  async connect(): Promise<void> {
    for (const sink of this.sinks) sink({ type: 'state', change: { state: 'BAD_CREDENTIALS', reason: this.reason } });
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
  async send(): Promise<SendResult> {
    throw new EngineNotReadyError(this.id, 'BAD_CREDENTIALS');
  }
  async downloadMedia(): Promise<Buffer | undefined> {
    throw new EngineNotReadyError(this.id, 'BAD_CREDENTIALS');
  }
  async recentMessages(_chatId: ChatId): Promise<RemoteMessage[]> {
    throw new EngineNotReadyError(this.id, 'BAD_CREDENTIALS');
  }
  async activeChats(): Promise<ChatId[]> {
    throw new EngineNotReadyError(this.id, 'BAD_CREDENTIALS');
  }
  async resolveContact(id: string): Promise<ContactInfo> {
    return { id };
  }
}
