import { TurnPlayer, type TurnPlayerDeps } from '../../../src/bots/turn-player';
import type { BotOutput } from '../../../src/bots/ports';
import type { OutboundMessage } from '../../../src/core/messages';
import type { ChatTarget, HelpdeskDestination, PostItem } from '../../../src/core/ports';
import type { Sent, WhatsAppSender } from '../../../src/from-agents/sender';
import type { EngineSession } from '../../../src/engines/types';
import { PermanentError, RetryableError } from '../../../src/queue/errors';
import type { BotChatState, BotStateStore, Outbox } from '../../../src/store/bot-state';
import type { HelpdeskRef, IdMap, WhatsAppRef } from '../../../src/store/id-map';

const TARGET: ChatTarget = {
  session: 'main',
  inboxId: 3,
  chatKey: '351912345678@c.us',
  waChatId: '351912345678@c.us',
  isGroup: false,
  reopen: 'reuse',
};

/** Like Redis: what is saved is a JSON copy, so a "restart" reads back only what was saved. */
class FakeStateStore {
  readonly states = new Map<string, string>();
  saves = 0;
  /** Throws on these save numbers (1-based), to simulate a crash at that point. */
  failOnSave = new Set<number>();

  async get(session: string, chatKey: string): Promise<BotChatState | undefined> {
    const raw = this.states.get(`${session}|${chatKey}`);
    return raw ? (JSON.parse(raw) as BotChatState) : undefined;
  }
  async save(session: string, chatKey: string, state: BotChatState): Promise<void> {
    this.saves += 1;
    if (this.failOnSave.has(this.saves)) throw new Error(`crash at save ${this.saves}`);
    this.states.set(`${session}|${chatKey}`, JSON.stringify(state));
  }
  async clear(session: string, chatKey: string): Promise<void> {
    this.states.delete(`${session}|${chatKey}`);
  }
}

class FakeSender {
  /** Called after the engine accepted a send, before send() returns (e.g. its fromMe echo being relayed). */
  afterSend?: (session: string, id: string) => Promise<void>;
  /** Every successful send, in order. */
  readonly sent: Array<{ session: string; id: string; message: OutboundMessage }> = [];
  attempts = 0;
  /** Throws on these attempt numbers (1-based). */
  failOnAttempt = new Set<number>();
  constructor(private readonly log: string[]) {}

  async send(session: string, engine: EngineSession, message: OutboundMessage): Promise<Sent> {
    this.attempts += 1;
    expect(engine.state()).toBe('CONNECTED');
    if (this.failOnAttempt.has(this.attempts)) throw new RetryableError(`WhatsApp send failed (attempt ${this.attempts})`);
    const id = `wa-${this.sent.length + 1}`;
    this.sent.push({ session, id, message });
    this.log.push(`send:${id}`);
    await this.afterSend?.(session, id);
    return { remoteId: id, quoteDropped: false, adopted: false };
  }
}

class FakeDestination implements HelpdeskDestination {
  readonly posts: Array<{ target: ChatTarget; sourceRef: string; item: PostItem }> = [];
  attempts = 0;
  failOnAttempt = new Set<number>();
  constructor(private readonly log: string[]) {}

  async post(target: ChatTarget, sourceRef: string, item: PostItem): Promise<HelpdeskRef> {
    this.attempts += 1;
    if (this.failOnAttempt.has(this.attempts)) throw new RetryableError(`Chatwoot 502 (attempt ${this.attempts})`);
    this.posts.push({ target, sourceRef, item });
    this.log.push(`mirror:${sourceRef}`);
    return { conversationId: 42, messageId: 1000 + this.posts.length };
  }
  async find(): Promise<HelpdeskRef | undefined> {
    return undefined;
  }
  async remove(): Promise<void> {}
}

