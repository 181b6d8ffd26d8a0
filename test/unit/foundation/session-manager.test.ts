import { SessionManager, UnknownSessionError } from '../../../src/sessions/manager';
import type { OutboundMessage, SendResult } from '../../../src/core/messages';
import {
  EngineNotReadyError,
  type ConnectOptions,
  type EngineEvent,
  type EngineEventSink,
  type EngineSession,
  type PairingInfo,
  type SessionState,
} from '../../../src/engines/types';
import { createLogger } from '../../../src/observability/logger';
import { createMetrics, type Metrics } from '../../../src/observability/metrics';

type ConnectOutcome = SessionState | 'throw' | 'nothing';

/** A scriptable engine: each connect() ends in the next scripted outcome (default CONNECTED). */
class FakeEngine implements EngineSession {
  readonly engine = 'fake';
  readonly capabilities = {};
  connects: ConnectOptions[] = [];
  disconnects = 0;
  logouts = 0;
  script: ConnectOutcome[] = [];
  current: SessionState = 'CONNECTING';
  failDisconnect = false;
  brokenGetters = false;
  private sinks: EngineEventSink[] = [];

  constructor(readonly id: string) {}

  async connect(options: ConnectOptions = {}): Promise<void> {
    this.connects.push(options);
    const outcome = this.script.shift() ?? 'CONNECTED';
    if (outcome === 'throw') throw new Error(`engine ${this.id} exploded`);
    if (outcome === 'nothing') return;
    this.emitState(outcome);
  }
  async disconnect(): Promise<void> {
    this.disconnects += 1;
    if (this.failDisconnect) throw new Error('cannot disconnect');
  }
  async logout(): Promise<void> {
    this.logouts += 1;
    this.emitState('LOGGED_OUT', 'logged out');
  }
  state(): SessionState {
    return this.current;
  }
  pairing(): PairingInfo | undefined {
    if (this.brokenGetters) throw new Error('pairing() broke');
    return this.current === 'QR_REQUIRED' ? { qr: 'QR', attempt: 1 } : undefined;
  }
  me(): string | undefined {
    if (this.brokenGetters) throw new Error('me() broke');
    return this.current === 'CONNECTED' ? '+351910000001' : undefined;
  }
  onEvent(sink: EngineEventSink): void {
    this.sinks.push(sink);
  }
  async send(_m: OutboundMessage): Promise<SendResult> {
    throw new EngineNotReadyError(this.id, this.current);
  }
  async downloadMedia(): Promise<Buffer | undefined> {
    return undefined;
  }
  async recentMessages() {
    return [];
  }
  async activeChats() {
    return [];
  }
  async resolveContact(id: string) {
    return { id };
  }
  emitState(state: SessionState, reason?: string): void {
    this.current = state;
    this.emit({ type: 'state', change: { state, reason } });
  }
  emit(event: EngineEvent): void {
    for (const s of this.sinks) s(event);
  }
}

let metrics: Metrics;
let logLines: Array<Record<string, any>>;
const logger = createLogger({ level: 'info', pretty: false }, { write: (s: string) => void logLines.push(JSON.parse(s)) });

beforeAll(() => {
  metrics = createMetrics({ version: 'test' });
});
beforeEach(() => {
  logLines = [];
  jest.useFakeTimers();
});
afterEach(() => {
  jest.restoreAllMocks();
  jest.clearAllTimers();
  jest.useRealTimers();
});

function manager(...engines: FakeEngine[]): { sm: SessionManager; events: Array<[string, EngineEvent]> } {
  const sm = new SessionManager(logger, metrics, { baseMs: 1000, maxMs: 8000 });
  const events: Array<[string, EngineEvent]> = [];
  for (const e of engines) sm.add(e, (id, ev) => events.push([id, ev]));
  return { sm, events };
}

async function gauge(session: string): Promise<Record<string, number>> {
  const { values } = await metrics.sessionState.get();
  return Object.fromEntries(values.filter((v) => v.labels.session === session).map((v) => [v.labels.state as string, v.value]));
}

async function reconnectsOf(session: string): Promise<number> {
  const { values } = await metrics.sessionReconnects.get();
  return values.find((v) => v.labels.session === session)?.value ?? 0;
}

