/**
 * The behaviour every WhatsApp engine must show at the EngineSession seam, as one reusable suite.
 * An engine joins by providing a ConformanceDriver: the engine under test plus a way to make "the
 * other phone" send it messages and to complete a pairing. Real engines (wppconnect, whatsapp-web.js)
 * can run the same suite against a test account.
 */
import type { Ack, ChatId, RemoteMessage } from '../../src/core/messages';
import {
  EngineNotReadyError,
  MediaNotReadyError,
  SESSION_STATES,
  type EngineEvent,
  type EngineSession,
  type SessionState,
} from '../../src/engines/types';

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
  /**
   * Runs the cases of ENGINES.md "Second look" (once per engine is enough: they need only a connected
   * session), with the optional facts this library has.
   */
  facts?: { optional: readonly OptionalFact[] };
}

/** Facts that belong to some libraries only. */
export type OptionalFact = 'expireRevokeWindow' | 'injectReuploadingMedia' | 'breakCallRejection';

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
      if (Date.now() > deadline)
        throw new Error(`timed out after ${this.timeoutMs} ms waiting for ${what}; events so far: ${this.summary()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  summary(): string {
    return this.events
      .map((e) =>
        e.type === 'state'
          ? `state:${e.change.state}`
          : e.type === 'ack'
            ? `ack:${e.ack.ack}`
            : e.type === 'message'
              ? `message${e.message.fromMe ? '(fromMe)' : ''}`
              : e.type,
      )
      .join(', ');
  }
}

const jidDigits = (id: string) => id.split('@')[0].replace(/\D/g, '');

export function describeEngineConformance(
  name: string,
  factory: () => ConformanceDriver | Promise<ConformanceDriver>,
  options: ConformanceOptions = {},
): void {
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
      const state = await log.until(
        () => ['CONNECTED', 'QR_REQUIRED'].includes(engine.state()) && engine.state(),
        'CONNECTED or QR_REQUIRED',
      );
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
      const state = await log.until(
        () => ['CONNECTED', 'QR_REQUIRED'].includes(engine.state()) && engine.state(),
        'CONNECTED or QR_REQUIRED',
      );
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

    if (options.facts) describeFacts(() => ({ driver, engine, log, connected, peerChat }), options.facts.optional);
  });
}

interface FactContext {
  driver: ConformanceDriver;
  engine: EngineSession;
  log: EventLog;
  connected(): Promise<void>;
  peerChat(): Promise<ChatId>;
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9, 8, 7, 6, 5, 4, 3, 2]);
const MP4 = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, 1, 2, 3, 4]);

/**
 * One case per fact of ENGINES.md "Second look", for every driver whose fake has the fact. Registered at
 * describe time from a probe driver's abilities, so a driver without an ability shows no case rather than
 * a skipped one.
 */
function describeFacts(ctx: () => FactContext, optional: readonly OptionalFact[]): void {
  const facts = () => {
    const f = ctx().driver.facts;
    if (!f) throw new Error('this driver has no facts');
    return f;
  };
  describe('the unkind facts of WhatsApp Web', () => {
    test('no send marks the chat read; markRead does, and only then', async () => {
      const { engine, connected, peerChat } = ctx();
      await connected();
      const chatId = await peerChat();
      await engine.send({ kind: 'text', chatId, text: 'a reply' });
      await engine.send({ kind: 'image', chatId, media: { data: PNG, mimetype: 'image/png', filename: 'p.png' }, caption: 'pic' });
      await engine.send({
        kind: 'document',
        chatId,
        media: { data: Buffer.from('%PDF-1.4 tiny'), mimetype: 'application/pdf', filename: 'a.pdf' },
      });
      await engine.send({ kind: 'voice', chatId, media: { data: Buffer.from('OggS voice'), mimetype: 'audio/ogg; codecs=opus' } });
      await engine.send({ kind: 'location', chatId, location: { lat: 38.7, lng: -9.1, name: 'Lisboa' } });
      await engine.send({
        kind: 'contact',
        chatId,
        vcard: 'BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nTEL;type=CELL;waid=351912000222:+351 912 000 222\nEND:VCARD',
      });
      const inbound = ctx()
        .log.messages()
        .find((m) => !m.fromMe)!;
      await engine.send({ kind: 'reaction', chatId, messageId: inbound.id, emoji: '👍' });
      expect(facts().readMarks()).toEqual([]);
      expect(engine.capabilities.markRead).toBeDefined();
      await engine.capabilities.markRead!(chatId);
      expect(facts().readMarks()).toHaveLength(1);
    });

    test('a send to the phone form of a chat WhatsApp knows by linked id echoes under the lid with the same id', async () => {
      const { driver, engine, log, connected } = ctx();
      await connected();
      const lidChat = await facts().knowByLid(driver.peer);
      expect(lidChat).toMatch(/@lid$/);
      const sent = await engine.send({ kind: 'text', chatId: `${driver.peer}@c.us`, text: 'to the phone form' });
      const echo = await log.until(() => log.messages().find((m) => m.id === sent.remoteId), 'the echo of the send');
      expect(echo.fromMe).toBe(true);
      expect(echo.chatId).toBe(lidChat);
    });

    test('typing, read marks and revokes given the phone form reach the chat WhatsApp knows by linked id', async () => {
      const { driver, engine, connected } = ctx();
      await connected();
      const lidChat = await facts().knowByLid(driver.peer);
      const phoneChat = `${driver.peer}@c.us`;
      const sent = await engine.send({ kind: 'text', chatId: phoneChat, text: 'to be deleted' });
      await engine.capabilities.typing!(phoneChat, true);
      await engine.capabilities.markRead!(phoneChat);
      await expect(engine.capabilities.revoke!(phoneChat, sent.remoteId)).resolves.toBe('everyone');
      expect(facts().typingTargets()).toContain(lidChat);
      expect(facts().readMarks()).toEqual([lidChat]);
      expect(facts().revokeTargets()).toEqual([lidChat]);
    });

    test('several photos at once: the album parent is not a message, each picture is an image with its bytes', async () => {
      const { driver, engine, log, connected } = ctx();
      await connected();
      const pictures = [0, 1, 2].map((n) => ({
        data: Buffer.concat([PNG, Buffer.from([n])]),
        mimetype: 'image/png',
        caption: n === 0 ? 'trip' : undefined,
      }));
      const { albumId, pictureIds } = await facts().injectAlbum(driver.peer, pictures);
      const got = await log.until(() => {
        const found = pictureIds.map((id) => log.messages().find((m) => m.id === id));
        return found.every(Boolean) && (found as RemoteMessage[]);
      }, 'the three pictures');
      expect(log.messages().find((m) => m.id === albumId)).toBeUndefined();
      expect(log.messages().filter((m) => m.kind === 'unknown')).toEqual([]);
      for (const [i, m] of got.entries()) {
        expect(m.kind).toBe('image');
        const bytes = await engine.downloadMedia(m.chatId, m.id, m.media!);
        expect(bytes?.equals(pictures[i].data)).toBe(true);
      }
    });

    test('a round video note (ptv) arrives as a video with its bytes', async () => {
      const { driver, engine, log, connected } = ctx();
      await connected();
      const id = await facts().injectRoundVideo(driver.peer, { data: MP4, mimetype: 'video/mp4' });
      const m = await log.until(() => log.messages().find((x) => x.id === id), 'the round video');
      expect(m.kind).toBe('video');
      expect(m.media).toBeDefined();
      expect((await engine.downloadMedia(m.chatId, m.id, m.media!))?.equals(MP4)).toBe(true);
    });

    test('a quote WhatsApp refuses never costs the reply: it goes out without the quote, and says so', async () => {
      const { engine, log, connected, peerChat } = ctx();
      await connected();
      const chatId = await peerChat();
      const quoted = await engine.send({ kind: 'text', chatId, text: 'answer', quotedId: `false_${chatId}_3EB0NOTAWHATSAPPMESSAGE` });
      expect(quoted.quoteDropped).toBe(true);
      await log.until(() => log.messages().find((m) => m.id === quoted.remoteId), 'the echo of the reply');
      const inbound = log.messages().find((m) => !m.fromMe)!;
      const kept = await engine.send({ kind: 'text', chatId, text: 'answer with quote', quotedId: inbound.id });
      expect(kept.quoteDropped).toBeFalsy();
    });

    test('a caption edit arrives as the caption text, also when it adds a caption', async () => {
      const { driver, log, connected } = ctx();
      await connected();
      const withCaption = await driver.injectMedia(driver.peer, { data: PNG, mimetype: 'image/png', caption: 'old caption' });
      const without = await driver.injectMedia(driver.peer, { data: PNG, mimetype: 'image/png' });
      await log.until(() => log.messages().find((m) => m.id === without), 'both media messages');
      await facts().editCaption(driver.peer, withCaption, 'new caption');
      await facts().editCaption(driver.peer, without, 'added caption');
      const edits = await log.until(() => {
        const found = log.events.flatMap((e) => (e.type === 'edit' ? [e.edit] : []));
        return found.length >= 2 && found;
      }, 'two edit events');
      expect(edits.map((e) => [e.messageId, e.text])).toEqual([
        [withCaption, 'new caption'],
        [without, 'added caption'],
      ]);
    });

    test('a send whose server ack never comes still returns its id, and no ack is invented', async () => {
      const { engine, log, connected, peerChat } = ctx();
      await connected();
      const chatId = await peerChat();
      facts().withholdAcks();
      const sent = await engine.send({ kind: 'text', chatId, text: 'into the void' });
      expect(sent.remoteId).toBeTruthy();
      await new Promise((r) => setTimeout(r, 200));
      expect(log.acksOf(sent.remoteId).filter((a) => a !== 'PENDING')).toEqual([]);
    });

    test.each([-1, -2, -4, -7])('a failure ack %i is FAILED', async (code) => {
      const { engine, log, connected, peerChat } = ctx();
      await connected();
      const chatId = await peerChat();
      facts().failNextSend(code);
      const sent = await engine.send({ kind: 'text', chatId, text: 'will fail' });
      await log.until(() => log.acksOf(sent.remoteId).includes('FAILED'), 'the FAILED ack');
      expect(log.acksOf(sent.remoteId)).not.toContain('READ');
    });
  });

  // Facts only some libraries have: a case exists only for a driver that declares the fact.
  const optionalCase = (fact: OptionalFact, title: string, body: () => Promise<void>) => {
    if (!optional.includes(fact)) return;
    test(`${title} (${fact})`, async () => {
      if (typeof ctx().driver.facts?.[fact] !== 'function') throw new Error(`the driver declares ${fact} but has no such ability`);
      await body();
    });
  };

  describe('the unkind facts some libraries have', () => {
    optionalCase('expireRevokeWindow', 'a revoke past the time limit is reported as deleted for this device only', async () => {
      const { engine, connected, peerChat } = ctx();
      await connected();
      const chatId = await peerChat();
      const sent = await engine.send({ kind: 'text', chatId, text: 'too late to delete' });
      facts().expireRevokeWindow!();
      await expect(engine.capabilities.revoke!(chatId, sent.remoteId)).resolves.toBe('me');
    });

    optionalCase('injectReuploadingMedia', 'media the phone is re-uploading is "not yet", then arrives', async () => {
      const { driver, engine, log, connected } = ctx();
      await connected();
      const { id, finish } = await facts().injectReuploadingMedia!(driver.peer, { data: PNG, mimetype: 'image/png' });
      const m = await log.until(() => log.messages().find((x) => x.id === id), 'the media message');
      await expect(engine.downloadMedia(m.chatId, m.id, m.media!)).rejects.toBeInstanceOf(MediaNotReadyError);
      finish();
      expect((await engine.downloadMedia(m.chatId, m.id, m.media!))?.equals(PNG)).toBe(true);
    });

    optionalCase('breakCallRejection', 'a call rejection that fails on the page rejects with the reason', async () => {
      const { driver, engine, connected } = ctx();
      await connected();
      facts().breakCallRejection!();
      await expect(engine.capabilities.rejectCall!('CALL1', `${driver.peer}@c.us`)).rejects.toThrow(/\w/);
    });
  });
}
