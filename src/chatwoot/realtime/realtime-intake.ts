import type { AgentEvent } from '../../core/agent-messages';
import type { BackoffPolicy } from '../../core/backoff';
import type { Logger } from '../../observability/logger';
import type { Metrics } from '../../observability/metrics';
import type { CwConversation } from '../types';
import { CableClient, type CableState } from './cable-client';
import { ConversationContacts } from './conversation-contacts';
import { realtimeToEvent } from './frame-to-event';
import { roomIdentifier } from './frames';

/**
 * Where realtime events go: the webhook's intake (from-agents/intake.ts). It claims the delivery keys,
 * the same as the webhook's (a webhook that also arrives is a duplicate), and persists the event in its
 * conversation's lane in one step: 'duplicate' when a key was claimed before, and when it throws neither
 * happened.
 */
export interface RealtimeSink {
  persistOnce(event: AgentEvent, deliveryKeys: string[]): Promise<'queued' | 'duplicate' | 'unmapped'>;
}

export interface ChatwootRealtimeOptions {
  client: {
    profile(): Promise<{ id: number; pubsub_token?: string; accounts?: Array<{ id: number }> }>;
    getConversation(id: number): Promise<CwConversation>;
  };
  accountId: number;
  /** ws(s)://…/cable */
  url: string;
  /** Origin header of the upgrade (Chatwoot's own URL). */
  origin?: string;
  staleAfterMs: number;
  subscribeTimeoutMs: number;
  reconnect: BackoffPolicy;
  sink: RealtimeSink;
  inboxMapped: (inboxId: number) => boolean;
  /** Looks in Chatwoot now for what the socket may have missed (the poll's sweep), resolving when done. */
  sweep: () => Promise<void>;
  /** The socket went down or lost an event: poll at the adaptive rate from now on. */
  wake: () => void;
  metrics: Metrics;
  logger: Logger;
  random?: () => number;
}

export interface RealtimeStatus {
  /**
   * The socket's state, or `deaf`: subscribed, but the poll found agent messages it never delivered,
   * and it has not heard a broadcast since (it was replaced; the poll runs at its adaptive rate).
   */
  state: CableState | 'deaf';
  since: string;
  reconnects: number;
  lastError?: string;
  url: string;
}

/**
 * Agent messages pulled from Chatwoot's ActionCable RoomChannel, for a Ponte that Chatwoot cannot reach.
 * Frames are handled one at a time, in arrival order. Every (re)subscription first sweeps Chatwoot for
 * what was written while the socket was down, and frames that arrive meanwhile wait behind it, so the
 * order of a conversation's replies survives a reconnect; the durable id map drops whatever both
 * paths found. An event that cannot be queued is left to the poll (and the next frame waits for it).
 */
export class ChatwootRealtime {
  private readonly cable: CableClient;
  private readonly contacts: ConversationContacts;
  private subscribedAt?: number;
  private deaf?: { since: number; reason: string };
  /** Agent messages the poll found while subscribed, each with the check that declares the socket deaf. */
  private readonly unheard = new Map<number, NodeJS.Timeout>();
  private chain: Promise<void> = Promise.resolve();
  private needsSweep = false;
  private downSince?: number;
  private lastWarned?: string;

  constructor(private readonly o: ChatwootRealtimeOptions) {
    this.contacts = new ConversationContacts(o.client);
    this.cable = new CableClient({
      url: o.url,
      headers: o.origin ? { Origin: o.origin } : undefined,
      identifier: () => this.identifier(),
      staleAfterMs: o.staleAfterMs,
      subscribeTimeoutMs: o.subscribeTimeoutMs,
      reconnect: o.reconnect,
      random: o.random,
    });
    this.cable.on('state', (state, previous) => this.onState(state, previous));
    this.cable.on('message', (message) => {
      this.heard(message);
      this.push(() => this.handle(message));
    });
    this.cable.on('retry', ({ failures, delayMs, reason }) => {
      o.metrics.realtimeReconnects.inc();
      // One warning per distinct reason, not one per attempt of a long outage.
      const log = reason !== this.lastWarned ? 'warn' : 'debug';
      this.lastWarned = reason;
      o.logger[log]({ reason, failures, retryInMs: delayMs, url: o.url }, 'Chatwoot realtime connection unavailable; polling meanwhile');
    });
  }

  start(): void {
    this.o.metrics.realtimeConnected.set(0);
    this.downSince = Date.now();
    this.cable.start();
  }

  async stop(): Promise<void> {
    this.forgetUnheard();
    await this.cable.stop();
    await this.idle();
  }

  /** True while subscribed and hearing: agent messages arrive within milliseconds and the poll only backs it up. */
  live(): boolean {
    return this.cable.state() === 'subscribed' && !this.deaf;
  }

  /**
   * The poll queued an agent message that no path had delivered. Written while the socket was subscribed,
   * its broadcast is due within milliseconds: if it has not come within staleAfterMs of the writing, the
   * subscription hears pings but not its stream. Reported (state `deaf`) and replaced.
   */
  missedBySocket(messageId: number, createdAtSec: number): void {
    if (this.cable.state() !== 'subscribed' || this.subscribedAt === undefined || this.unheard.has(messageId)) return;
    const writtenAt = createdAtSec * 1000;
    // Chatwoot's created_at has whole seconds: a message of the subscription's own second may predate it.
    if (writtenAt < this.subscribedAt + 1000) return;
    const check = setTimeout(
      () => {
        this.unheard.delete(messageId);
        this.declareDeaf(writtenAt);
      },
      Math.max(0, writtenAt + this.o.staleAfterMs - Date.now()),
    );
    check.unref();
    this.unheard.set(messageId, check);
  }

