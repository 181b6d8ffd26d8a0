import fs from 'node:fs';
import path from 'node:path';
import type { ChatId, ContactInfo, MediaRef, OutboundMessage, RemoteMessage, SendResult } from '../../core/messages';
import type { SessionConfig } from '../../config/schema';
import type { Logger } from '../../observability/logger';
import { browserHealth } from '../browser/health';
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
import { Attempt } from './attempt';
import { ChatAddresses } from './chat-addresses';
import { launchChromium, type LaunchBrowser } from './browser-process';
import { proxyArgs, proxyCredentials } from '../browser/chromium';
import { browserArgs, clientOptions } from './client-options';
import { EventMemory, wireEvents } from './events';
import { realCreate, wppconnect, type CreateClient, type WppClient } from './library';
import { LinkedIds } from './linked-ids';
import { fetchMedia } from './media';
import { widOf, type NormaliseContext } from './normalise';
import { phoneId, phoneOfId } from '../../core/whatsapp-ids';
import { activeChats, recentMessages, resolveContact } from './queries';
import { revokeMessage } from './revoke';
import { sendOutbound } from './send';
import { withTimeout } from '../../core/timeout';
import { describeError } from './util';
import { isChatNotFound } from './wa-errors';
import { socketDecision, statusFindDecision, type Decision } from './state-map';

export interface WppconnectDeps {
  /** Starts Chromium for the session's profile (tests hand in a fake browser). */
  launchBrowser?: LaunchBrowser;
  /** wppconnect's create() (tests use the real one over a fake browser, or wrap it to see its options). */
  createClient?: CreateClient;
}

/** WhatsApp Web shows the first QR code for about a minute and each following one for about 20 s. */
const FIRST_QR_TTL_MS = 60_000;
const QR_TTL_MS = 20_000;
const LINK_CODE_TTL_MS = 180_000;
const LOGOUT_TIMEOUT_MS = 15_000;

type Ending = { state: Exclude<SessionState, 'CONNECTING' | 'QR_REQUIRED' | 'CONNECTED'>; reason: string; deleteData?: boolean };

/**
 * EngineSession over @wppconnect-team/wppconnect 2.3.3: one Chromium per session, launched and killed
 * by Ponte, its profile (`<dataDir>/<session id>`) holding the WhatsApp login.
 */
export class WppconnectEngine implements EngineSession {
  readonly engine = 'wppconnect';
  readonly id: string;
  private current: SessionState = 'CONNECTING';
  private sinks: EngineEventSink[] = [];
  private attempt?: Attempt;
  private login?: PairingInfo;
  private readonly self: NormaliseContext = {};
  private readonly memory = new EventMemory();
  /** Per session, across attempts: what WhatsApp Web answered about linked ids, and where chats live. */
  private readonly linked = new LinkedIds();
  private readonly addresses = new ChatAddresses(this.linked);
  private readonly logger: Logger;
  /** wppconnect's folderNameToken; the profile is `<folderNameToken>/<session>`, as the library lays it out. */
  private readonly tokenDir: string;
  readonly profileDir: string;
  private readonly launchBrowser: LaunchBrowser;
  private readonly createClient: CreateClient;

  constructor(
    private readonly session: SessionConfig,
    private readonly ctx: EngineContext,
    deps: WppconnectDeps = {},
  ) {
    this.id = session.id;
    this.logger = ctx.logger.child({ session: session.id, engine: 'wppconnect' });
    this.tokenDir = path.resolve(ctx.dataDir);
    this.profileDir = path.join(this.tokenDir, session.id);
    this.launchBrowser = deps.launchBrowser ?? launchChromium;
    this.createClient = deps.createClient ?? realCreate;
    // Fails the build of the engine (the session shows why) when the library cannot be loaded.
    if (!deps.createClient) wppconnect();
  }

