import fs from 'node:fs';
import WAWebJS from 'whatsapp-web.js';
import type { ChatId, ContactInfo, MediaRef, OutboundMessage, RemoteMessage, SendResult } from '../../core/messages';
import type { SessionConfig } from '../../config/schema';
import type { Logger } from '../../observability/logger';
import type { EngineContext } from '../factory';
import {
  EngineNotReadyError,
  MediaNotReadyError,
  TERMINAL_STATES,
  type ConnectOptions,
  type EngineCapabilities,
  type EngineEvent,
  type EngineEventSink,
  type EngineHealth,
  type EngineSession,
  type PairingInfo,
  type SessionState,
} from '../types';
import { clientOptions, PAIRING_CODE_TTL_MS, profileDirOf } from './client-options';
import { describeError, pairingCodeFailure, startFailure, type Failure } from './failures';
import { browserHealth } from '../browser/health';
import { isRunning, killBrowser, killProfileProcesses, processesUsingProfile } from './process-tree';
import { clearStaleProfileLock } from '../browser/profile-lock';
import { activeChats, recentMessages, resolveContact } from './queries';
import { sendOutbound } from './send';
import { capabilitiesOf, type CapabilityTimings } from './capabilities';
import { ponteKeepQrFresh, ponteMediaStage } from './page-functions';
import { withTimeout } from '../../core/timeout';
import { duration, pageOf, pidOf } from './util';
import { wireClient, type Attempt } from './wiring';
import { serialized, type NormaliseContext } from './normalise';
import { isLidId, phoneOfId } from '../../core/whatsapp-ids';
import { settled } from '../../core/settled';

export interface WwebjsDeps {
  /** Builds the library client. Tests hand in a real Client whose browser I/O is faked. */
  createClient?: (options: WAWebJS.ClientOptions) => WAWebJS.Client;
  /** How long capabilities wait for WhatsApp to confirm what they asked (tests shorten it). */
  timings?: CapabilityTimings;
}

/** WhatsApp Web shows the first QR code for about a minute and each following one for about 20 s. */
const FIRST_QR_TTL_MS = 60_000;
const QR_TTL_MS = 20_000;
/** After pairing, WhatsApp Web loads the chats; a large account can take minutes. */
const READY_TIMEOUT_MS = 10 * 60_000;
/** How long the library may try to get its own socket back before Ponte starts a fresh client. */
const RECOVER_TIMEOUT_MS = 3 * 60_000;
const DESTROY_TIMEOUT_MS = 10_000;
const LOGOUT_TIMEOUT_MS = 15_000;

/**
 * EngineSession over whatsapp-web.js: one Chromium per session, the login kept by LocalAuth in the
 * session's data directory. Every connect() builds a new Client (the library destroys its own on
 * unaccepted states, so an old one is never reused); every end of a client is followed by making sure
 * its Chromium is gone.
 */
export class WwebjsEngine implements EngineSession {
  readonly engine = 'wwebjs';
  readonly id: string;
  private current: SessionState = 'CONNECTING';
  private sinks: EngineEventSink[] = [];
  private attempt?: Attempt;
  private seq = 0;
  private readonly releases = new Set<Promise<void>>();
  private readonly logger: Logger;
  private readonly profileDir: string;
  private readonly createClient: (options: WAWebJS.ClientOptions) => WAWebJS.Client;
  /** Our own ids, learnt at 'ready'. */
  private readonly self: NormaliseContext = {};

  constructor(
    private readonly session: SessionConfig,
    private readonly ctx: EngineContext,
    deps: WwebjsDeps = {},
  ) {
    this.id = session.id;
    this.logger = ctx.logger;
    this.profileDir = profileDirOf(session, ctx);
    this.createClient = deps.createClient ?? ((options) => new WAWebJS.Client(options));
    this.capabilities = capabilitiesOf(
      () => this.requireConnected(),
      (id) => this.attempt?.calls.get(id),
      deps.timings,
    );
  }