  private declareDeaf(writtenAt: number): void {
    if (this.cable.state() !== 'subscribed') return;
    const reason = `subscribed but deaf: an agent message written ${Math.round((Date.now() - writtenAt) / 1000)} s ago came by the poll, the socket never delivered it`;
    this.deaf = { since: this.deaf?.since ?? Date.now(), reason };
    this.o.logger.warn({ url: this.o.url }, 'Chatwoot realtime subscription hears nothing; replacing it and polling meanwhile');
    this.o.wake();
    this.cable.replace(reason);
  }

  private heard(payload: unknown): void {
    // Any broadcast proves the subscription hears its stream (Chatwoot sends presence.update on subscribing).
    this.deaf = undefined;
    const id = (payload as { data?: { id?: unknown } } | undefined)?.data?.id;
    const check = typeof id === 'number' ? this.unheard.get(id) : undefined;
    if (check) {
      clearTimeout(check);
      this.unheard.delete(id as number);
    }
  }

  private forgetUnheard(): void {
    for (const check of this.unheard.values()) clearTimeout(check);
    this.unheard.clear();
  }

  /** Resolves once every frame received so far has been handled. */
  async idle(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.chain;
      await seen;
    } while (seen !== this.chain);
  }

  status(): RealtimeStatus {
    const s = this.cable.status();
    if (this.deaf && (s.state === 'subscribed' || s.state === 'connecting' || s.state === 'connected')) {
      return {
        state: 'deaf',
        since: new Date(this.deaf.since).toISOString(),
        reconnects: s.reconnects,
        lastError: this.deaf.reason,
        url: this.o.url,
      };
    }
    return {
      state: s.state,
      since: new Date(s.since).toISOString(),
      reconnects: s.reconnects,
      ...(s.lastError ? { lastError: s.lastError } : {}),
      url: this.o.url,
    };
  }

  /**
   * Read at every connection: Chatwoot gives the user a new pubsub_token when its password changes and
   * answers a subscription with the old one with silence, so a kept token would fail until a restart.
   */
  private async identifier(): Promise<string> {
    const p = await this.o.client.profile();
    if (!p.pubsub_token) throw new Error('GET /api/v1/profile has no pubsub_token (chatwoot.apiToken must be a user token)');
    if (p.accounts && !p.accounts.some((a) => a.id === this.o.accountId))
      throw new Error(`the token's user is not a member of account ${this.o.accountId}`);
    return roomIdentifier({ pubsubToken: p.pubsub_token, accountId: this.o.accountId, userId: p.id });
  }

  private onState(state: CableState, previous: CableState): void {
    const { metrics, logger } = this.o;
    metrics.realtimeConnected.set(state === 'subscribed' ? 1 : 0);
    if (state === 'subscribed') {
      this.subscribedAt = Date.now();
      logger.info({ url: this.o.url, downMs: this.downSince ? Date.now() - this.downSince : undefined }, 'Chatwoot realtime subscribed');
      this.downSince = undefined;
      this.lastWarned = undefined;
      this.needsSweep = true;
      this.push(() => this.sweepIfNeeded());
    } else if (previous === 'subscribed') {
      // Down: whatever it missed is the sweep's at the next subscription, not evidence of deafness.
      this.subscribedAt = undefined;
      this.forgetUnheard();
      this.downSince = Date.now();
      logger.warn({ state, reason: this.cable.status().lastError }, 'Chatwoot realtime connection lost; polling until it is back');
      this.o.wake();
    }
  }

  private push(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.o.logger.error({ err }, 'realtime event handling failed'));
  }

  private async sweepIfNeeded(): Promise<void> {
    if (!this.needsSweep) return;
    this.needsSweep = false;
    try {
      await this.o.sweep();
    } catch (err) {
      this.o.logger.warn({ err }, 'catch-up sweep after the realtime (re)subscription failed; the poll keeps trying');
      this.o.wake();
    }
  }

  private async handle(payload: unknown): Promise<void> {
    const { metrics, sink } = this.o;
    await this.sweepIfNeeded();
    const outcome = realtimeToEvent(payload, this.o.accountId, this.o.inboxMapped);
    if ('ignored' in outcome) {
      if (outcome.counted) metrics.ignored.labels(outcome.ignored).inc();
      return;
    }
    let persisted: 'queued' | 'duplicate' | 'unmapped';
    try {
      persisted = await sink.persistOnce(await this.contacts.complete(outcome.event), [outcome.deliveryKey]);
    } catch (err) {
      // Neither claimed nor queued: the sweep that runs before the next frame finds it.
      this.o.logger.warn({ err }, 'could not queue a realtime event; the poll will find it');
      this.needsSweep = true;
      this.push(() => this.sweepIfNeeded());
      return;
    }
    if (persisted === 'duplicate') metrics.dedupeHits.labels('outbound').inc();
    else if (persisted === 'unmapped') metrics.ignored.labels('unmapped_inbox').inc();
    else metrics.realtimeEvents.inc();
  }
}
