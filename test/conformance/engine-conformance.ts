/**
 * The behaviour every WhatsApp engine must show at the EngineSession seam, as one reusable suite.
 * An engine joins by providing a ConformanceDriver: the engine under test plus a way to make "the
 * other phone" send it messages and to complete a pairing. Real engines (wppconnect, whatsapp-web.js)
 * can run the same suite against a test account.
 */
import type { Ack, ChatId, RemoteMessage } from '../../src/core/messages';
import { EngineNotReadyError, SESSION_STATES, type EngineEvent, type EngineSession, type SessionState } from '../../src/engines/types';

export interface InjectedMedia {
  data: Buffer;
  mimetype: string;
  filename?: string;
  caption?: string;
}

export interface ConformanceDriver {
  /** A fresh, never connected engine session. */
  engine: EngineSession;
  /** Digits of a number that can message the paired account (the "other phone"). */
  peer: string;
  /** Makes `from` send a text to the paired account; resolves with the WhatsApp message id. */
  injectText(from: string, text: string): Promise<string>;
  /** Makes `from` send media; with `gone`, the media is no longer downloadable. Resolves with the message id. */
  injectMedia(from: string, media: InjectedMedia, options?: { gone?: boolean }): Promise<string>;
  /** Completes a pairing the engine asked for (scans the QR / enters the code). */
  pair(): Promise<void>;
  /** Releases what the driver holds (timers, browsers); called after every test. */
  dispose?(): Promise<void>;
  /**
   * The unkind facts of real WhatsApp Web (ENGINES.md "Second look"), each an ability the driver's fake
   * has. A case runs for every driver that has its ability; a driver leaves one out only where the fact
   * cannot happen with that library (said in the driver's file).
   */
  facts?: ConformanceFacts;
}

export interface ConformanceFacts {
  /**
   * From now on WhatsApp Web knows `from` by a linked id: its chat is `<lid>@lid`, and a send addressed to
   * `<from>@c.us` is keyed, echoed and acked under that lid chat with the id the send returned (wa-js
   * `prepareRawMessage`, whatsapp-web.js `findOrCreateLatestChat`). Chat-addressed page calls (typing,
   * read marks, revokes) fail with `chat_not_found` for the phone form (wa-js `assertGetChat`).
   * Resolves with the lid chat id.
   */
  knowByLid(from: string): Promise<string>;
  /** Chat ids the page marked read, in order: by a send option (`markIsRead`, `sendSeen`) or a call. */
  readMarks(): string[];
  /** Chat ids the page showed typing in, exactly as it was addressed. */
  typingTargets(): string[];
  /** Chat ids of the page's revokes (delete for everyone), exactly as addressed. */
  revokeTargets(): string[];
  /** `from` sends several photos at once: an `album` message without media, then one image per picture. */
  injectAlbum(from: string, pictures: InjectedMedia[]): Promise<{ albumId: string; pictureIds: string[] }>;
  /** `from` sends a round video note (type `ptv`, a video with media). */
  injectRoundVideo(from: string, media: InjectedMedia): Promise<string>;
  /**
   * `from` edits the caption of its media message `messageId` (it may have had none). The edit carries the
   * thumbnail in `body` and the new caption in `caption`, as WhatsApp Web does.
   */
  editCaption(from: string, messageId: string, caption: string): Promise<void>;
  /** WhatsApp's server never acks the sends made from now on (wa-js issue 1187). */
  withholdAcks(): void;
  /** The next send is acked with this failure code (-1 … -7) instead of SENT. */
  failNextSend(code: number): void;
  /** The time limit for deleting for everyone has passed for every message sent so far. */
  expireRevokeWindow?(): void;
  /** Media the phone is re-uploading (whatsapp-web.js REUPLOADING): not downloadable until `finish()`. */
  injectReuploadingMedia?(from: string, media: InjectedMedia): Promise<{ id: string; finish(): void }>;
  /** Rejecting calls fails on the page (whatsapp-web.js 1.34.7, upstream 201746). */
  breakCallRejection?(): void;
}

export interface ConformanceOptions {
  /** Longest wait for one event (default 5 s; real engines need more). */
  eventTimeoutMs?: number;
}

/** Every event an engine emitted, in order, with helpers to wait for the next one that matters. */
export class EventLog {
  readonly events: EngineEvent[] = [];
  constructor(
    engine: EngineSession,
    private readonly timeoutMs: number,
  ) {
    engine.onEvent((e) => this.events.push(e));
  }

  states(): SessionState[] {
    return this.events.flatMap((e) => (e.type === 'state' ? [e.change.state] : []));
  }

  messages(): RemoteMessage[] {
    return this.events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
  }

  acksOf(messageId: string): Ack[] {
    return this.events.flatMap((e) => (e.type === 'ack' && e.ack.messageId === messageId ? [e.ack.ack] : []));
  }

