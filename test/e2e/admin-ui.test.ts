/**
 * The admin page (/admin/ui) clicked through in headless Debian Chromium against a running daemon whose
 * simulated phone shows rotating QR codes and only "scans" when the test says so. Needs `npm run build`
 * and /usr/bin/chromium. Screenshots go to test-output/ (gitignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  killPonte,
  liveChildren,
  redisServersIn,
  removeTempDirs,
  REPO_ROOT,
  request,
  safeKill,
  simulatorConfig,
  startPonte,
  waitFor,
  type RunningPonte,
} from '../helpers';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SHOTS = path.join(REPO_ROOT, 'test-output');

/** Chromium processes started by this jest worker (the browser and its helpers), found through /proc. */
function chromiumDescendants(): number[] {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (rest[0] === 'Z') continue;
      parent.set(Number(name), Number(rest[1]));
      comm.set(Number(name), stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
    } catch {
      // exited meanwhile
    }
  }
  const ours = (pid: number): boolean => {
    for (let p = parent.get(pid); p && p > 1; p = parent.get(p)) if (p === process.pid) return true;
    return false;
  };
  return [...comm].filter(([pid, c]) => /chrom/i.test(c) && ours(pid)).map(([pid]) => pid);
}

describe('admin page /admin/ui (headless Chromium)', () => {
  let ponte: RunningPonte;
  let browser: Browser | undefined;
  let page: Page;
  const requestedUrls: string[] = [];
  const consoleErrors: string[] = [];

  const card = (id: string) => page.locator(`[data-session="${id}"]`);
  const stateOf = (id: string) => card(id).getAttribute('data-state');
  const waitState = (id: string, state: string) =>
    waitFor(async () => (await stateOf(id)) === state, 10000, 50, `session ${id} shown as ${state}`);
  const shownAttempt = async (id: string) => Number(await card(id).locator('[data-role="qr"]').getAttribute('data-attempt'));
  const qrLoaded = (id: string) =>
    waitFor(
      () =>
        card(id)
          .locator('[data-role="qr"]')
          .evaluate((img: any) => img.complete && img.naturalWidth > 0 && img.src.startsWith('blob:') && img.offsetParent !== null),
      10000,
      50,
      'QR image shown',
    );
  // A property set on window survives only as long as the document: a reload would drop it.
  const markDocument = () => page.evaluate(() => ((globalThis as any).__sameDocument = true));
  const sameDocument = () => page.evaluate(() => (globalThis as any).__sameDocument === true);
  const scan = (id: string) => ponte.admin('POST', `/admin/simulator/${id}/state`, { json: { state: 'CONNECTED' } });

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    ponte = await startPonte((ctx) =>
      simulatorConfig(ctx, [
        { id: 'desk', simulator: { requireQr: true, qrRotateMs: 700, pairAfterMs: 0 } },
        { id: 'shop', simulator: { phone: '+351920000000' } },
      ]),
    );
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1000, height: 720 } });
    page.on('request', (r) => requestedUrls.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(String(err)));
  }, 60000);

  afterAll(async () => {
    try {
      await browser?.close();
      const left = await waitFor(() => chromiumDescendants().length === 0, 5000, 100, 'Chromium gone').catch(() => false);
      const stray = chromiumDescendants();
      stray.forEach((pid) => safeKill(pid, 'SIGKILL'));
      expect(left && stray).toEqual([]);
      if (!ponte) return;
      expect(await ponte.stop('SIGTERM')).toEqual({ code: 0, signal: null });
      await killPonte(ponte);
      expect(redisServersIn(ponte.dataDir)).toEqual([]);
      expect(liveChildren()).toEqual([]);
    } finally {
      removeTempDirs();
    }
  });

  test('the page loads without the token, under a strict CSP and no framing; the data behind it still needs the token', async () => {
    const res = await request('GET', `${ponte.baseUrl}/admin/ui`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.text).not.toContain(ponte.adminToken);
    const js = await request('GET', `${ponte.baseUrl}/admin/ui/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(js.headers.get('x-content-type-options')).toBe('nosniff');
    const home = await fetch(`${ponte.baseUrl}/`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([302, '/admin/ui']);
    const slash = await fetch(`${ponte.baseUrl}/admin/ui/`, { redirect: 'manual' });
    expect([slash.status, slash.headers.get('location')]).toEqual([301, '../ui']);
    expect((await request('GET', `${ponte.baseUrl}/admin/sessions`)).status).toBe(401);
    expect((await request('GET', `${ponte.baseUrl}/admin/sessions/desk/qr.svg`)).status).toBe(401);
  });

  test('a wrong token is refused with a readable error and shows no session', async () => {
    await page.goto(`${ponte.baseUrl}/admin/ui`);
    await page.fill('#token', 'not-the-token');
    await page.click('#signin');
    await page.locator('#login-error').waitFor({ state: 'visible' });
    expect(await page.textContent('#login-error')).toBe('That admin token is not valid.');
    expect(await page.isHidden('#dashboard')).toBe(true);
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-login.png') });
  });

  test('the right token lists every session with its live state', async () => {
    await page.fill('#token', ponte.adminToken);
    await page.click('#signin');
    await waitState('desk', 'QR_REQUIRED');
    await waitState('shop', 'CONNECTED');
    expect(await card('shop').locator('[data-role="me"]').textContent()).toBe('+351920000000');
    expect(await card('desk').locator('[data-role="reason"]').textContent()).toBe('scan the QR code with the phone');
    expect(await page.isHidden('#login')).toBe(true);
    // kept for this tab only, never in the address bar
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.getItem('ponte.adminToken'))).toBe(ponte.adminToken);
    expect(page.url()).toBe(`${ponte.baseUrl}/admin/ui`);
  });

  test('the QR code is drawn and rotates, attempt counter included, without a reload', async () => {
    await markDocument();
    await qrLoaded('desk');
    const first = await shownAttempt('desk');
    const firstSrc = await card('desk').locator('[data-role="qr"]').getAttribute('src');
    expect(first).toBeGreaterThanOrEqual(1);
    await waitFor(async () => (await shownAttempt('desk')) >= first + 2, 10000, 50, 'two QR rotations shown');
    await qrLoaded('desk');
    expect(await card('desk').locator('[data-role="qr"]').getAttribute('src')).not.toBe(firstSrc);
    expect(await card('desk').locator('[data-role="pairing-meta"]').textContent()).toMatch(
      /^QR \d+ - (expires in \d+ s|expired, a new one is coming)$/,
    );
    expect(await card('desk').locator('[data-role="how"]').textContent()).toContain('Linked devices');
    expect(await sameDocument()).toBe(true);
    const svg = await ponte.admin('GET', '/admin/sessions/desk/qr.svg');
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.text).toMatch(/^<svg [^>]*viewBox/);
    expect(Number(svg.headers.get('x-pairing-attempt'))).toBeGreaterThanOrEqual(first + 2);
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-qr.png'), fullPage: true });
  });

  test('when the phone scans, the page switches to CONNECTED on its own', async () => {
    expect((await scan('desk')).status).toBe(200);
    await waitState('desk', 'CONNECTED');
    expect(await card('desk').locator('[data-role="me"]').textContent()).toBe('+351910000000');
    expect(await card('desk').locator('[data-role="pairing"]').isHidden()).toBe(true);
    expect(await card('desk').locator('[data-action="pair"]').isDisabled()).toBe(true);
    expect(await card('desk').locator('[data-role="phone"]').isHidden()).toBe(true);
    expect(await sameDocument()).toBe(true);
    const noQr = await ponte.admin('GET', '/admin/sessions/desk/qr.svg');
    expect(noQr.status).toBe(404);
    expect(noQr.body.error.message).toBe('session "desk" has no QR code to show: it is CONNECTED');
  });

  test('log out asks first, and a confirmed logout shows LOGGED_OUT', async () => {
    page.once('dialog', (d) => void d.dismiss());
    await card('desk').locator('[data-action="logout"]').click();
    expect((await ponte.admin('GET', '/admin/sessions/desk')).body.state).toBe('CONNECTED');

    page.once('dialog', (d) => {
      expect(d.message()).toContain('Log out session "desk"');
      void d.accept();
    });
    await card('desk').locator('[data-action="logout"]').click();
    await waitState('desk', 'LOGGED_OUT');
    expect((await ponte.admin('GET', '/admin/sessions/desk')).body.state).toBe('LOGGED_OUT');
    expect(await card('desk').locator('[data-role="reason"]').textContent()).toBe('logged out by an admin');
    expect(await card('desk').locator('[data-action="logout"]').isDisabled()).toBe(true);
  });

  test('pair starts a new login and shows a fresh QR code', async () => {
    await card('desk').locator('[data-action="pair"]').click();
    await waitState('desk', 'QR_REQUIRED');
    await qrLoaded('desk');
    expect(await shownAttempt('desk')).toBeGreaterThanOrEqual(1);
  });

  test("a number without its country code gets the daemon's explanation", async () => {
    await card('desk').locator('[data-role="phone"]').fill('912 345 678');
    await card('desk').locator('[data-action="pair-phone"]').click();
    const error = card('desk').locator('[data-role="error"]');
    await error.waitFor({ state: 'visible' });
    expect(await error.textContent()).toContain('has no country code: type the whole number, + and the country code first');
  });

  test('the phone box shows the whole number as typed', async () => {
    const box = card('desk').locator('[data-role="phone"]');
    await box.fill('+351 912 345 678');
    const fits = await box.evaluate((el) => ({
      scroll: (el as { scrollWidth: number }).scrollWidth,
      client: (el as { clientWidth: number }).clientWidth,
    }));
    expect(fits.scroll).toBeLessThanOrEqual(fits.client);
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-phone.png'), fullPage: true });
  });

  test('pair with a phone number shows the 8-character code as XXXX-XXXX, then the phone links', async () => {
    await card('desk').locator('[data-role="phone"]').fill('+351 912 345 678');
    await card('desk').locator('[data-action="pair-phone"]').click();
    const code = card('desk').locator('[data-role="code"]');
    await waitFor(async () => /^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test((await code.textContent()) ?? ''), 10000, 50, 'pairing code shown');
    const api = (await ponte.admin('GET', '/admin/sessions/desk')).body;
    expect(api.reason).toBe('enter the pairing code on the phone');
    expect((await code.textContent())!.replace('-', '')).toBe(api.pairing.pairingCode);
    expect(await card('desk').locator('[data-role="qr"]').isHidden()).toBe(true);
    expect(await card('desk').locator('[data-role="error"]').isHidden()).toBe(true);
    expect(await card('desk').locator('[data-role="pairing-meta"]').textContent()).toMatch(/^Code 1 - expires in \d+ s$/);
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-code.png'), fullPage: true });

    expect((await scan('desk')).status).toBe(200);
    await waitState('desk', 'CONNECTED');
    expect(await sameDocument()).toBe(true);
  });

  test('sign out forgets the token; the token never appeared in a URL or the daemon log', async () => {
    await page.click('#signout');
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => (globalThis as any).sessionStorage.length)).toBe(0);
    await page.reload();
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.isHidden('#dashboard')).toBe(true);

    expect(requestedUrls.length).toBeGreaterThan(10);
    expect(requestedUrls.filter((u) => u.includes(ponte.adminToken))).toEqual([]);
    expect(ponte.logs()).not.toContain(ponte.adminToken);
    // a CSP violation or a script error would be reported here
    expect(consoleErrors.filter((e) => !/status of 40[014]/.test(e))).toEqual([]);
  });
});