/** The real IdMap's semantics: record() overwrites; recordHandled() (the inbound relay skipping our own echo) is NX. */
class FakeIdMap {
  readonly byWaId = new Map<string, HelpdeskRef | 'handled'>();
  async byWa(session: string, waId: string): Promise<HelpdeskRef | 'handled' | undefined> {
    return this.byWaId.get(`${session}|${waId}`);
  }
  async record(session: string, wa: WhatsAppRef, cw: HelpdeskRef): Promise<void> {
    this.byWaId.set(`${session}|${wa.waId}`, cw);
  }
  async recordHandled(session: string, waId: string): Promise<void> {
    if (!this.byWaId.has(`${session}|${waId}`)) this.byWaId.set(`${session}|${waId}`, 'handled');
  }
}

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

function setup(options: { engineState?: string; noEngine?: boolean } = {}) {
  const log: string[] = [];
  const store = new FakeStateStore();
  const sender = new FakeSender(log);
  const destination = new FakeDestination(log);
  const idMap = new FakeIdMap();
  const engine = { state: () => options.engineState ?? 'CONNECTED' } as unknown as EngineSession;
  const download = jest.fn(async (url: string, maxBytes: number) => {
    expect(maxBytes).toBe(16 * 1024 * 1024);
    if (url.includes('/gone/')) throw new PermanentError('404 from the file server');
    if (url.includes('/flaky/')) throw new RetryableError('connection reset');
    if (url.endsWith('.pdf')) return { data: Buffer.from('%PDF'), mimetype: 'application/pdf' };
    return { data: PNG, mimetype: 'image/png' };
  });
  const sleep = jest.fn(async (ms: number) => void log.push(`sleep:${ms}`));
  const onOutput = jest.fn();
  const deps: TurnPlayerDeps = {
    state: store as unknown as BotStateStore,
    sender: sender as unknown as WhatsAppSender,
    destination,
    idMap: idMap as unknown as IdMap,
    engine: (session) => (options.noEngine ? undefined : session === 'main' ? engine : undefined),
    download,
    maxMediaBytes: () => 16 * 1024 * 1024,
    sleep,
    onOutput,
  };
  return { player: new TurnPlayer(deps), deps, log, store, sender, destination, idMap, download, sleep, onOutput };
}

function newState(): BotChatState {
  return { bot: 'onboarding', flowSessionId: 'fs-1', conversationId: 42, target: TARGET, startedAt: 1, lastActivity: 1, answers: [] };
}

function outbox(outputs: BotOutput[]): Outbox {
  return { cause: 'wa-in-1', outputs, next: 0, sent: {}, input: { type: 'text input', text: true, files: false, state: null } };
}

/** What a retry after a crash sees: only what was saved. */
async function saved(store: FakeStateStore): Promise<{ state: BotChatState; outbox: Outbox }> {
  const state = (await store.get(TARGET.session, TARGET.chatKey))!;
  expect(state).toBeDefined();
  expect(state.outbox).toBeDefined();
  return { state, outbox: state.outbox! };
}

type MediaMessage = Extract<OutboundMessage, { media: unknown }>;

const textOf = (m: OutboundMessage) => (m.kind === 'text' ? m.text : 'caption' in m ? m.caption : undefined);