  readonly capabilities: EngineCapabilities;

  onEvent(sink: EngineEventSink): void {
    this.sinks.push(sink);
  }

  state(): SessionState {
    return this.current;
  }

  pairing(): PairingInfo | undefined {
    return this.current === 'QR_REQUIRED' ? this.attempt?.login : undefined;
  }

  me(): string | undefined {
    return this.current === 'CONNECTED' ? phoneOfId(this.self.meId) : undefined;
  }

  connect(options: ConnectOptions = {}): Promise<void> {
    return settled(() => {
      const previous = this.attempt;
      this.attempt = undefined;
      // Not awaited: the new browser starts while the old one closes (logout waits for every release).
      if (previous) void this.release(previous);
      const attempt: Attempt = { seq: ++this.seq, ended: false, qrCount: 0, ready: false, calls: new Map(), edits: new Map() };
      this.attempt = attempt;
      this.setState('CONNECTING', options.pairingPhone ? 'starting WhatsApp Web (pairing by phone number)' : 'starting WhatsApp Web');
      void this.start(attempt, options.pairingPhone).catch((err) => this.fail(attempt, startFailure(err)));
    });
  }

  async disconnect(): Promise<void> {
    const attempt = this.attempt;
    this.attempt = undefined;
    if (attempt) await this.release(attempt);
    if (!TERMINAL_STATES.includes(this.current)) this.setState('TRANSIENT_DISCONNECT', 'disconnected by Ponte');
  }

  async logout(): Promise<void> {
    const attempt = this.attempt;
    this.attempt = undefined;
    if (attempt) {
      this.end(attempt);
      // Unlinks the device on the phone too; only a client that reached WhatsApp can do that.
      if (attempt.client && attempt.ready) {
        await withTimeout(attempt.client.logout(), LOGOUT_TIMEOUT_MS).catch((err) =>
          this.logger.warn({ err: describeError(err) }, 'WhatsApp logout failed; the phone may still list this device until it unlinks it'),
        );
      }
      await this.release(attempt);
    }
    await Promise.allSettled([...this.releases]);
    await this.deleteLogin();
    this.self.meId = this.self.meLid = undefined;
    this.setState('LOGGED_OUT', 'logged out by an admin');
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    const client = this.requireConnected();
    try {
      return await sendOutbound(client, message);
    } catch (err) {
      throw err instanceof Error ? err : new Error(`whatsapp-web.js: ${describeError(err)}`);
    }
  }

  async downloadMedia(chatId: ChatId, messageId: string, ref: MediaRef): Promise<Buffer | undefined> {
    const client = this.requireConnected();
    const id = ref.handle || messageId;
    const msg = await client.getMessageById(id);
    if (!msg) return undefined;
    const media = await msg.downloadMedia();
    if (media?.data) return Buffer.from(media.data, 'base64');
    // The library answers undefined both for media that is gone (404, a media stage of ERROR) and for
    // media the phone is still re-uploading: only the second is worth another try later.
    const stage = await pageOf(client).evaluate(ponteMediaStage, id);
    if (stage === 'REUPLOADING') throw new MediaNotReadyError(messageId);
    return undefined;
  }

  async recentMessages(chatId: ChatId, sinceTs: number, limit = 100): Promise<RemoteMessage[]> {
    return recentMessages(this.requireConnected(), chatId, sinceTs, limit, this.self);
  }

  async activeChats(sinceTs: number): Promise<ChatId[]> {
    return activeChats(this.requireConnected(), sinceTs);
  }

  /** For the SessionManager's watchdog: the page answers, and Chromium's pid for the memory figure. */
  async health(): Promise<EngineHealth> {
    const attempt = this.attempt;
    if (!attempt?.client || attempt.ended) return { alive: false, pids: [] };
    attempt.pid ??= pidOf(attempt.client);
    return browserHealth(attempt.client.pupPage ?? undefined, attempt.pid);
  }

