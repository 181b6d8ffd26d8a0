import { simulatorSchema, type SimulatorConfig } from '../../src/config/schema';
import { SimulatorEngine } from '../../src/engines/simulator/simulator-engine';
import { inboundSchema } from '../../src/engines/simulator/simulator-customer';
import type { EngineEvent } from '../../src/engines/types';
import { describeEngineConformance, type ConformanceDriver, type ConformanceFacts, type InjectedMedia } from './engine-conformance';

const asMedia = (m: InjectedMedia) => ({ mimetype: m.mimetype, filename: m.filename, base64: m.data.toString('base64') });

/** The simulator has every fact itself (its comments name the library source of each): no fake page needed. */
function simulatorFacts(engine: SimulatorEngine): ConformanceFacts {
  return {
    knowByLid: async (from) => engine.knowByLid(from),
    readMarks: () => engine.reads().map((r) => r.chatId),
    typingTargets: () => engine.typing().map((t) => t.chatId),
    revokeTargets: () => engine.revokes(),
    injectAlbum: async (from, pictures) =>
      engine.injectAlbum({
        from,
        type: 'album',
        fromMe: false,
        silent: false,
        pictures: pictures.map((p) => ({ ...asMedia(p), caption: p.caption })),
      }),
    injectRoundVideo: async (from, media) =>
      engine.inject({ from, type: 'ptv', media: asMedia(media), caption: media.caption, fromMe: false, silent: false }),
    editCaption: async (from, messageId, caption) => {
      engine.inject({ from, type: 'edit', targetId: messageId, caption, fromMe: false, silent: false });
    },
    withholdAcks: () => engine.control({ withholdAcks: true }),
    failNextSend: (code) => engine.failNextSend(code),
    expireRevokeWindow: () => engine.expireRevokeWindow(),
    injectReuploadingMedia: async (from, media) => {
      const id = engine.inject({
        from,
        type: kindOf(media.mimetype),
        caption: media.caption,
        media: { ...asMedia(media), reuploading: true },
        fromMe: false,
        silent: false,
      });
      return { id, finish: () => engine.finishReupload(id) };
    },
    breakCallRejection: () => engine.control({ breakCallRejection: true }),
  };
}

const kindOf = (mimetype: string) =>
  mimetype.startsWith('image/') ? 'image' : mimetype.startsWith('video/') ? 'video' : mimetype.startsWith('audio/') ? 'audio' : 'document';

function simulatorDriver(config: Partial<SimulatorConfig> = {}): ConformanceDriver {
  const engine = new SimulatorEngine('conformance', simulatorSchema.parse({ ackIntervalMs: 15, ...config }));
  return {
    engine,
    peer: '351912000111',
    injectText: async (from, text) => engine.inject({ from, type: 'text', text, fromMe: false, silent: false }),
    injectMedia: async (from, media, options = {}) =>
      engine.inject({
        from,
        type: kindOf(media.mimetype),
        caption: media.caption,
        media: { mimetype: media.mimetype, filename: media.filename, base64: media.data.toString('base64'), gone: options.gone },
        fromMe: false,
        silent: false,
      }),
    pair: async () => engine.force('CONNECTED'),
    dispose: () => engine.disconnect(),
    facts: simulatorFacts(engine),
  };
}

describeEngineConformance('simulator (already paired)', () => simulatorDriver(), {
  facts: { optional: ['expireRevokeWindow', 'injectReuploadingMedia', 'breakCallRejection'] },
});
describeEngineConformance('simulator (needs a QR scan)', () => simulatorDriver({ requireQr: true }));
describeEngineConformance('simulator (slow connect)', () => simulatorDriver({ connectDelayMs: 30 }));