describe('state tracking', () => {
  test('sessions start CONNECTING and follow the engine state events', async () => {
    const e = new FakeEngine('track-a');
    const { sm, events } = manager(e);
    expect(sm.status('track-a')).toMatchObject({ id: 'track-a', engine: 'fake', state: 'CONNECTING', reconnectAttempts: 0 });
    await sm.startAll();
    const status = sm.status('track-a')!;
    expect(status).toMatchObject({ state: 'CONNECTED', me: '+351910000001' });
    expect(new Date(status.since).toString()).not.toBe('Invalid Date');
    expect(events.map(([id, ev]) => [id, ev.type === 'state' ? ev.change.state : ev.type])).toEqual([['track-a', 'CONNECTED']]);

    e.emitState('QR_REQUIRED', 'scan it');
    expect(sm.status('track-a')).toMatchObject({ state: 'QR_REQUIRED', reason: 'scan it', pairing: { qr: 'QR', attempt: 1 } });
    expect(sm.list().map((s) => s.id)).toEqual(['track-a']);
  });

  test('the state gauge is 1 for the current state and 0 for the others', async () => {
    const e = new FakeEngine('gauge-a');
    const { sm } = manager(e);
    expect(await gauge('gauge-a')).toMatchObject({ CONNECTING: 1, CONNECTED: 0 });
    await sm.startAll();
    const g = await gauge('gauge-a');
    expect(g.CONNECTED).toBe(1);
    expect(Object.values(g).reduce((a, b) => a + b, 0)).toBe(1);
    expect(Object.keys(g)).toHaveLength(6);
  });

  test('state changes are logged with the session, never the same state twice in a row', async () => {
    const e = new FakeEngine('log-a');
    const { sm } = manager(e);
    await sm.startAll();
    e.emitState('CONNECTED');
    const changes = logLines.filter((l) => l.msg === 'session state changed' && l.session === 'log-a');
    expect(changes).toEqual([expect.objectContaining({ previous: 'CONNECTING', state: 'CONNECTED' })]);
  });

  test('connecting() lists exactly the sessions still CONNECTING (readiness)', async () => {
    const a = new FakeEngine('ready-a');
    const b = new FakeEngine('ready-b');
    const c = new FakeEngine('ready-c');
    b.script = ['nothing'];
    c.script = ['QR_REQUIRED'];
    const { sm } = manager(a, b, c);
    expect(sm.connecting()).toEqual(['ready-a', 'ready-b', 'ready-c']);
    await sm.startAll();
    expect(sm.connecting()).toEqual(['ready-b']);
    b.emitState('CONNECTED');
    expect(sm.connecting()).toEqual([]);
  });

  test('an unknown session id is refused', async () => {
    const { sm } = manager(new FakeEngine('known'));
    expect(sm.status('nope')).toBeUndefined();
    expect(sm.get('nope')).toBeUndefined();
    await expect(sm.login('nope')).rejects.toBeInstanceOf(UnknownSessionError);
    await expect(sm.logout('nope')).rejects.toThrow('no session "nope" is configured');
  });
});

describe('reconnects', () => {
  /** Connect calls happen exactly `delays` ms apart (nothing 1 ms before each, one call at it). */
  async function expectReconnectsAfter(e: FakeEngine, delays: number[]): Promise<void> {
    for (const d of delays) {
      const before = e.connects.length;
      await jest.advanceTimersByTimeAsync(d - 1);
      expect(e.connects).toHaveLength(before);
      await jest.advanceTimersByTimeAsync(1);
      expect(e.connects).toHaveLength(before + 1);
    }
  }

  test('TRANSIENT_DISCONNECT schedules reconnects with exponential backoff; CONNECTED resets it', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1); // no jitter: the full exponential step
    const e = new FakeEngine('rc-a');
    const { sm } = manager(e);
    await sm.startAll();
    expect(e.connects).toHaveLength(1);

    e.script = ['TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT', 'CONNECTED'];
    e.emitState('TRANSIENT_DISCONNECT', 'network');
    expect(sm.status('rc-a')).toMatchObject({ state: 'TRANSIENT_DISCONNECT', reason: 'network', reconnectAttempts: 1 });
    await expectReconnectsAfter(e, [1000, 2000, 4000]);
    expect(sm.status('rc-a')).toMatchObject({ state: 'CONNECTED', reconnectAttempts: 0 });
    expect(await reconnectsOf('rc-a')).toBe(3);

    // the next drop starts from the first step again
    e.emitState('TRANSIENT_DISCONNECT');
    await expectReconnectsAfter(e, [1000]);
  });

  test('jitter never shortens a delay below half the exponential step', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const e = new FakeEngine('rc-jitter');
    const { sm } = manager(e);
    await sm.startAll();
    e.script = ['TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT', 'CONNECTED'];
    e.emitState('TRANSIENT_DISCONNECT');
    await expectReconnectsAfter(e, [500, 1000, 2000]);
  });

  test('the delay is capped at maxMs however often it fails', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const e = new FakeEngine('rc-cap');
    const { sm } = manager(e);
    await sm.startAll();
    e.script = Array(12).fill('TRANSIENT_DISCONNECT');
    e.emitState('TRANSIENT_DISCONNECT');
    await expectReconnectsAfter(e, [1000, 2000, 4000, 8000, 8000, 8000, 8000, 8000, 8000]);
    expect(sm.status('rc-cap')!.reconnectAttempts).toBe(10);
  });

  test.each(['LOGGED_OUT', 'BAD_CREDENTIALS'] as const)('%s is never reconnected automatically', async (state) => {
    const e = new FakeEngine(`term-${state.toLowerCase()}`);
    const { sm } = manager(e);
    await sm.startAll();
    e.emitState(state, 'phone unlinked');
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(e.connects).toHaveLength(1);
    expect(sm.status(e.id)).toMatchObject({ state, reason: 'phone unlinked' });
  });

  test('a pending reconnect is cancelled when the session is logged out meanwhile', async () => {
    const e = new FakeEngine('term-cancel');
    const { sm } = manager(e);
    await sm.startAll();
    e.emitState('TRANSIENT_DISCONNECT');
    e.emitState('LOGGED_OUT');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(e.connects).toHaveLength(1);
  });

  test('login() reconnects a logged-out session (with the pairing phone) and leaves a connected one alone', async () => {
    const e = new FakeEngine('login-a');
    const { sm } = manager(e);
    await sm.startAll();
    await sm.login('login-a');
    expect(e.connects).toHaveLength(1);
    await sm.logout('login-a');
    expect(e.logouts).toBe(1);
    expect(sm.status('login-a')!.state).toBe('LOGGED_OUT');
    e.script = ['QR_REQUIRED'];
    const status = await sm.login('login-a', '+351912345678');
    expect(e.connects[1]).toEqual({ pairingPhone: '+351912345678' });
    expect(status.state).toBe('QR_REQUIRED');
  });
});