  readonly capabilities: EngineCapabilities = {
    revoke: async (chatId, messageId) => revokeMessage(this.client(), this.addresses, chatId, messageId),
    typing: async (chatId, on) => {
      const client = this.client();
      await this.addresses.call(client, chatId, (id) => (on ? client.startTyping(id) : client.stopTyping(id)));
    },
    markRead: async (chatId) => {
      const client = this.client();
      await this.addresses.call(client, chatId, (id) => client.sendSeen(id));
    },
    rejectCall: async (callId) => {
      const done: unknown = await this.client().rejectCall(callId);
      // wa-js throws when it cannot (call_not_found, call_is_not_incoming_ring); wppconnect documents a
      // count of rejected calls, so a false or 0 is a failure too.
      if (done === false || done === 0) throw new Error(`WhatsApp Web rejected no call with id ${callId}`);
    },
    lookupNumber: async (digits) => {
      const profile = await this.client().checkNumberStatus(phoneId(digits));
      return profile?.numberExists ? profile.id._serialized : null;
    },
  };

  onEvent(sink: EngineEventSink): void {
    this.sinks.push(sink);
  }

  state(): SessionState {
    return this.current;
  }

  pairing(): PairingInfo | undefined {
    return this.current === 'QR_REQUIRED' ? this.login : undefined;
  }

  me(): string | undefined {
    return this.current === 'CONNECTED' ? phoneOfId(this.self.meId) : undefined;
  }

  async connect(options: ConnectOptions = {}): Promise<void> {
    if (this.attempt) await this.end(this.attempt);
    const phone = options.pairingPhone?.replace(/\D/g, '') || undefined;
    const attempt = new Attempt(phone);
    this.attempt = attempt;
    this.login = undefined;
    this.setState('CONNECTING', phone ? 'starting WhatsApp Web to pair by code' : 'starting WhatsApp Web');
    void this.run(attempt);
  }

  async disconnect(): Promise<void> {
    if (this.attempt) await this.end(this.attempt);
    if (!TERMINAL_STATES.includes(this.current)) this.setState('TRANSIENT_DISCONNECT', 'disconnected by Ponte');
  }

  async logout(): Promise<void> {
    const attempt = this.attempt;
    if (attempt) {
      const client = attempt.ready && !attempt.dead ? attempt.client : undefined;
      // Silence the attempt first: the logout makes WhatsApp Web report "unpaired" on its own.
      attempt.kill();
      if (client)
        await withTimeout(client.logout(), LOGOUT_TIMEOUT_MS).catch((err: unknown) =>
          this.logger.warn({ err }, 'WhatsApp Web logout failed; deleting the session data anyway'),
        );
      await this.end(attempt);
    }
    await this.deleteData();
    this.self.meId = this.self.meLid = undefined;
    this.setState('LOGGED_OUT', 'logged out by an admin');
  }

  async send(message: OutboundMessage): Promise<SendResult> {
    return sendOutbound(this.client(), message);
  }

  async downloadMedia(_chatId: ChatId, messageId: string, ref: MediaRef): Promise<Buffer | undefined> {
    const attempt = this.attempt;
    const result = await fetchMedia(this.client(), ref.handle || messageId);
    if (result.status === 'ok') return result.data;
    // A browser that died mid-download is not media that is gone: the caller retries once reconnected.
    if (this.attempt !== attempt || this.current !== 'CONNECTED') throw new EngineNotReadyError(this.id, this.current);
    if (result.status === 'failed') throw new Error(result.reason);
    if (result.status === 'later') throw new MediaNotReadyError(messageId, result.reason);
    this.logger.debug({ messageId, reason: result.reason }, 'media is gone');
    return undefined;
  }

  async recentMessages(chatId: ChatId, sinceTs: number, limit = 100): Promise<RemoteMessage[]> {
    const client = this.client();
    try {
      // wa-js getMessages finds the chat by its exact id, like typing: a phone form may live under its LID.
      return await this.addresses.call(client, chatId, (id) => recentMessages(client, id, sinceTs, limit, this.self));
    } catch (err) {
      // A chat WhatsApp Web has under neither form has no messages.
      if (isChatNotFound(err)) return [];
      throw err;
    }
  }

  async activeChats(sinceTs: number): Promise<ChatId[]> {
    return activeChats(this.client(), sinceTs);
  }

  async resolveContact(id: string): Promise<ContactInfo> {
    const connected = this.current === 'CONNECTED' && this.attempt?.ready && !this.attempt.dead;
    return resolveContact(connected ? this.attempt!.client : undefined, id, this.linked);
  }

  async health(): Promise<EngineHealth> {
    const handle = this.attempt?.dead ? undefined : this.attempt?.handle;
    return browserHealth(handle?.page, handle?.pid);
  }