  async resolveContact(id: string): Promise<ContactInfo> {
    const client = this.current === 'CONNECTED' && this.attempt && !this.attempt.ended ? this.attempt.client : undefined;
    return resolveContact(client, id, this.logger);
  }

  private async start(attempt: Attempt, pairingPhone?: string): Promise<void> {
    // The profile can hold one Chromium only: wait for the last one to be gone, orphans included.
    await Promise.allSettled([...this.releases]);
    if (attempt.ended) return;
    const orphans = await killProfileProcesses(this.profileDir);
    if (orphans.length) this.logger.warn({ pids: orphans }, 'killed a Chromium left running on this session profile (earlier crash?)');
    const stale = clearStaleProfileLock(this.profileDir, processesUsingProfile(this.profileDir));
    if (stale) this.logger.warn({ lockedBy: stale.host }, 'removed a Chromium profile lock left by another host (a re-created container?)');
    if (attempt.ended) return;
    const client = this.createClient(clientOptions(this.session, this.ctx, pairingPhone));
    attempt.client = client;
    wireClient(client, attempt, () => this.attempt === attempt && !attempt.ended, this.handlers(attempt), this.logger);
    this.guardLibraryCallbacks(attempt, client, Boolean(pairingPhone));
    // Our own limit is the backstop behind the library's auth timeout (= launchTimeoutMs): leave it the
    // time to report its own, more precise reason, even on a loaded host.
    const startLimit = this.ctx.browser.launchTimeoutMs > 0 ? 2 * this.ctx.browser.launchTimeoutMs + 5_000 : 0;
    if (startLimit > 0) {
      this.arm(attempt, startLimit, () => ({
        state: 'TRANSIENT_DISCONNECT',
        reason: `WhatsApp Web did not show a QR code or restore the login within ${duration(startLimit)}`,
      }));
    }
    try {
      await client.initialize();
    } finally {
      attempt.pid ??= pidOf(client);
      attempt.initialized = true;
      // Closed while it was still launching: the browser may have come up after the release.
      if (attempt.ended) await this.release(attempt);
    }
  }

  /**
   * Library calls that run where nobody awaits them: the re-injection in its async 'framenavigated'
   * listener (every page navigation), the destroy() it starts on unaccepted socket states, and the
   * pairing-code request inject() starts without await or catch (Client.js). A rejection there would be
   * unhandled and take the whole daemon down; here it becomes a reported failure of this session (a
   * refused code, a re-injection after the first start) or a log line (destroy). Each injection also
   * installs the QR refresh the library's own UNPAIRED_IDLE handler cannot do (page-functions.ts).
   */
  private guardLibraryCallbacks(attempt: Attempt, client: WAWebJS.Client, pairingByPhone: boolean): void {
    const lib = client as unknown as {
      inject?: () => Promise<void>;
      destroy: () => Promise<void>;
      requestPairingCode?: (...args: unknown[]) => Promise<unknown>;
    };
    const inject = lib.inject?.bind(client);
    if (inject) {
      const injected = async () => {
        await inject();
        if (!pairingByPhone && !attempt.ended) await this.keepQrFresh(client);
      };
      lib.inject = async () => {
        if (!attempt.initialized) return injected();
        try {
          await injected();
        } catch (err) {
          if (!attempt.ended) await this.fail(attempt, startFailure(err));
        }
      };
    }
    const requestPairingCode = lib.requestPairingCode?.bind(client);
    if (requestPairingCode) {
      lib.requestPairingCode = (...args: unknown[]) =>
        requestPairingCode(...args).catch(async (err: unknown) => {
          if (!attempt.ended) await this.fail(attempt, pairingCodeFailure(err, this.id));
          return undefined;
        });
    }
    const destroy = lib.destroy.bind(client);
    lib.destroy = () => destroy().catch((err: unknown) => this.logger.warn({ err: describeError(err) }, 'whatsapp-web.js destroy failed'));
  }