describe('TurnPlayer', () => {
  test('plays text and media outputs in order and mirrors each once as WAID:<sent id>', async () => {
    const t = setup();
    const outputs: BotOutput[] = [
      { kind: 'text', text: 'Olá! Bem-vindo.' },
      { kind: 'media', mediaKind: 'image', url: 'https://typebot.example/files/photo%20one.png', caption: 'O nosso escritório' },
      { kind: 'media', mediaKind: 'document', url: 'https://typebot.example/files/guide.png', filename: 'Guia.png' },
      { kind: 'media', mediaKind: 'document', url: 'https://typebot.example/files/terms.pdf' },
      { kind: 'text', text: 'Como se chama?' },
    ];
    const state = newState();
    const box = outbox(outputs);
    await t.player.play(TARGET, state, box);

    // WhatsApp got them in order, to the chat
    expect(t.sender.sent.map((s) => [s.session, s.message.chatId, s.message.kind, textOf(s.message)])).toEqual([
      ['main', TARGET.waChatId, 'text', 'Olá! Bem-vindo.'],
      ['main', TARGET.waChatId, 'image', 'O nosso escritório'],
      ['main', TARGET.waChatId, 'document', undefined], // mediaKind document wins over the image mimetype
      ['main', TARGET.waChatId, 'document', undefined],
      ['main', TARGET.waChatId, 'text', 'Como se chama?'],
    ]);
    const image = t.sender.sent[1].message as MediaMessage;
    expect(image.media).toEqual({ data: PNG, mimetype: 'image/png', filename: 'photo one.png' });
    expect((t.sender.sent[2].message as MediaMessage).media.filename).toBe('Guia.png');
    expect((t.sender.sent[3].message as MediaMessage).media).toEqual({
      data: Buffer.from('%PDF'),
      mimetype: 'application/pdf',
      filename: 'terms.pdf',
    });

    // each mirrored once, right after its send, with the WhatsApp id as source id
    expect(t.log).toEqual([
      'send:wa-1',
      'mirror:WAID:wa-1',
      'send:wa-2',
      'mirror:WAID:wa-2',
      'send:wa-3',
      'mirror:WAID:wa-3',
      'send:wa-4',
      'mirror:WAID:wa-4',
      'send:wa-5',
      'mirror:WAID:wa-5',
    ]);
    for (const [i, p] of t.destination.posts.entries()) {
      expect(p.target).toBe(TARGET);
      expect(p.item).toMatchObject({ type: 'message', direction: 'outgoing', private: false });
      if (p.item.type !== 'message') throw new Error('unreachable');
      expect(p.item.message).toMatchObject({
        id: `wa-${i + 1}`,
        chatId: TARGET.waChatId,
        fromMe: true,
        isGroup: false,
        kind: t.sender.sent[i].message.kind,
      });
      expect(p.item.message.text).toBe(textOf(t.sender.sent[i].message));
    }
    const mirroredImage = t.destination.posts[1].item as Extract<PostItem, { type: 'message' }>;
    expect(mirroredImage.media).toEqual({ status: 'ok', data: PNG, mimetype: 'image/png', filename: 'photo one.png' });
    expect((t.destination.posts[0].item as Extract<PostItem, { type: 'message' }>).media).toBeUndefined();

    // the id map knows each, so a later webhook is recognised as Ponte's own
    for (let i = 1; i <= 5; i++) expect(await t.idMap.byWa('main', `wa-${i}`)).toEqual({ conversationId: 42, messageId: 1000 + i });
    expect(t.onOutput).toHaveBeenCalledTimes(5);
    expect(t.onOutput).toHaveBeenCalledWith('main');

    // progress saved: everything shown, nothing half-done
    const after = await saved(t.store);
    expect(after.outbox.next).toBe(5);
    expect(after.outbox.sent).toEqual({});
    expect(after.outbox.input).toEqual(box.input);
    expect(state.outbox).toBe(box);

    // playing a finished outbox again does nothing
    await t.player.play(TARGET, after.state, after.outbox);
    expect(t.sender.sent).toHaveLength(5);
    expect(t.destination.posts).toHaveLength(5);
  });

  test('wait outputs sleep (the injected sleep) in their place, sending and mirroring nothing', async () => {
    const t = setup();
    await t.player.play(
      TARGET,
      newState(),
      outbox([
        { kind: 'text', text: 'one' },
        { kind: 'wait', ms: 1500 },
        { kind: 'wait', ms: 250 },
        { kind: 'text', text: 'two' },
      ]),
    );
    expect(t.log).toEqual(['send:wa-1', 'mirror:WAID:wa-1', 'sleep:1500', 'sleep:250', 'send:wa-2', 'mirror:WAID:wa-2']);
    expect(t.sleep).toHaveBeenCalledTimes(2);
    expect(t.onOutput).toHaveBeenCalledTimes(2);
    expect((await saved(t.store)).outbox.next).toBe(4);
  });

  test('a media bubble whose download fails with a PermanentError is shown as its link text', async () => {
    const t = setup();
    const url = 'https://typebot.example/gone/big-video.mp4';
    await t.player.play(
      TARGET,
      newState(),
      outbox([
        { kind: 'media', mediaKind: 'video', url, caption: 'Veja o vídeo' },
        { kind: 'media', mediaKind: 'image', url: 'https://typebot.example/gone/x.png' },
      ]),
    );
    expect(t.sender.sent.map((s) => s.message)).toEqual([
      { kind: 'text', chatId: TARGET.waChatId, text: `Veja o vídeo\n${url}` },
      { kind: 'text', chatId: TARGET.waChatId, text: 'https://typebot.example/gone/x.png' },
    ]);
    expect(
      t.destination.posts.map((p) => p.item.type === 'message' && [p.sourceRef, p.item.message.kind, p.item.message.text, p.item.media]),
    ).toEqual([
      ['WAID:wa-1', 'text', `Veja o vídeo\n${url}`, undefined],
      ['WAID:wa-2', 'text', 'https://typebot.example/gone/x.png', undefined],
    ]);
  });

  test('a retryable download failure is not shown as a link: the play fails there and resumes later', async () => {
    const t = setup();
    await expect(
      t.player.play(
        TARGET,
        newState(),
        outbox([
          { kind: 'text', text: 'before' },
          { kind: 'media', mediaKind: 'image', url: 'https://typebot.example/flaky/x.png' },
        ]),
      ),
    ).rejects.toThrow(RetryableError);
    expect(t.sender.sent.map((s) => textOf(s.message))).toEqual(['before']);
    const s = await saved(t.store);
    expect(s.outbox.next).toBe(1);
    expect(s.outbox.sent).toEqual({});
  });

  describe('crash safety', () => {
    test('the mirror fails after the send: the retry mirrors without sending again (text)', async () => {
      const t = setup();
      t.destination.failOnAttempt.add(2); // the mirror of output 2
      const outputs: BotOutput[] = [
        { kind: 'text', text: 'one' },
        { kind: 'text', text: 'two' },
        { kind: 'text', text: 'three' },
      ];
      await expect(t.player.play(TARGET, newState(), outbox(outputs))).rejects.toThrow(/Chatwoot 502/);
      expect(t.sender.sent.map((s) => textOf(s.message))).toEqual(['one', 'two']);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1']);

      // what survives the crash: output 2 is sent (its id kept), not yet mirrored
      const s = await saved(t.store);
      expect(s.outbox.next).toBe(1);
      expect(s.outbox.sent).toEqual({ 1: 'wa-2' });

      // a fresh player (a restarted daemon) goes on from the saved state
      const retry = new TurnPlayer(t.deps);
      await retry.play(TARGET, s.state, s.outbox);

      // exactly one send per output overall
      expect(t.sender.sent.map((x) => textOf(x.message))).toEqual(['one', 'two', 'three']);
      expect(t.sender.attempts).toBe(3);
      // every output mirrored exactly once, output 2 with the id it was sent with
      expect(t.destination.posts.map((p) => [p.sourceRef, p.item.type === 'message' && p.item.message.text])).toEqual([
        ['WAID:wa-1', 'one'],
        ['WAID:wa-2', 'two'],
        ['WAID:wa-3', 'three'],
      ]);
      const end = await saved(t.store);
      expect(end.outbox.next).toBe(3);
      expect(end.outbox.sent).toEqual({});
    });

    test('the mirror fails after a media send: the retry mirrors the media without sending it again', async () => {
      const t = setup();
      t.destination.failOnAttempt.add(1);
      const outputs: BotOutput[] = [
        { kind: 'media', mediaKind: 'image', url: 'https://typebot.example/files/map.png', caption: 'Mapa' },
        { kind: 'text', text: 'after' },
      ];
      await expect(t.player.play(TARGET, newState(), outbox(outputs))).rejects.toThrow(/Chatwoot 502/);
      expect(t.sender.sent).toHaveLength(1);
      const s = await saved(t.store);
      expect(s.outbox.sent).toEqual({ 0: 'wa-1' });

      await new TurnPlayer(t.deps).play(TARGET, s.state, s.outbox);
      expect(t.sender.sent.map((x) => [x.id, x.message.kind])).toEqual([
        ['wa-1', 'image'],
        ['wa-2', 'text'],
      ]);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1', 'WAID:wa-2']);
      const mirrored = t.destination.posts[0].item as Extract<PostItem, { type: 'message' }>;
      expect(mirrored.message).toMatchObject({ id: 'wa-1', kind: 'image', text: 'Mapa', fromMe: true });
      expect(mirrored.media).toEqual({ status: 'ok', data: PNG, mimetype: 'image/png', filename: 'map.png' });
    });

    test('several failed mirrors in a row: still one send, one mirror per output', async () => {
      const t = setup();
      t.destination.failOnAttempt = new Set([1, 2, 3]);
      const outputs: BotOutput[] = [{ kind: 'text', text: 'only' }];
      const box = outbox(outputs);
      await expect(t.player.play(TARGET, newState(), box)).rejects.toThrow();
      for (let i = 0; i < 2; i++) {
        const s = await saved(t.store);
        await expect(t.player.play(TARGET, s.state, s.outbox)).rejects.toThrow();
      }
      const s = await saved(t.store);
      await t.player.play(TARGET, s.state, s.outbox);
      expect(t.sender.attempts).toBe(1);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1']);
    });

    test('a crash after the mirror but before progress was saved neither sends nor mirrors again', async () => {
      const t = setup();
      // saves: 1 = start, 2 = after send of output 1, 3 = after its mirror (progress) -> crash there
      t.store.failOnSave.add(3);
      const outputs: BotOutput[] = [
        { kind: 'text', text: 'one' },
        { kind: 'text', text: 'two' },
      ];
      await expect(t.player.play(TARGET, newState(), outbox(outputs))).rejects.toThrow(/crash at save 3/);
      expect(t.destination.posts).toHaveLength(1);
      const s = await saved(t.store);
      expect(s.outbox).toMatchObject({ next: 0, sent: { 0: 'wa-1' } });

      await t.player.play(TARGET, s.state, s.outbox);
      expect(t.sender.sent.map((x) => [x.id, textOf(x.message)])).toEqual([
        ['wa-1', 'one'],
        ['wa-2', 'two'],
      ]);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1', 'WAID:wa-2']);
    });

    test('the sender fails on output 2: a retry resumes at output 2, output 1 is not sent again', async () => {
      const t = setup();
      t.sender.failOnAttempt.add(2);
      const outputs: BotOutput[] = [
        { kind: 'text', text: 'one' },
        { kind: 'wait', ms: 100 },
        { kind: 'text', text: 'two' },
        { kind: 'text', text: 'three' },
      ];
      await expect(t.player.play(TARGET, newState(), outbox(outputs))).rejects.toThrow(/WhatsApp send failed/);
      expect(t.sender.sent.map((x) => textOf(x.message))).toEqual(['one']);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1']);
      const s = await saved(t.store);
      expect(s.outbox.next).toBe(2); // output 1 and the wait are done
      expect(s.outbox.sent).toEqual({});

      t.log.length = 0;
      await new TurnPlayer(t.deps).play(TARGET, s.state, s.outbox);
      // the wait before output 2 is not slept again; output 1 not re-sent
      expect(t.log).toEqual(['send:wa-2', 'mirror:WAID:wa-2', 'send:wa-3', 'mirror:WAID:wa-3']);
      expect(t.sender.sent.map((x) => textOf(x.message))).toEqual(['one', 'two', 'three']);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1', 'WAID:wa-2', 'WAID:wa-3']);
      expect((await saved(t.store)).outbox).toMatchObject({ next: 4, sent: {} });
    });

    test('a session that is not connected is a RetryableError before anything is sent; a missing one is permanent', async () => {
      const t = setup({ engineState: 'DISCONNECTED' });
      await expect(t.player.play(TARGET, newState(), outbox([{ kind: 'text', text: 'x' }]))).rejects.toThrow(RetryableError);
      expect(t.sender.attempts).toBe(0);
      expect((await saved(t.store)).outbox).toMatchObject({ next: 0, sent: {} });

      const gone = setup({ noEngine: true });
      await expect(gone.player.play(TARGET, newState(), outbox([{ kind: 'text', text: 'x' }]))).rejects.toThrow(PermanentError);
      expect(gone.sender.attempts).toBe(0);
    });
  });

  describe('say', () => {
    test('sends one text and mirrors it once', async () => {
      const t = setup();
      await t.player.say(TARGET, 'Vou passar a um colega.');
      expect(t.sender.sent).toEqual([
        { session: 'main', id: 'wa-1', message: { kind: 'text', chatId: TARGET.waChatId, text: 'Vou passar a um colega.' } },
      ]);
      expect(t.destination.posts).toHaveLength(1);
      expect(t.destination.posts[0].sourceRef).toBe('WAID:wa-1');
      expect(t.destination.posts[0].item).toMatchObject({
        type: 'message',
        direction: 'outgoing',
        private: false,
        message: { id: 'wa-1', kind: 'text', text: 'Vou passar a um colega.', fromMe: true },
      });
      expect(await t.idMap.byWa('main', 'wa-1')).toEqual({ conversationId: 42, messageId: 1001 });
      expect(t.onOutput).toHaveBeenCalledTimes(1);
      // no chat state touched
      expect(t.store.saves).toBe(0);
    });

    test('does not mirror when the send fails', async () => {
      const t = setup();
      t.sender.failOnAttempt.add(1);
      await expect(t.player.say(TARGET, 'x')).rejects.toThrow(RetryableError);
      expect(t.destination.posts).toHaveLength(0);
    });
  });

  // The engine reports every send of ours back as a fromMe echo, which the inbound relay marks 'handled'
  // in the id map: that must not pass for "already in Chatwoot".
  describe('own echo handled before the mirror', () => {
    test('the mirror fails, the echo is handled meanwhile, and the retry still mirrors the bubble', async () => {
      const t = setup();
      t.destination.failOnAttempt.add(1);
      await expect(t.player.play(TARGET, newState(), outbox([{ kind: 'text', text: 'Olá!' }]))).rejects.toThrow(/Chatwoot 502/);
      // while the lane waits to retry, the inbound relay takes in the fromMe echo of wa-1 and skips it as ours
      await t.idMap.recordHandled('main', 'wa-1');

      const s = await saved(t.store);
      await t.player.play(TARGET, s.state, s.outbox);
      expect(t.sender.attempts).toBe(1); // not sent again: fine
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1']);
      expect(await t.idMap.byWa('main', 'wa-1')).toEqual({ conversationId: 42, messageId: 1001 });
    });

    test('the echo handled before send() returns (live race) does not keep the bubble out of Chatwoot', async () => {
      const t = setup();
      // engines often report the echo before send() resolves; the relay consumes it by fingerprint and marks it handled
      t.sender.afterSend = (session, id) => t.idMap.recordHandled(session, id);
      await t.player.play(
        TARGET,
        newState(),
        outbox([
          { kind: 'text', text: 'one' },
          { kind: 'text', text: 'two' },
        ]),
      );
      expect(t.sender.sent).toHaveLength(2);
      expect(t.destination.posts.map((p) => p.sourceRef)).toEqual(['WAID:wa-1', 'WAID:wa-2']);
    });
  });

  test("a media URL with a stray '%' in its last segment still shows the file", async () => {
    const t = setup();
    const url = 'https://typebot.example/files/desconto-20%.png';
    expect(new URL(url).pathname).toBe('/files/desconto-20%.png'); // a valid URL
    await expect(t.player.play(TARGET, newState(), outbox([{ kind: 'media', mediaKind: 'image', url }]))).resolves.toBeUndefined();
    expect(t.sender.sent.map((x) => x.message.kind)).toEqual(['image']);
  });
});