  /** Launch, create, log in. Every failure ends the attempt with its browser and becomes a state. */
  private async run(a: Attempt): Promise<void> {
    const { browser } = this.ctx;
    if (!fs.existsSync(browser.executablePath)) {
      return this.end(a, {
        state: 'TRANSIENT_DISCONNECT',
        reason: `Chromium not found at ${browser.executablePath}: install it (apt-get install chromium) or set browser.executablePath`,
      });
    }
    const loadSeconds = Math.round(browser.launchTimeoutMs / 1000);
    a.timer('load', browser.launchTimeoutMs, () => {
      void this.end(a, {
        state: 'TRANSIENT_DISCONNECT',
        reason: `WhatsApp Web did not load within ${loadSeconds} s (is web.whatsapp.com reachable?)`,
      });
    });
    try {
      const args = [...browserArgs(browser), ...proxyArgs(this.session.proxy)];
      a.launching = this.launchBrowser({
        executablePath: browser.executablePath,
        headless: browser.headless,
        args,
        userDataDir: this.profileDir,
        timeoutMs: browser.launchTimeoutMs,
      });
      const handle = await a.launching;
      if (!handle || a.dead) return;
      a.handle = handle;
      // Before WhatsApp Web loads: the proxy's first challenge is answered with the session's credentials.
      const credentials = proxyCredentials(this.session.proxy);
      if (credentials) await handle.page.authenticate(credentials);
      const client = await this.createClient(
        clientOptions({
          session: this.session.id,
          browser,
          handle,
          tokenDir: this.tokenDir,
          profileDir: this.profileDir,
          logger: this.logger,
          pairingPhone: a.pairingPhone,
          catchQR: (_png, _ascii, attempt, urlCode) => this.onQr(a, urlCode, attempt),
          catchLinkCode: (code) => this.onLinkCode(a, code),
          statusFind: (status) => this.decide(a, statusFindDecision(String(status)), 'status'),
        }),
      );
      if (a.dead) return;
      a.client = client;
      wireEvents(
        a,
        client,
        {
          emit: (e) => this.emit(e),
          self: () => this.self,
          socketState: (s) => this.decide(a, socketDecision(s), 'socket'),
          logger: this.logger,
        },
        this.memory,
      );
      // Our own wait (create's waitForLogin is off): the client exists from the start, so the login can be watched and ended.
      await client.waitForLogin();
      if (!a.dead) await this.ready(a, client);
    } catch (err) {
      if (!a.dead) await this.end(a, { state: 'TRANSIENT_DISCONNECT', reason: `WhatsApp Web did not start: ${describeError(err)}` });
    }
  }

  private onQr(a: Attempt, urlCode: string | undefined, attempt: number): void {
    if (a.dead || !urlCode) return;
    this.loading(a);
    this.login = { qr: urlCode, attempt, expiresAt: Date.now() + (attempt <= 1 ? FIRST_QR_TTL_MS : QR_TTL_MS) };
    this.startPairingTimer(a);
    this.setState('QR_REQUIRED', 'scan the QR code with the phone (WhatsApp > Linked devices)');
  }

  private onLinkCode(a: Attempt, code: string): void {
    if (a.dead || !code) return;
    this.loading(a);
    const attempt = this.login?.pairingCode ? this.login.attempt + 1 : 1;
    this.login = { pairingCode: code, attempt, expiresAt: Date.now() + LINK_CODE_TTL_MS };
    this.startPairingTimer(a);
    this.setState('QR_REQUIRED', 'enter the pairing code on the phone (WhatsApp > Linked devices > Link with phone number)');
  }

  private startPairingTimer(a: Attempt): void {
    if (a.has('pairing')) return;
    const seconds = Math.round(this.ctx.pairingTimeoutMs / 1000);
    a.timer('pairing', this.ctx.pairingTimeoutMs, () => {
      void this.end(a, {
        state: 'LOGGED_OUT',
        reason: `nobody paired the phone within ${seconds} s; run "ponte sessions pair ${this.id}" to try again`,
      });
    });
  }

  /** WhatsApp Web answered: the load timeout no longer applies. */
  private loading(a: Attempt): void {
    a.clear('load');
  }