  /** Best effort: without it the QR code only stops changing after about 160 s, which the pairing timeout then reports. */
  private async keepQrFresh(client: WAWebJS.Client): Promise<void> {
    if (!client.pupPage) return;
    await pageOf(client)
      .evaluate(ponteKeepQrFresh)
      .catch((err: unknown) => this.logger.warn({ err: describeError(err) }, 'could not make WhatsApp Web refresh its QR code by itself'));
  }

  private handlers(attempt: Attempt) {
    return {
      login: (login: { qr?: string; pairingCode?: string }) => this.showLogin(attempt, login),
      authenticated: () => {
        this.clearPairing(attempt);
        this.arm(attempt, READY_TIMEOUT_MS, () => ({
          state: 'TRANSIENT_DISCONNECT',
          reason: `paired, but WhatsApp Web did not finish loading within ${READY_TIMEOUT_MS / 60_000} min`,
        }));
        if (this.current !== 'CONNECTED') this.setState('CONNECTING', 'paired; WhatsApp Web is loading the chats');
      },
      ready: () => this.onReady(attempt),
      waState: (state: string) => this.onWaState(attempt, state),
      fail: (failure: Failure) => this.fail(attempt, failure),
      emit: (event: EngineEvent) => this.emit(event),
      self: () => this.self,
    };
  }

  private showLogin(attempt: Attempt, login: { qr?: string; pairingCode?: string }): void {
    attempt.qrCount += 1;
    const ttl = login.pairingCode ? PAIRING_CODE_TTL_MS : attempt.qrCount === 1 ? FIRST_QR_TTL_MS : QR_TTL_MS;
    attempt.login = { ...login, attempt: attempt.qrCount, expiresAt: Date.now() + ttl };
    this.disarm(attempt);
    const limit = this.ctx.pairingTimeoutMs;
    if (!attempt.pairingTimer && limit > 0) {
      attempt.pairingTimer = setTimeout(
        () =>
          void this.fail(attempt, {
            state: 'LOGGED_OUT',
            reason: `nobody paired the phone within ${duration(limit)}; start again with "ponte sessions pair ${this.id}"`,
          }),
        limit,
      );
      attempt.pairingTimer.unref?.();
    }
    // Each new code is a state event of its own: whoever shows it (CLI, admin page) redraws.
    this.setState(
      'QR_REQUIRED',
      login.pairingCode
        ? 'enter the pairing code on the phone: WhatsApp > Linked devices > Link with phone number'
        : 'scan the QR code with the phone: WhatsApp > Linked devices > Link a device',
    );
  }

  private async onReady(attempt: Attempt): Promise<void> {
    this.clearPairing(attempt);
    this.disarm(attempt);
    const client = attempt.client!;
    const wid = serialized(client.info?.wid);
    if (wid && isLidId(wid)) this.self.meLid = wid;
    else this.self.meId = wid;
    // Newer accounts may be known by their LID only; WhatsApp Web knows the other half.
    if (wid && typeof client.getContactLidAndPhone === 'function') {
      const [pair] = (await withTimeout(client.getContactLidAndPhone([wid]), 5000).catch(() => undefined)) ?? [];
      this.self.meId = serialized(pair?.pn) ?? this.self.meId;
      this.self.meLid = serialized(pair?.lid) ?? this.self.meLid;
    }
    if (this.attempt !== attempt || attempt.ended) return;
    attempt.ready = true;
    if (this.current !== 'CONNECTED') this.setState('CONNECTED');
  }

  /** Socket states the library accepts (it reconnects by itself); the rest arrive as 'disconnected'. */
  private onWaState(attempt: Attempt, state: string): void {
    if (!attempt.ready) return;
    if (state === 'CONNECTED' && this.current === 'CONNECTING') {
      this.disarm(attempt);
      this.setState('CONNECTED');
    } else if (['OPENING', 'PAIRING', 'TIMEOUT'].includes(state) && this.current === 'CONNECTED') {
      this.setState('CONNECTING', `connection to WhatsApp interrupted (${state}); whatsapp-web.js is reconnecting`);
      this.arm(attempt, RECOVER_TIMEOUT_MS, () => ({
        state: 'TRANSIENT_DISCONNECT',
        reason: `WhatsApp Web did not reconnect within ${RECOVER_TIMEOUT_MS / 60_000} min (${state})`,
      }));
    }
  }

