/**
 * Session data across daemon restarts (`sessionStore.dir`): a paired session comes back CONNECTED
 * without a new QR code; logout deletes its data, so the next start asks for a QR again. Real
 * `ponte start` processes with a simulator session that needs pairing. Needs `npm run build`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  jsonLines,
  killPonte,
  liveChildren,
  redisServersIn,
  removeTempDirs,
  simulatorConfig,
  startPonte,
  tempDir,
  waitFor,
  type PonteContext,
  type RunningPonte,
} from '../helpers';

const store = tempDir('ponte-session-store-');
const config = (ctx: PonteContext) =>
  simulatorConfig(ctx, [{ id: 'phone', simulator: { requireQr: true, qrRotateMs: 0 } }], { sessionStore: { dir: store } });
const started: RunningPonte[] = [];

async function start(): Promise<RunningPonte> {
  const p = await startPonte(config);
  started.push(p);
  return p;
}

async function stateOf(p: RunningPonte): Promise<string> {
  return (await p.admin('GET', '/admin/sessions/phone')).body.state;
}

/** The states the daemon logged for the session, in order. */
function loggedStates(p: RunningPonte): string[] {
  return jsonLines(p.logs())
    .filter((l) => l.msg === 'session state changed' && l.session === 'phone')
    .map((l) => String(l.state));
}

afterAll(async () => {
  try {
    for (const p of started) {
      await p.stop('SIGTERM');
      await killPonte(p);
      expect(redisServersIn(p.dataDir)).toEqual([]);
    }
    expect(liveChildren()).toEqual([]);
  } finally {
    removeTempDirs();
  }
});

test('paired once, a restarted daemon is CONNECTED again without a QR code; logout deletes the data', async () => {
  const first = await start();
  await waitFor(async () => (await stateOf(first)) === 'QR_REQUIRED', 10000, 50, 'a QR code on the first start');
  // the phone scans the QR code
  const scan = await first.admin('POST', '/admin/simulator/phone/state', { json: { state: 'CONNECTED' } });
  expect(scan.body.state).toBe('CONNECTED');
  expect(fs.existsSync(path.join(store, 'phone'))).toBe(true);
  expect(await first.stop('SIGTERM')).toEqual({ code: 0, signal: null });

  const second = await start();
  await waitFor(async () => (await stateOf(second)) === 'CONNECTED', 10000, 50, 'CONNECTED after the restart');
  expect(loggedStates(second)).not.toContain('QR_REQUIRED');
  expect((await second.admin('GET', '/admin/sessions/phone')).body).toMatchObject({ me: '+351910000000', owner: 'this' });

  const out = await second.admin('DELETE', '/admin/sessions/phone');
  expect(out.status).toBe(200);
  expect(out.body.state).toBe('LOGGED_OUT');
  expect(fs.existsSync(path.join(store, 'phone'))).toBe(false);
  expect(jsonLines(second.logs())).toEqual(
    expect.arrayContaining([expect.objectContaining({ session: 'phone', msg: 'session data deleted' })]),
  );
  expect(await second.stop('SIGTERM')).toEqual({ code: 0, signal: null });

  const third = await start();
  await waitFor(async () => (await stateOf(third)) === 'QR_REQUIRED', 10000, 50, 'a QR code again after the logout');
  expect(loggedStates(third)).not.toContain('CONNECTED');
});