  private decide(a: Attempt, d: Decision, source: 'status' | 'socket'): void {
    if (a.dead) return;
    switch (d.kind) {
      case 'ignore':
        return;
      case 'login':
        return this.loading(a);
      case 'paired':
        this.loading(a);
        a.paired = true;
        // wppconnect race: a phone paired between its QR check and its login check reports "isLogged"
        // while its own isLogged flag is still false, and then gives up ("phone not connected").
        if (a.client) (a.client as unknown as { isLogged: boolean }).isLogged = true;
        a.clear('pairing');
        this.login = undefined;
        if (this.current === 'QR_REQUIRED') this.setState('CONNECTING', 'paired; WhatsApp Web is loading the chats');
        return;
      case 'ready':
        if (!a.ready) {
          // Before the login completes only the login flow's own "inChat" counts; ready() follows.
          if (source === 'status') {
            this.loading(a);
            a.paired = true;
          }
          return;
        }
        a.clear('recover');
        if (this.current !== 'CONNECTED') this.setState('CONNECTED');
        return;
      case 'reconnecting':
      case 'takeover':
        if (!a.ready) return;
        if (d.kind === 'takeover') void a.client?.useHere().catch(() => undefined);
        if (this.current === 'CONNECTED') this.setState('CONNECTING', d.reason);
        if (!a.has('recover')) {
          const seconds = Math.round(this.ctx.browser.launchTimeoutMs / 1000);
          a.timer('recover', this.ctx.browser.launchTimeoutMs, () => {
            void this.end(a, {
              state: 'TRANSIENT_DISCONNECT',
              reason: `WhatsApp Web did not get its connection back within ${seconds} s; restarting it`,
            });
          });
        }
        return;
      case 'end':
        if (d.whenPaired && !a.paired) return;
        void this.end(a, { state: d.state, reason: d.reason, deleteData: d.deleteData });
        return;
    }
  }

  private async ready(a: Attempt, client: WppClient): Promise<void> {
    const wid =
      widOf(await client.getWid().catch(() => undefined)) ??
      widOf(((await client.getHostDevice().catch(() => undefined)) as { id?: unknown } | undefined)?.id);
    if (a.dead) return;
    this.self.meId = wid;
    if (wid) {
      const entry = (await client.getPnLidEntry(wid).catch(() => undefined)) as { lid?: unknown } | undefined;
      this.self.meLid = widOf(entry?.lid);
    }
    if (a.dead) return;
    a.ready = true;
    a.paired = true;
    a.clear('load');
    a.clear('pairing');
    this.login = undefined;
    this.setState('CONNECTED');
  }

  /**
   * Ends an attempt: silences it, closes and kills its browser, then reports `ending` (if given and
   * the attempt is still the current one). The state is reported only once Chromium is gone.
   */
  private end(a: Attempt, ending?: Ending): Promise<void> {
    if (a.ending) return a.ending;
    a.kill();
    a.ending = (async () => {
      await a.closeBrowser();
      if (this.attempt !== a) return;
      this.attempt = undefined;
      this.login = undefined;
      if (!ending) return;
      if (ending.deleteData) await this.deleteData();
      this.logger.debug({ state: ending.state, reason: ending.reason }, 'WhatsApp Web session ended');
      this.setState(ending.state, ending.reason);
    })();
    return a.ending;
  }

  private async deleteData(): Promise<void> {
    await fs.promises.rm(this.profileDir, { recursive: true, force: true, maxRetries: 3, retryDelay: 100 }).catch((err: unknown) => {
      this.logger.error({ err, dir: this.profileDir }, 'could not delete the session data');
    });
  }

  /** The client of a usable session; EngineNotReadyError otherwise (callers retry later). */
  private client(): WppClient {
    const a = this.attempt;
    if (this.current !== 'CONNECTED' || !a?.ready || a.dead || !a.client) throw new EngineNotReadyError(this.id, this.current);
    return a.client;
  }

  private setState(state: SessionState, reason?: string): void {
    this.current = state;
    this.emit({ type: 'state', change: { state, ...(reason ? { reason } : {}) } });
  }

  private emit(event: EngineEvent): void {
    for (const sink of this.sinks) {
      try {
        sink(event);
      } catch (err) {
        this.logger.error({ err, event: event.type }, 'an engine event handler failed');
      }
    }
  }
}