describe('isolation of failing engines', () => {
  test('an engine whose connect throws becomes TRANSIENT_DISCONNECT and retries; the other session connects', async () => {
    const bad = new FakeEngine('iso-bad');
    const good = new FakeEngine('iso-good');
    bad.script = ['throw', 'CONNECTED'];
    const { sm } = manager(bad, good);
    await expect(sm.startAll()).resolves.toBeUndefined();
    expect(sm.status('iso-good')!.state).toBe('CONNECTED');
    expect(sm.status('iso-bad')).toMatchObject({ state: 'TRANSIENT_DISCONNECT', reason: 'engine iso-bad exploded' });
    expect(logLines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'engine connect threw', session: 'iso-bad' })]));
    await jest.advanceTimersByTimeAsync(1000);
    expect(sm.status('iso-bad')!.state).toBe('CONNECTED');
  });

  test('an event handler that throws does not stop state tracking or other sessions', async () => {
    const a = new FakeEngine('handler-a');
    const b = new FakeEngine('handler-b');
    const sm = new SessionManager(logger, metrics, { baseMs: 1000, maxMs: 8000 });
    const seen: string[] = [];
    sm.add(a, () => {
      throw new Error('handler bug');
    });
    sm.add(b, (id, ev) => seen.push(`${id}:${ev.type}`));
    await sm.startAll();
    expect(sm.status('handler-a')!.state).toBe('CONNECTED');
    expect(sm.status('handler-b')!.state).toBe('CONNECTED');
    expect(seen).toEqual(['handler-b:state']);
    expect(logLines).toEqual(expect.arrayContaining([expect.objectContaining({ msg: 'event handler failed', session: 'handler-a' })]));
  });

  test('an engine whose getters throw still gets a status', async () => {
    const e = new FakeEngine('getters');
    const { sm } = manager(e);
    await sm.startAll();
    e.brokenGetters = true;
    expect(sm.status('getters')).toMatchObject({ state: 'CONNECTED', me: undefined, pairing: undefined });
    expect(() => sm.list()).not.toThrow();
  });
});

describe('stopAll', () => {
  test('disconnects every engine, tolerates one that fails, and cancels pending reconnects', async () => {
    const a = new FakeEngine('stop-a');
    const b = new FakeEngine('stop-b');
    a.failDisconnect = true;
    const { sm } = manager(a, b);
    await sm.startAll();
    b.emitState('TRANSIENT_DISCONNECT');
    await expect(sm.stopAll()).resolves.toBeUndefined();
    expect([a.disconnects, b.disconnects]).toEqual([1, 1]);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(b.connects).toHaveLength(1);
    // a drop reported during shutdown does not start a reconnect either
    a.emitState('TRANSIENT_DISCONNECT');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(a.connects).toHaveLength(1);
  });
});
