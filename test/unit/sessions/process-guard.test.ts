/**
 * The process-wide guard (issue 15, point 6): a failure nobody caught never ends the daemon; it is
 * attributed to its session when that can be told, logged, and that session is restarted.
 */
import { EventEmitter } from 'node:events';
import { ProcessGuard } from '../../../src/sessions/process-guard';
import { simulatorSchema } from '../../../src/config/schema';
import { SimulatorEngine } from '../../../src/engines/simulator/simulator-engine';
import { EngineNotReadyError } from '../../../src/engines/types';
import { ENGINE_SOURCES } from '../../../src/wiring/engine-sources';
import { waitFor } from '../../helpers';
import { rig, type Rig } from './support';

/** An error whose stack runs through a library's files, as a leaked rejection's does. */
function libraryError(file: string): Error {
  const err = new Error('Evaluation failed: something broke on the page');
  err.stack = `Error: Evaluation failed: something broke on the page\n    at ExecutionContext._evaluateInternal (/app/node_modules/puppeteer-core/lib/cjs/ExecutionContext.js:229:13)\n    at async ${file}`;
  return err;
}

describe('process guard over a SessionManager', () => {
  let r: Rig;
  let guard: ProcessGuard | undefined;
  afterEach(async () => {
    guard?.uninstall();
    guard = undefined;
    await r?.sm.stopAll();
  });

  // Jest keeps the real process's unhandled rejections for itself: the child-process e2e
  // (test/e2e/process-guard.test.ts) proves the real thing; here the guard hears them from an emitter.
  test("a rejection from a session's engine: that session is restarted through the SessionManager, the other one left alone", async () => {
    r = rig({ id: 'pairing', simulator: { requireQr: true, qrRotateMs: 0 } });
    const other = new SimulatorEngine('bystander', simulatorSchema.parse({}));
    r.sm.add(other, () => undefined);
    const target = new EventEmitter();
    guard = new ProcessGuard({ sessions: r.sm, logger: r.sm['logger'], engineSources: ENGINE_SOURCES, target });
    guard.install();
    await r.sm.startAll();
    await waitFor(() => other.state() === 'CONNECTED' && r.sim.state() === 'QR_REQUIRED', 3000, 5, 'both sessions up');
    const statesBefore = r.states.length;

    // Two simulator sessions: the stack names the engine, the one logging in is the one.
    target.emit(
      'unhandledRejection',
      libraryError('SimulatorEngine.startPairing (/app/dist/src/engines/simulator/simulator-engine.js:231:15)'),
    );
    await waitFor(
      async () => (await r.metric('ponte_session_restarts_total', { session: 'pairing', reason: 'library_error' })) === 1,
      3000,
      5,
      'the session restarted',
    );
    await waitFor(() => r.states.slice(statesBefore).includes('QR_REQUIRED'), 3000, 5, 'the session back at its QR code');
    expect(r.states.slice(statesBefore)).toEqual(expect.arrayContaining(['TRANSIENT_DISCONNECT', 'CONNECTING', 'QR_REQUIRED']));
    const line = r.logs.find((l) => /unhandled rejection in a session's engine/.test(l.msg));
    expect(line).toMatchObject({ session: 'pairing', engine: 'simulator', attributedBy: 'risky', level: 50 });
    expect(line!.err.message).toMatch(/Evaluation failed/);
    expect(await r.metric('ponte_session_restarts_total', { session: 'bystander' })).toBe(0);
    expect(other.state()).toBe('CONNECTED');
  });
});

describe('process guard attribution and restarts', () => {
  const sessions = (list: Array<{ id: string; engine: string; atRisk: boolean }>) => {
    const restarted: string[] = [];
    return { running: () => list, restartSession: async (id: string) => void restarted.push(id), restarted };
  };
  const logs: Array<{ level: string; fields: Record<string, unknown>; msg: string }> = [];
  const logger = Object.fromEntries(
    ['fatal', 'error', 'warn', 'info', 'debug'].map((level) => [
      level,
      (fields: Record<string, unknown>, msg: string) => logs.push({ level, fields, msg }),
    ]),
  ) as never;
  const make = (
    list: Array<{ id: string; engine: string; atRisk: boolean }>,
    extra: { exit?: (code: number) => void; minRestartGapMs?: number } = {},
  ) => {
    const s = sessions(list);
    const target = new EventEmitter();
    const g = new ProcessGuard({ sessions: s, logger, engineSources: ENGINE_SOURCES, target, ...extra });
    g.install();
    return { s, target, g };
  };
  beforeEach(() => (logs.length = 0));

  test('an error naming its session is that session', () => {
    const { g } = make([
      { id: 'a', engine: 'wwebjs', atRisk: false },
      { id: 'b', engine: 'wwebjs', atRisk: false },
    ]);
    expect(g.attribute(new EngineNotReadyError('b', 'CONNECTING'))).toEqual({ session: 'b', engine: 'wwebjs', by: 'error' });
  });

  test('a stack through one engine in use is the session of that engine', () => {
    const { g } = make([
      { id: 'a', engine: 'wwebjs', atRisk: false },
      { id: 'b', engine: 'wppconnect', atRisk: false },
    ]);
    expect(g.attribute(libraryError('Client.requestPairingCode (/app/node_modules/whatsapp-web.js/src/Client.js:217:9)'))).toEqual({
      session: 'a',
      engine: 'wwebjs',
      by: 'stack',
    });
  });

  test('several sessions of that engine: the one logging in; none when that does not tell them apart', () => {
    const err = libraryError('Client.requestPairingCode (/app/node_modules/whatsapp-web.js/src/Client.js:217:9)');
    expect(
      make([
        { id: 'a', engine: 'wwebjs', atRisk: false },
        { id: 'b', engine: 'wwebjs', atRisk: true },
      ]).g.attribute(err),
    ).toEqual({ session: 'b', engine: 'wwebjs', by: 'risky' });
    expect(
      make([
        { id: 'a', engine: 'wwebjs', atRisk: true },
        { id: 'b', engine: 'wwebjs', atRisk: true },
      ]).g.attribute(err),
    ).toEqual({ engine: 'wwebjs', by: 'none' });
  });

  test("a bare string from a library (whatsapp-web.js rejects with 'auth timeout') is the one session logging in", () => {
    const { g } = make([
      { id: 'a', engine: 'wwebjs', atRisk: false },
      { id: 'b', engine: 'wppconnect', atRisk: true },
    ]);
    expect(g.attribute('auth timeout')).toEqual({ session: 'b', engine: 'wppconnect', by: 'risky' });
  });

  test("Ponte's own code (no library frame, no engine) blames no session, even with one logging in", () => {
    const { g } = make([{ id: 'a', engine: 'wwebjs', atRisk: true }]);
    const own = new Error('bug');
    own.stack = 'Error: bug\n    at ChatwootClient.post (/app/dist/src/chatwoot/client.js:10:5)';
    expect(g.attribute(own)).toEqual({ by: 'none' });
  });

  test('a rejection is survived and restarts its session, once per gap however many follow', async () => {
    const { s, target } = make([{ id: 'a', engine: 'wwebjs', atRisk: true }], { minRestartGapMs: 60_000 });
    target.emit('unhandledRejection', 'auth timeout');
    target.emit('unhandledRejection', 'auth timeout');
    await new Promise((r) => setImmediate(r));
    expect(s.restarted).toEqual(['a']);
    expect(logs.map((l) => l.level)).toEqual(['error', 'error']);
    expect(logs[1].msg).toMatch(/restarted for one moments ago/);
  });

  test("an uncaught exception from an engine is survived; one from Ponte's own code ends the process after being logged", async () => {
    const exits: number[] = [];
    const { s, target } = make([{ id: 'a', engine: 'wppconnect', atRisk: false }], { exit: (code) => void exits.push(code) });
    target.emit(
      'uncaughtException',
      libraryError('WPP.chat.sendTextMessage (/app/node_modules/@wppconnect-team/wppconnect/dist/api/layers/sender.layer.js:80:3)'),
    );
    await new Promise((r) => setImmediate(r));
    expect(s.restarted).toEqual(['a']);
    expect(exits).toEqual([]);
    const own = new Error('bug');
    own.stack = 'Error: bug\n    at FromWhatsAppRelay.handle (/app/dist/src/core/inbound-relay.js:1:1)';
    target.emit('uncaughtException', own);
    expect(exits).toEqual([1]);
    expect(logs.at(-1)).toMatchObject({ level: 'fatal' });
  });

  test('uninstall removes both handlers', () => {
    const { g, target } = make([]);
    expect(target.listenerCount('unhandledRejection')).toBe(1);
    g.uninstall();
    expect(target.listenerCount('unhandledRejection')).toBe(0);
    expect(target.listenerCount('uncaughtException')).toBe(0);
  });
});
