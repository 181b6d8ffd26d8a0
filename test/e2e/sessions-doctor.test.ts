/**
 * `ponte doctor` on sessions: the Chromium the browser engines need (real Debian /usr/bin/chromium) and
 * each session's data directory. Needs `npm run build` (npm test runs it first).
 */
import fs from 'node:fs';
import path from 'node:path';
import { removeTempDirs, runCli, tempDir, writeFile } from '../helpers';

const dir = tempDir('ponte-doctor-sessions-');
afterAll(removeTempDirs);

const config = (opts: { sessions: string; browser?: string; store?: string }) => `
http:
  port: 18081
  host: 127.0.0.1
  adminToken: a-long-enough-admin-token
redis:
  url: embedded
  dataDir: ${path.join(dir, 'redis')}
sessionStore:
  dir: ${opts.store ?? path.join(dir, 'sessions')}
${opts.browser ?? ''}
sessions:
${opts.sessions}
`;

const WPP = `  - id: sales
    engine: wppconnect
  - id: support
    engine: wwebjs`;

const browserLines = (stdout: string) => stdout.split('\n').filter((l) => /^(?: ok |FAIL)\s+browser\s/.test(l));

const haveChromium = fs.existsSync('/usr/bin/chromium') ? test.concurrent : test.concurrent.skip;

haveChromium('the real Debian Chromium passes, with its version, once for all browser sessions', async () => {
  const file = writeFile(dir, 'chromium-ok.yaml', config({ sessions: WPP, browser: 'browser:\n  executablePath: /usr/bin/chromium' }));
  const res = await runCli(['doctor', '--config', file]);
  expect(res.stdout).toMatch(/^ ok\s+browser\s+Chromium \d+\.[\d.]+ .*at \/usr\/bin\/chromium, headless/m);
  expect(browserLines(res.stdout)).toHaveLength(1);
  if (process.getuid?.() === 0)
    expect(res.stdout).toMatch(/^ ok\s+browser .*runs with --no-sandbox \(running as root, where Chromium refuses its sandbox/m);
  expect(res.stdout).toMatch(
    new RegExp(
      `^ ok\\s+session sales\\s+wppconnect engine \\(@wppconnect-team/wppconnect\\) with the browser above; data in ${path.join(dir, 'sessions', 'sales')} \\(writable\\)$`,
      'm',
    ),
  );
  expect(res.stdout).toMatch(/^ ok\s+session support\s+wwebjs engine \(whatsapp-web\.js\)/m);
  expect(res.stdout).toContain('all checks passed');
  expect(res.code).toBe(0);
  // judging the data dir left nothing behind
  expect(fs.existsSync(path.join(dir, 'sessions'))).toBe(false);
  expect(fs.readdirSync(dir).filter((n) => n.startsWith('.ponte-doctor-'))).toEqual([]);
});

test.concurrent('a wrong browser.executablePath exits 1 and says what to do', async () => {
  const file = writeFile(
    dir,
    'chromium-missing.yaml',
    config({ sessions: WPP, browser: 'browser:\n  executablePath: /nonexistent/chromium' }),
  );
  const res = await runCli(['doctor', '--config', file]);
  expect(res.code).toBe(1);
  expect(res.stdout).toMatch(
    /^FAIL\s+browser\s+Chromium not found at \/nonexistent\/chromium: install it \(sudo apt-get install chromium, or scripts\/setup\.sh --with-chromium\) or set browser\.executablePath$/m,
  );
  expect(res.stdout).toContain('1 problem(s) found');
  expect(res.stderr).toBe('');
});

test.concurrent('an executable that is not a browser fails the check with its error', async () => {
  const file = writeFile(dir, 'chromium-false.yaml', config({ sessions: WPP, browser: 'browser:\n  executablePath: /bin/false' }));
  const res = await runCli(['doctor', '--config', file]);
  expect(res.code).toBe(1);
  expect(res.stdout).toMatch(/^FAIL\s+browser\s+\/bin\/false --version failed: Command failed/m);
});

test.concurrent('simulator sessions need no browser: a missing one is not a problem', async () => {
  const file = writeFile(
    dir,
    'sim-only.yaml',
    config({ sessions: '  - id: main\n    engine: simulator', browser: 'browser:\n  executablePath: /nonexistent/chromium' }),
  );
  const res = await runCli(['doctor', '--config', file]);
  expect(browserLines(res.stdout)).toEqual([]);
  expect(res.stdout).toMatch(/^ ok\s+session main\s+simulator engine needs nothing external; data in /m);
  expect(res.code).toBe(0);
});

test.concurrent('a session data dir that cannot be created fails with the reason', async () => {
  const blocker = writeFile(dir, 'not-a-dir', 'a file where the sessions directory should be');
  const file = writeFile(
    dir,
    'store-blocked.yaml',
    config({ sessions: '  - id: main\n    engine: simulator', store: path.join(blocker, 'sessions') }),
  );
  const res = await runCli(['doctor', '--config', file]);
  expect(res.code).toBe(1);
  expect(res.stdout).toContain(`FAIL  session main`);
  expect(res.stdout).toContain(
    `${blocker} is not a directory, so ${path.join(blocker, 'sessions', 'main')} cannot be created (sessionStore.dir keeps each session's WhatsApp login)`,
  );
});
