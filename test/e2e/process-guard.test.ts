/**
 * The real daemon (`ponte start`, a child process) with a simulator session whose simulated WhatsApp
 * refuses pairing codes: like whatsapp-web.js (`Client.js` ~217 calls `requestPairingCode()` without
 * await or catch), the simulator leaks the refusal as a rejection nobody ever handles. Node ends a process
 * on that by default; the daemon's process guard keeps it running and restarts that session.
 * Needs `npm run build` (npm test runs it first).
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  jsonLines,
  killPonte,
  removeTempDirs,
  request,
  simulatorConfig,
  startPonte,
  tempDir,
  waitFor,
  type RunningPonte,
} from '../helpers';
import { REPO_ROOT } from '../helpers/cli';

let ponte: RunningPonte | undefined;

afterAll(async () => {
  try {
    await killPonte(ponte);
  } finally {
    removeTempDirs();
  }
});

/**
 * The simulator control route (`refusePairingCodes`) is not on the admin API yet: this preload flips the
 * switch on every simulator session of the daemon, changing nothing else.
 */
function refusingPreload(): string {
  const file = path.join(tempDir('ponte-guard-preload-'), 'refuse-pairing-codes.js');
  const engine = path.join(REPO_ROOT, 'dist', 'src', 'engines', 'simulator', 'simulator-engine.js');
  fs.writeFileSync(
    file,
    `const { SimulatorEngine } = require(${JSON.stringify(engine)});
const connect = SimulatorEngine.prototype.connect;
SimulatorEngine.prototype.connect = function (options) { this.refusePairingCodes = true; return connect.call(this, options); };
`,
  );
  return file;
}

test("a rejection a session's library never handles leaves the daemon running and restarts that session", async () => {
  ponte = await startPonte(
    (ctx) => simulatorConfig(ctx, [{ id: 'main', simulator: { requireQr: true, qrRotateMs: 0 } }, { id: 'other' }]),
    {
      env: { NODE_OPTIONS: `--require ${refusingPreload()}` },
    },
  );
  const metric = async () => {
    const text = (await request('GET', `${ponte!.baseUrl}/metrics`)).text;
    return /ponte_session_restarts_total\{session="main",reason="library_error"\} (\d+)/.exec(text)?.[1];
  };
  expect(await metric()).toBeUndefined();

  const login = await ponte.admin('POST', '/admin/sessions/main/login', { json: { phone: '+351912345678' } });
  expect(login.status).toBe(200);

  await waitFor(async () => (await metric()) === '1', 10_000, 50, 'the session restarted by the guard');
  const line = await waitFor(
    () => jsonLines(ponte!.logs()).find((l) => /unhandled rejection in a session's engine/.test(String(l.msg))),
    5000,
    50,
    "the guard's log line",
  );
  expect(line).toMatchObject({ session: 'main', engine: 'simulator', module: 'process-guard' });
  expect((line.err as { message: string }).message).toMatch(/pairing code request refused/);

  // Still running, still answering, the other session untouched, and main back at its QR code.
  expect(ponte.proc.exitCode).toBeNull();
  expect((await request('GET', `${ponte.baseUrl}/healthz`)).body.pid).toBe(ponte.proc.pid);
  const sessions = (await ponte.admin('GET', '/admin/sessions')).body.sessions as Array<{ id: string; state: string }>;
  expect(sessions.find((s) => s.id === 'other')?.state).toBe('CONNECTED');
  await waitFor(
    async () =>
      ((await ponte!.admin('GET', '/admin/sessions')).body.sessions as Array<{ id: string; state: string }>).find((s) => s.id === 'main')
        ?.state === 'QR_REQUIRED',
    5000,
    50,
    'main at its QR code again',
  );
});
