/**
 * The admin page as an operator adding and removing a number while the daemon runs, and what it shows per
 * session: its inbox, the daemon running it, messages relayed in the last hour and dead letters waiting.
 * A real `ponte start` relaying to the Chatwoot fake, headless Debian Chromium. Needs `npm run build`.
 * Screenshots go to test-output/ (gitignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ChatwootFake } from '../fakes/chatwoot';
import { killPonte, liveChildren, removeTempDirs, REPO_ROOT, simulatorConfig, startPonte, waitFor, type RunningPonte } from '../helpers';

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

describe('admin page: numbers at run time and their activity', () => {
  let fake: ChatwootFake;
  let ponte: RunningPonte;
  let browser: Browser | undefined;
  let page: Page;
  const card = (id: string) => page.locator(`[data-session="${id}"]`);
  const fact = (id: string, role: string) => card(id).locator(`[data-role="${role}"]`).textContent();
  const waitFact = (id: string, role: string, want: RegExp) =>
    waitFor(async () => want.test((await fact(id, role)) ?? ''), 12000, 100, `${id} ${role} ${want}`);

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    fake = new ChatwootFake({ inboxes: [{ id: 1 }, { id: 2, name: 'Vendas' }] });
    const cwUrl = await fake.start();
    ponte = await startPonte((ctx) =>
      simulatorConfig(ctx, [{ id: 'main', inboxId: 1, simulator: { ackIntervalMs: 50 } }], {
        log: { level: 'warn', pretty: false },
        chatwoot: {
          baseUrl: cwUrl,
          accountId: 1,
          apiToken: fake.apiToken,
          webhookSecret: 'e2e-webhook-secret-0123',
          timeoutMs: 2000,
          statusConversation: false,
        },
        queue: { baseDelayMs: 20, maxDelayMs: 200 },
      }),
    );
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('dialog', (d) => void d.accept());
  }, 60000);

  afterAll(async () => {
    try {
      await browser?.close();
      await ponte?.stop('SIGTERM');
      await killPonte(ponte);
      await fake?.stop();
      expect(liveChildren()).toEqual([]);
    } finally {
      removeTempDirs();
    }
  });

  test('each card shows its inbox, the daemon running it, messages relayed in the last hour and dead letters waiting', async () => {
    fake.fault(
      { method: 'POST', path: /\/conversations\/\d+\/messages$/ },
      { status: 422, body: { message: 'Validation failed: Content is invalid', attributes: ['content'] }, times: 1 },
    );
    const inject = (id: string, text: string) =>
      ponte.admin('POST', '/admin/simulator/main/inbound', { json: { id, from: '+351912700001', type: 'text', text } });
    expect((await inject('UI-1', 'refused')).status).toBe(202);
    expect((await inject('UI-2', 'relayed')).status).toBe(202);
    await waitFor(() => fake.messages().some((m) => m.source_id === 'WAID:UI-2'), 10000, 50, 'the second message in Chatwoot');

    await page.goto(`${ponte.baseUrl}/admin/ui`);
    await page.fill('#token', ponte.adminToken);
    await page.click('#signin');
    await card('main').waitFor();
    await waitFact('main', 'inbox', /^1$/);
    await waitFact('main', 'owner', /^this daemon/);
    await waitFact('main', 'relayed', /^1 in, 0 out$/);
    await waitFact('main', 'dead-letters', /^1 waiting/);
    expect(await fact('main', 'source')).toBe('from the config file');
    // The file's sessions cannot be changed or removed from the page.
    expect(await card('main').locator('[data-action="remove"]').isHidden()).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-activity.png'), fullPage: true });
  });

  test('a number is added from the page, refused with the reason when its inbox is taken, and removed again', async () => {
    await page.click('#add summary');
    await page.fill('#add-id', 'sales');
    await page.selectOption('#add-engine', 'simulator');
    await page.fill('#add-inbox', '1');
    await page.click('#add-submit');
    await page.locator('#add-error').waitFor({ state: 'visible' });
    expect(await page.textContent('#add-error')).toBe(
      'Cannot add the number: inboxId: inbox 1 already belongs to session "main"; one inbox relays one number',
    );
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-add-refused.png'), fullPage: true });

    await page.fill('#add-inbox', '2');
    await page.click('#add-submit');
    await card('sales').waitFor();
    await waitFor(async () => (await card('sales').getAttribute('data-state')) === 'CONNECTED', 10000, 50, 'sales connected');
    await waitFact('sales', 'inbox', /^2$/);
    expect(await fact('sales', 'source')).toBe('added here');
    expect((await ponte.admin('GET', '/admin/sessions/sales')).body.state).toBe('CONNECTED');
    await page.screenshot({ path: path.join(SHOTS, 'admin-ui-added.png'), fullPage: true });

    await card('sales').locator('[data-action="remove"]').click();
    await waitFor(async () => (await card('sales').count()) === 0, 10000, 50, 'the removed card gone');
    expect((await ponte.admin('GET', '/admin/sessions/sales')).status).toBe(404);
  });
});