describe('simulator login', () => {
  let engine: SimulatorEngine;
  let events: EngineEvent[];

  function start(config: Partial<SimulatorConfig>): SimulatorEngine {
    engine = new SimulatorEngine('login', simulatorSchema.parse(config));
    events = [];
    engine.onEvent((e) => events.push(e));
    return engine;
  }

  beforeEach(() => jest.useFakeTimers());
  afterEach(async () => {
    await engine.disconnect();
    jest.useRealTimers();
  });

  test('QR codes rotate: the attempt counter grows, the code changes, each expires in the future', async () => {
    start({ requireQr: true, qrRotateMs: 20000 });
    await engine.connect();
    await jest.advanceTimersByTimeAsync(0);
    const seen: Array<{ qr?: string; attempt: number; expiresAt?: number; now: number }> = [];
    for (let i = 0; i < 3; i++) {
      expect(engine.state()).toBe('QR_REQUIRED');
      seen.push({ ...engine.pairing()!, now: Date.now() });
      await jest.advanceTimersByTimeAsync(20000);
    }
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(new Set(seen.map((s) => s.qr)).size).toBe(3);
    for (const s of seen) {
      expect(s.qr).toEqual(expect.any(String));
      expect(s.expiresAt).toBeGreaterThan(s.now);
    }
    // each new QR is announced as a QR_REQUIRED state event
    expect(events.filter((e) => e.type === 'state' && e.change.state === 'QR_REQUIRED').length).toBeGreaterThanOrEqual(3);
  });

  test('pairing-code mode shows one 8-character code that does not rotate', async () => {
    start({ requireQr: true, qrRotateMs: 20000 });
    await engine.connect({ pairingPhone: '+351912345678' });
    await jest.advanceTimersByTimeAsync(0);
    const first = engine.pairing()!;
    expect(first.pairingCode).toMatch(/^[A-HJ-NP-TV-Z2-9]{8}$/); // no look-alikes (I/1, O/0)
    expect(first.qr).toBeUndefined();
    expect(first.attempt).toBe(1);
    expect(first.expiresAt).toBeGreaterThan(Date.now());
    await jest.advanceTimersByTimeAsync(60000);
    expect(engine.pairing()).toEqual(first);
  });

  test('the simulated phone pairs by itself after pairAfterMs', async () => {
    start({ requireQr: true, pairAfterMs: 1500, qrRotateMs: 500 });
    await engine.connect();
    await jest.advanceTimersByTimeAsync(1499);
    expect(engine.state()).toBe('QR_REQUIRED');
    expect(engine.pairing()!.attempt).toBe(3);
    await jest.advanceTimersByTimeAsync(1);
    expect(engine.state()).toBe('CONNECTED');
    expect(engine.pairing()).toBeUndefined();
    expect(engine.me()).toBe('+351910000000');
    // no more QR codes once paired
    const count = events.length;
    await jest.advanceTimersByTimeAsync(5000);
    expect(events.length).toBe(count);
  });

  test('with pairAfterMs 0 nobody pairs: QR codes keep coming', async () => {
    start({ requireQr: true, qrRotateMs: 1000 });
    await engine.connect();
    await jest.advanceTimersByTimeAsync(60000);
    expect(engine.state()).toBe('QR_REQUIRED');
    expect(engine.pairing()!.attempt).toBe(61);
  });
});

describe('simulator extras', () => {
  test('a message injected silently is only in the history (what catch-up must find)', async () => {
    const engine = new SimulatorEngine('silent', simulatorSchema.parse({}));
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    engine.force('CONNECTED');
    const since = Math.floor(Date.now() / 1000) - 1;
    const id = engine.inject({ from: '351912000222', type: 'text', text: 'missed', fromMe: false, silent: true });
    expect(events.filter((e) => e.type === 'message')).toHaveLength(0);
    const history = await engine.recentMessages('351912000222@c.us', since);
    expect(history.map((m) => m.id)).toEqual([id]);
    await engine.disconnect();
  });

  test('failSends makes send reject with that error', async () => {
    const engine = new SimulatorEngine('fail', simulatorSchema.parse({}));
    engine.force('CONNECTED');
    engine.failSends = 'phone offline';
    await expect(engine.send({ kind: 'text', chatId: '351912000222@c.us', text: 'x' })).rejects.toThrow('phone offline');
    expect(engine.sent()).toHaveLength(0);
    await engine.disconnect();
  });
});

