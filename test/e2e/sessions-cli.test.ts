/**
 * `ponte sessions ...` as an operator runs it against a running daemon (simulator sessions, embedded
 * Redis). Needs `npm run build` (npm test runs it first).
 */
import {
  jsonLines,
  killPonte,
  liveChildren,
  redisServersIn,
  removeTempDirs,
  runCli,
  simulatorConfig,
  startPonte,
  waitFor,
  type RunningPonte,
} from '../helpers';

describe('ponte sessions (against a running daemon)', () => {
  let ponte: RunningPonte;

  beforeAll(async () => {
    ponte = await startPonte((ctx) =>
      simulatorConfig(ctx, [
        { id: 'phone', simulator: { requireQr: true, pairAfterMs: 1500, qrRotateMs: 500 } },
        { id: 'stuck', simulator: { requireQr: true, pairAfterMs: 0, qrRotateMs: 500 } },
      ]),
    );
  });

  afterAll(async () => {
    try {
      if (!ponte) return;
      const exit = await ponte.stop('SIGTERM');
      expect(exit).toEqual({ code: 0, signal: null });
      await killPonte(ponte);
      expect(redisServersIn(ponte.dataDir)).toEqual([]);
      expect(liveChildren()).toEqual([]);
    } finally {
      removeTempDirs();
    }
  });

  const target = () => ['--url', ponte.baseUrl, '--token', ponte.adminToken];

  test('list prints every session with its state', async () => {
    // the simulated phone of "phone" pairs 1.5 s after the daemon starts
    await waitFor(async () => (await ponte.admin('GET', '/admin/sessions/phone')).body.state === 'CONNECTED', 10000, 50);
    const res = await runCli(['sessions', 'list', ...target()]);
    expect(res.code).toBe(0);
    const rows = res.stdout.trim().split('\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^phone\s+simulator\s+CONNECTED\s+\+351910000000/);
    expect(rows[1]).toMatch(/^stuck\s+simulator\s+QR_REQUIRED\s+\(scan the QR code with the phone\)/);
  });

  test('list with a wrong token exits 1 and says why', async () => {
    const res = await runCli(['sessions', 'list', '--url', ponte.baseUrl, '--token', 'wrong-token']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ponte: 401: the admin token is not valid');
  });

  test('list finds the daemon from env PONTE_URL / PONTE_ADMIN_TOKEN', async () => {
    const res = await runCli(['sessions', 'list'], { PONTE_URL: ponte.baseUrl, PONTE_ADMIN_TOKEN: ponte.adminToken });
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^phone\s+simulator/m);
  });

  test('list against no daemon exits 1 with a hint', async () => {
    const res = await runCli(['sessions', 'list', '--url', 'http://127.0.0.1:1', '--token', 'x']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('no Ponte daemon answers at http://127.0.0.1:1');
  });

  test('pair shows a QR code and exits 0 with the paired number once the phone scans it', async () => {
    // unpair first, so pairing starts from scratch (the phone pairs 1.5 s after the login)
    const out = await ponte.admin('DELETE', '/admin/sessions/phone');
    expect(out.body.state).toBe('LOGGED_OUT');
    const res = await runCli(['sessions', 'pair', 'phone', ...target(), '--timeout', '20']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/[▄▀█]/); // a terminal QR code
    expect(res.stdout).toMatch(/Scan with WhatsApp > Linked devices \(QR \d+; waiting \d+s more\)/);
    expect(res.stdout).toContain('paired: session phone is CONNECTED as +351910000000');
    const lines = jsonLines(ponte.logs());
    expect(lines).toEqual(
      expect.arrayContaining([expect.objectContaining({ session: 'phone', previous: 'QR_REQUIRED', state: 'CONNECTED' })]),
    );
  });

  test('pair gives up after --timeout on a phone that never scans, exiting non-zero with the reason', async () => {
    const res = await runCli(['sessions', 'pair', 'stuck', ...target(), '--timeout', '1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('ponte: pairing timed out after 1 s; session stuck is QR_REQUIRED');
  });

  test('pair of an unknown session exits 1 naming it', async () => {
    const res = await runCli(['sessions', 'pair', 'ghost', ...target(), '--timeout', '1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('no session "ghost" is configured');
  });
});