  /**
   * Ends an attempt for good. The state is reported at once (sends fail fast with the real state); the
   * cleanup runs on, and the next start waits for it, so two Chromiums never share the profile.
   */
  private async fail(attempt: Attempt, failure: Failure): Promise<void> {
    if (attempt.ended) return;
    const log = failure.state === 'TRANSIENT_DISCONNECT' ? this.logger.warn.bind(this.logger) : this.logger.error.bind(this.logger);
    log({ state: failure.state, reason: failure.reason }, 'whatsapp-web.js session ended');
    const cleanup = this.release(attempt, failure.deleteLogin);
    if (this.attempt === attempt) {
      this.attempt = undefined;
      if (failure.state !== 'TRANSIENT_DISCONNECT') this.self.meId = this.self.meLid = undefined;
      this.setState(failure.state, failure.reason);
    }
    await cleanup;
  }

  private end(attempt: Attempt): void {
    attempt.ended = true;
    this.disarm(attempt);
    this.clearPairing(attempt);
  }

  /** destroy() (bounded), then the process tree by pid, then anything still on this profile. */
  private release(attempt: Attempt, deleteLogin = false): Promise<void> {
    this.end(attempt);
    const job = (async () => {
      const client = attempt.client;
      if (client) await this.closeBrowser(attempt, client);
      // Only once Chromium is gone: it keeps files of the profile open and would write them back.
      if (deleteLogin) await this.deleteLogin();
    })();
    this.releases.add(job);
    void job.finally(() => this.releases.delete(job)).catch(() => undefined);
    return job;
  }

  private async closeBrowser(attempt: Attempt, client: WAWebJS.Client): Promise<void> {
    attempt.pid ??= pidOf(client);
    await withTimeout(client.destroy(), DESTROY_TIMEOUT_MS).catch((err) =>
      this.logger.warn({ err: describeError(err) }, 'whatsapp-web.js destroy did not finish; killing Chromium'),
    );
    if (attempt.pid && isRunning(attempt.pid)) {
      this.logger.warn({ pid: attempt.pid }, 'Chromium outlived destroy(); killing its process tree');
      await killBrowser(attempt.pid);
    }
    await killProfileProcesses(this.profileDir);
  }

  private async deleteLogin(): Promise<void> {
    await fs.promises
      .rm(this.profileDir, { recursive: true, force: true, maxRetries: 4 })
      .catch((err) => this.logger.error({ err }, 'could not delete the WhatsApp login data'));
  }

  private arm(attempt: Attempt, ms: number, failure: () => Failure): void {
    this.disarm(attempt);
    attempt.timer = setTimeout(() => void this.fail(attempt, failure()), ms);
    attempt.timer.unref?.();
  }

  private disarm(attempt: Attempt): void {
    clearTimeout(attempt.timer);
    attempt.timer = undefined;
  }

  private clearPairing(attempt: Attempt): void {
    clearTimeout(attempt.pairingTimer);
    attempt.pairingTimer = undefined;
    attempt.login = undefined;
  }

  private requireConnected(): WAWebJS.Client {
    const attempt = this.attempt;
    if (this.current !== 'CONNECTED' || !attempt?.client || attempt.ended) throw new EngineNotReadyError(this.id, this.current);
    return attempt.client;
  }

  private setState(state: SessionState, reason?: string): void {
    this.current = state;
    this.emit({ type: 'state', change: { state, reason } });
  }

  private emit(event: EngineEvent): void {
    for (const sink of this.sinks) {
      try {
        sink(event);
      } catch (err) {
        this.logger.error({ err, event: event.type }, 'engine event sink failed');
      }
    }
  }
}
