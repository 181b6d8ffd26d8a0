/**
 * `ponte sessions pair` followed live against a running daemon whose simulated phone rotates QR codes
 * and links only when the test says so: each new QR is drawn with its attempt number, and `--phone`
 * prints the 8-character code. (sessions-cli.test.ts covers the plain pair, its timeout and unknown ids.)
 * Needs `npm run build`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  CLI,
  childEnv,
  drained,
  exitOf,
  jsonLines,
  killPonte,
  liveChildren,
  redisServersIn,
  removeTempDirs,
  REPO_ROOT,
  runCli,
  simulatorConfig,
  startPonte,
  track,
  waitFor,
  type RunningPonte,
} from '../helpers';

interface LiveCli {
  proc: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the CLI in the background so the test can watch its output while the phone acts. */
function startCli(args: string[]): LiveCli {
  const proc = track(spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] }));
  let out = '';
  let err = '';
  proc.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  proc.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  const timer = setTimeout(() => proc.kill('SIGKILL'), 30000);
  const done = exitOf(proc).then(async (r) => {
    clearTimeout(timer);
    await drained(proc);
    return r;
  });
  return { proc, stdout: () => out, stderr: () => err, done };
}

const CLEAR = '\x1b[2J\x1b[H';

describe('ponte sessions pair: QR rotation and pairing codes', () => {
  let ponte: RunningPonte;
  const running: LiveCli[] = [];

  beforeAll(async () => {
    ponte = await startPonte((ctx) =>
      simulatorConfig(ctx, [{ id: 'desk', simulator: { requireQr: true, qrRotateMs: 400, pairAfterMs: 0 } }]),
    );
  });

  afterAll(async () => {
    try {
      for (const cli of running) if (cli.proc.exitCode === null && cli.proc.signalCode === null) cli.proc.kill('SIGKILL');
      await Promise.all(running.map((c) => c.done));
      if (!ponte) return;
      expect(await ponte.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      await killPonte(ponte);
      expect(redisServersIn(ponte.dataDir)).toEqual([]);
      expect(liveChildren()).toEqual([]);
    } finally {
      removeTempDirs();
    }
  });

  const target = () => ['--url', ponte.baseUrl, '--token', ponte.adminToken];
  const scan = () => ponte.admin('POST', '/admin/simulator/desk/state', { json: { state: 'CONNECTED' } });
  const attemptsShown = (out: string) => [...out.matchAll(/\(QR (\d+); waiting \d+s more\)/g)].map((m) => Number(m[1]));

  test("the daemon's log says where to pair when a session needs it", async () => {
    await waitFor(() => ponte.logs().includes('session needs pairing with a phone'), 10000, 50, 'the pairing hint in the log');
    const line = jsonLines(ponte.logs()).find((l) => l.msg === 'session needs pairing with a phone');
    expect(line).toMatchObject({ session: 'desk', pairAt: `open ${ponte.baseUrl}/admin/ui, or run: ponte sessions pair desk` });
  });

  test('each new QR code is drawn again with its attempt number until the phone scans one', async () => {
    const cli = startCli(['sessions', 'pair', 'desk', ...target(), '--timeout', '25']);
    running.push(cli);
    await waitFor(() => new Set(attemptsShown(cli.stdout())).size >= 3, 15000, 50, 'three QR codes drawn');
    expect((await scan()).status).toBe(200);
    expect(await cli.done).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe('');

    const out = cli.stdout();
    const attempts = attemptsShown(out);
    // strictly increasing: a rotation is drawn once, never an old code again
    expect(attempts).toEqual([...attempts].sort((a, b) => a - b));
    expect(new Set(attempts).size).toBe(attempts.length);
    // every drawing clears the screen first and is a different QR code
    const drawings = out
      .split(CLEAR)
      .slice(1)
      .map((d) => d.slice(0, d.indexOf('Scan with WhatsApp')));
    expect(drawings).toHaveLength(attempts.length);
    expect(drawings.every((d) => /[▄▀█]/.test(d))).toBe(true);
    expect(new Set(drawings).size).toBe(drawings.length);
    expect(out).toContain('paired: session desk is CONNECTED as +351910000000');
  });

  test('--phone prints the 8-character pairing code as XXXX-XXXX, no QR, and ends when the phone links', async () => {
    expect((await ponte.admin('DELETE', '/admin/sessions/desk')).body.state).toBe('LOGGED_OUT');
    const cli = startCli(['sessions', 'pair', 'desk', ...target(), '--phone', '+351912345678', '--timeout', '25']);
    running.push(cli);
    const match = await waitFor(
      () => /pairing code \(attempt 1\): ([A-Z0-9]{4})-([A-Z0-9]{4})\nOn the phone: .*Link with phone number instead/.exec(cli.stdout()),
      15000,
      50,
      'pairing code printed',
    );
    const status = (await ponte.admin('GET', '/admin/sessions/desk')).body;
    expect(status.state).toBe('QR_REQUIRED');
    expect(match[1] + match[2]).toBe(status.pairing.pairingCode);
    expect((await scan()).status).toBe(200);
    expect(await cli.done).toEqual({ code: 0, signal: null });
    expect(cli.stderr()).toBe('');
    expect(cli.stdout()).not.toMatch(/[▄▀█]/);
    expect(cli.stdout().match(/pairing code \(attempt/g)).toHaveLength(1);
    expect(cli.stdout()).toContain('paired: session desk is CONNECTED as +351910000000');
  });

  test("--phone with a malformed number exits 1 with the daemon's explanation", async () => {
    expect((await ponte.admin('DELETE', '/admin/sessions/desk')).body.state).toBe('LOGGED_OUT');
    const res = await runCli(['sessions', 'pair', 'desk', ...target(), '--phone', '+12', '--timeout', '5']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ponte: 400: phone: "+12" is not a valid phone number in international form');
    expect((await ponte.admin('GET', '/admin/sessions/desk')).body.state).toBe('LOGGED_OUT');
  });

  test('--phone without the country code is refused with the whole number to type (912 345 678 is not +91...)', async () => {
    const res = await runCli(['sessions', 'pair', 'desk', ...target(), '--phone', '912 345 678', '--timeout', '5']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'ponte: 400: phone: "912 345 678" has no country code: type the whole number, + and the country code first (e.g. +351912345678 for Portugal)',
    );
    expect((await ponte.admin('GET', '/admin/sessions/desk')).body.state).toBe('LOGGED_OUT');
  });
});