describe('simulator: the Second look facts it plays for the relay tests', () => {
  let engine: SimulatorEngine;
  let events: EngineEvent[];
  beforeEach(() => {
    engine = new SimulatorEngine('facts', simulatorSchema.parse({ ackIntervalMs: 10 }));
    events = [];
    engine.onEvent((e) => events.push(e));
    engine.force('CONNECTED');
  });
  afterEach(() => engine.disconnect());
  const acks = (id: string) => events.flatMap((e) => (e.type === 'ack' && e.ack.messageId === id ? [e.ack.ack] : []));

  test('waitForAck: the send returns only after the SENT ack, its echo already out (wa-js waitForAck)', async () => {
    engine.waitForAck = true;
    const sent = await engine.send({ kind: 'text', chatId: '351912000333@c.us', text: 'wait for it' });
    expect(acks(sent.remoteId)).toEqual(['SENT']);
    expect(events.find((e) => e.type === 'message' && e.message.id === sent.remoteId)).toBeDefined();
  });

  test('waitForAck with acks withheld: the message goes out, the send never returns (wa-js issue 1187)', async () => {
    engine.control({ waitForAck: true, withholdAcks: true });
    let settled = false;
    void engine.send({ kind: 'text', chatId: '351912000333@c.us', text: 'into the void' }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    expect(engine.sent().map((s) => s.message.text)).toEqual(['into the void']);
    const history = await engine.recentMessages('351912000333@c.us', 0);
    expect(history.map((m) => [m.fromMe, m.text])).toEqual([[true, 'into the void']]);
  });

  test('a quote of a message deleted for everyone is dropped; a quote of a live one is kept', async () => {
    const live = engine.inject({ from: '351912000333', type: 'text', text: 'live', fromMe: false, silent: false });
    const gone = engine.inject({ from: '351912000333', type: 'text', text: 'gone', fromMe: false, silent: false });
    engine.inject({ from: '351912000333', type: 'revoke', targetId: gone, fromMe: false, silent: false });
    const a = await engine.send({ kind: 'text', chatId: '351912000333@c.us', text: 'a', quotedId: live });
    const b = await engine.send({ kind: 'text', chatId: '351912000333@c.us', text: 'b', quotedId: gone });
    expect([a.quoteDropped, b.quoteDropped]).toEqual([undefined, true]);
    expect(engine.sent().map((s) => [s.message.quotedId, s.quoteDropped])).toEqual([
      [live, undefined],
      [undefined, true],
    ]);
  });

  test('a number known by linked id writes from its lid chat, and its history is read under either form', async () => {
    const lid = engine.control({ knowByLid: '+351 912 000 333' }).lid!;
    const id = engine.inject({ from: '351912000333', type: 'text', text: 'from the lid', fromMe: false, silent: false });
    const m = events.flatMap((e) => (e.type === 'message' ? [e.message] : [])).find((x) => x.id === id)!;
    expect([m.chatId, m.from]).toEqual([lid, lid]);
    expect((await engine.recentMessages('351912000333@c.us', 0)).map((x) => x.id)).toEqual([id]);
    expect(await engine.resolveContact(lid)).toMatchObject({ phone: '+351912000333' });
  });

  test('album and ptv injections validate as the HTTP route parses them', () => {
    const album = inboundSchema.safeParse({ from: '+351912000333', type: 'album' });
    expect(album.success).toBe(false);
    const ok = inboundSchema.parse({
      from: '+351912000333',
      type: 'album',
      id: 'ALB',
      pictures: [
        { mimetype: 'image/png', base64: 'AAAA', caption: 'x' },
        { mimetype: 'image/png', base64: 'AQID' },
      ],
    });
    expect(engine.inject(ok)).toBe('ALB');
    const pictures = events.flatMap((e) => (e.type === 'message' ? [e.message] : []));
    expect(pictures.map((m) => [m.id, m.kind, m.text])).toEqual([
      ['ALB-1', 'image', 'x'],
      ['ALB-2', 'image', undefined],
    ]);
    expect(inboundSchema.safeParse({ from: '+351912000333', type: 'ptv' }).success).toBe(false);
  });

  test('a refused pairing-code request leaks an unhandled rejection, as whatsapp-web.js does; the page stays on its QR code', async () => {
    const leaked: unknown[] = [];
    // Jest takes the real process's unhandled rejections: catch the leak where the library would have lost it.
    const realThen = Promise.prototype.then;
    const spy = jest.spyOn(Promise.prototype, 'then').mockImplementation(function (this: Promise<unknown>, ok?: any, ko?: any) {
      const p = realThen.call(this, ok, ko);
      if (ok && !ko && String(ok).includes('pairing code request refused'))
        void realThen.call(p, undefined, (e: unknown) => void leaked.push(e));
      return p;
    });
    try {
      const fresh = new SimulatorEngine('refuse', simulatorSchema.parse({ requireQr: true, qrRotateMs: 0 }));
      fresh.control({ refusePairingCodes: true });
      await fresh.connect({ pairingPhone: '+351912345678' });
      await new Promise((r) => setTimeout(r, 20));
      expect(fresh.state()).toBe('QR_REQUIRED');
      expect(fresh.pairing()).toMatchObject({ qr: expect.any(String) });
      expect(fresh.pairing()!.pairingCode).toBeUndefined();
      expect(leaked).toEqual([expect.objectContaining({ message: 'pairing code request refused by WhatsApp' })]);
      await fresh.disconnect();
    } finally {
      spy.mockRestore();
    }
  });
});