  async until<T>(find: () => T | undefined | false, what: string): Promise<T> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const hit = find();
      if (hit) return hit;
      if (Date.now() > deadline) throw new Error(`timed out after ${this.timeoutMs} ms waiting for ${what}; events so far: ${this.summary()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  summary(): string {
    return this.events
      .map((e) => (e.type === 'state' ? `state:${e.change.state}` : e.type === 'ack' ? `ack:${e.ack.ack}` : e.type === 'message' ? `message${e.message.fromMe ? '(fromMe)' : ''}` : e.type))
      .join(', ');
  }
}

const jidDigits = (id: string) => id.split('@')[0].replace(/\D/g, '');

export function describeEngineConformance(name: string, factory: () => ConformanceDriver | Promise<ConformanceDriver>, options: ConformanceOptions = {}): void {
  const timeoutMs = options.eventTimeoutMs ?? 5000;

  describe(`EngineSession conformance: ${name}`, () => {
    let driver: ConformanceDriver;
    let engine: EngineSession;
    let log: EventLog;

    beforeEach(async () => {
      driver = await factory();
      engine = driver.engine;
      log = new EventLog(engine, timeoutMs);
    });

    afterEach(async () => {
      await driver.dispose?.();
    });

    /** Connects, pairing when the engine asks for it; resolves once CONNECTED. */
    async function connected(): Promise<void> {
      await engine.connect();
      const state = await log.until(() => ['CONNECTED', 'QR_REQUIRED'].includes(engine.state()) && engine.state(), 'CONNECTED or QR_REQUIRED');
      if (state === 'QR_REQUIRED') await driver.pair();
      await log.until(() => engine.state() === 'CONNECTED', 'CONNECTED after pairing');
    }

    /** The chat id the engine uses for the peer: taken from a real inbound message. */
    async function peerChat(): Promise<ChatId> {
      const id = await driver.injectText(driver.peer, 'hello, who is this?');
      const msg = await log.until(() => log.messages().find((m) => m.id === id), 'the inbound message');
      return msg.chatId;
    }

    test('connect reaches CONNECTED or QR_REQUIRED, and state() agrees with the last state event', async () => {
      await expect(engine.connect()).resolves.toBeUndefined();
      const state = await log.until(() => ['CONNECTED', 'QR_REQUIRED'].includes(engine.state()) && engine.state(), 'CONNECTED or QR_REQUIRED');
      expect(log.states().at(-1)).toBe(state);
      if (state === 'QR_REQUIRED') {
        const p = engine.pairing();
        expect(p?.qr ?? p?.pairingCode).toBeTruthy();
        await driver.pair();
        await log.until(() => engine.state() === 'CONNECTED', 'CONNECTED after pairing');
        expect(log.states().at(-1)).toBe('CONNECTED');
        expect(engine.pairing()).toBeUndefined();
      }
      for (const s of log.states()) expect(SESSION_STATES).toContain(s);
    });

    test('me() is the account number (E.164) once connected', async () => {
      await connected();
      expect(engine.me()).toMatch(/^\+[1-9]\d{6,14}$/);
    });

    test('send before connecting rejects with EngineNotReadyError naming the session and state', async () => {
      const err = await engine.send({ kind: 'text', chatId: `${driver.peer}@c.us`, text: 'too early' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineNotReadyError);
      expect(err).toMatchObject({ sessionId: engine.id, state: engine.state() });
      expect(engine.state()).not.toBe('CONNECTED');
    });

    test('an inbound text arrives as a message event from the peer', async () => {
      await connected();
      const before = Math.floor(Date.now() / 1000);
      const id = await driver.injectText(driver.peer, 'inbound conformance text');
      const msg = await log.until(() => log.messages().find((m) => m.id === id), 'the inbound message');
      expect(msg).toMatchObject({ kind: 'text', text: 'inbound conformance text', fromMe: false, isGroup: false });
      expect(jidDigits(msg.from)).toBe(driver.peer);
      expect(jidDigits(msg.chatId)).toBe(driver.peer);
      expect(msg.timestamp).toBeGreaterThanOrEqual(before - 5);
      expect(msg.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 5);
    });

    test('send returns distinct ids, and the acks SENT, DELIVERED, READ arrive in that order', async () => {
      await connected();
      const chatId = await peerChat();
      const a = await engine.send({ kind: 'text', chatId, text: 'first' });
      const b = await engine.send({ kind: 'text', chatId, text: 'second' });
      expect(a.remoteId).toBeTruthy();
      expect(b.remoteId).toBeTruthy();
      expect(a.remoteId).not.toBe(b.remoteId);
      expect(Math.abs(a.timestamp - Date.now() / 1000)).toBeLessThan(600);
      await log.until(() => log.acksOf(a.remoteId).includes('READ') && log.acksOf(b.remoteId).includes('READ'), 'READ acks of both sends');
      expect(log.acksOf(a.remoteId)).toEqual(['SENT', 'DELIVERED', 'READ']);
      expect(log.acksOf(b.remoteId)).toEqual(['SENT', 'DELIVERED', 'READ']);
      const ack = log.events.find((e) => e.type === 'ack' && e.ack.messageId === a.remoteId);
      expect(ack).toMatchObject({ ack: { chatId } });
    });

    test('every send is echoed back as a fromMe message with the same id', async () => {
      await connected();
      const chatId = await peerChat();
      const sent = await engine.send({ kind: 'text', chatId, text: 'echo me' });
      const echo = await log.until(() => log.messages().find((m) => m.id === sent.remoteId), 'the own-message echo');
      expect(echo).toMatchObject({ fromMe: true, chatId, kind: 'text', text: 'echo me' });
      expect(jidDigits(echo.from)).toBe(jidDigits(engine.me()!));
    });

    test('recentMessages and activeChats return the history, oldest first', async () => {
      await connected();
      const since = Math.floor(Date.now() / 1000) - 1;
      const ids: string[] = [];
      for (const text of ['one', 'two', 'three']) ids.push(await driver.injectText(driver.peer, text));
      const chatId = (await log.until(() => log.messages().find((m) => m.id === ids[2]), 'the last inbound message')).chatId;
      const history = await engine.recentMessages(chatId, since);
      const ours = history.filter((m) => ids.includes(m.id));
      expect(ours.map((m) => m.id)).toEqual(ids);
      expect(ours.map((m) => m.text)).toEqual(['one', 'two', 'three']);
      const stamps = history.map((m) => m.timestamp);
      expect([...stamps].sort((x, y) => x - y)).toEqual(stamps);
      for (const m of history) expect(m.timestamp).toBeGreaterThanOrEqual(since);
      expect(await engine.activeChats(since)).toContain(chatId);
      // nothing is newer than the future
      const future = Math.floor(Date.now() / 1000) + 3600;
      expect(await engine.recentMessages(chatId, future)).toEqual([]);
      expect(await engine.activeChats(future)).not.toContain(chatId);
    });

    test('downloadMedia returns the bytes, and undefined when the phone no longer has them', async () => {
      await connected();
      const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 250, 251, 252]);
      const id = await driver.injectMedia(driver.peer, { data: bytes, mimetype: 'image/png', filename: 'pic.png', caption: 'a picture' });
      const msg = await log.until(() => log.messages().find((m) => m.id === id), 'the media message');
      expect(msg.kind).toBe('image');
      expect(msg.text).toBe('a picture');
      expect(msg.media).toMatchObject({ mimetype: 'image/png' });
      const got = await engine.downloadMedia(msg.chatId, msg.id, msg.media!);
      expect(Buffer.isBuffer(got)).toBe(true);
      expect(got!.equals(bytes)).toBe(true);

      const goneId = await driver.injectMedia(driver.peer, { data: bytes, mimetype: 'image/png' }, { gone: true });
      const gone = await log.until(() => log.messages().find((m) => m.id === goneId), 'the expired media message');
      expect(gone.media).toBeDefined();
      await expect(engine.downloadMedia(gone.chatId, gone.id, gone.media!)).resolves.toBeUndefined();
    });

    test('resolveContact of the peer gives its number', async () => {
      await connected();
      const chatId = await peerChat();
      const contact = await engine.resolveContact(chatId);
      expect(contact.id).toBe(chatId);
      expect(contact.phone).toBe(`+${driver.peer}`);
    });

    test('logout reports LOGGED_OUT; sending afterwards rejects with EngineNotReadyError', async () => {
      await connected();
      await engine.logout();
      await log.until(() => engine.state() === 'LOGGED_OUT', 'LOGGED_OUT');
      expect(log.states().at(-1)).toBe('LOGGED_OUT');
      expect(engine.me()).toBeUndefined();
      await expect(engine.send({ kind: 'text', chatId: `${driver.peer}@c.us`, text: 'x' })).rejects.toBeInstanceOf(EngineNotReadyError);
    });

    test('disconnect then connect restores the session without pairing again', async () => {
      await connected();
      await engine.disconnect();
      expect(engine.state()).not.toBe('CONNECTED');
      await expect(engine.send({ kind: 'text', chatId: `${driver.peer}@c.us`, text: 'x' })).rejects.toBeInstanceOf(EngineNotReadyError);
      const mark = log.events.length;
      await engine.connect();
      await log.until(() => engine.state() === 'CONNECTED', 'CONNECTED after reconnecting');
      const after = log.events.slice(mark).flatMap((e) => (e.type === 'state' ? [e.change.state] : []));
      expect(after).not.toContain('QR_REQUIRED');
      expect(after.at(-1)).toBe('CONNECTED');
      expect(engine.me()).toMatch(/^\+\d+$/);
    });
  });
}
