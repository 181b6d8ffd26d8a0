/**
 * The admin page's Journeys tab in headless Debian Chromium: "where is that message?" answered for a
 * customer's message retried twice and then posted (both failures with their reasons), for one that was
 * dead-lettered and replayed from the Dead letters tab, and for an agent's reply sent to WhatsApp. The
 * daemon runs in this process on a real redis-server with the simulator engine and the strict Chatwoot
 * fake. Needs `npm run build` (the front thread) and /usr/bin/chromium. Screenshots go to
 * .cache/screenshots/ (gitignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT, waitFor } from '../helpers';
import { ADMIN_TOKEN, startRelayHarness, type Harness } from '../helpers/relay-harness';

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
const SHOTS = path.join(REPO_ROOT, '.cache', 'screenshots');
const PHONE = '+351914400001';
const MESSAGES = /\/conversations\/\d+\/messages$/;

describe('admin page: journeys (headless Chromium)', () => {
  let h: Harness;
  let browser: Browser | undefined;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `admin-ui-${name}.png`), fullPage: true });
  const journey = () => page.locator('#journey');
  const steps = () => journey().locator('[data-role="steps"] li');
  const stepNames = async () => (await steps().evaluateAll((els) => els.map((e) => e.getAttribute('data-step')))) as string[];
  const find = async (phone: string) => {
    await page.fill('#journey-chat', phone);
    await page.click('#journey-find-submit');
  };
  const showId = async (id: string) => {
    await page.fill('#journey-id', id);
    await page.click('#journey-show-submit');
    await waitFor(async () => (await journey().getAttribute('data-journey')) === id, 10_000, 50, `the journey of ${id} shown`);
  };

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    h = await startRelayHarness({ config: { queue: { baseDelayMs: 100, maxDelayMs: 200 } } });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (d) => void d.accept());
    await page.goto(`${h.url()}/admin/ui`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#signin');
    await page.locator('[data-session="main"]').waitFor();
    await page.click('#tab-journeys');
    await page.locator('#panel-journeys').waitFor({ state: 'visible' });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (h) {
      expect(h.chatwoot.rejections()).toEqual([]);
      await h.stop();
    }
  });

  test("a message retried twice then posted: the chat's list shows it posted, its journey both failures with their reasons", async () => {
    h.chatwoot.fault({ method: 'POST', path: MESSAGES }, { status: 500, body: { error: 'database is locked' }, times: 2 });
    const id = h.inject({ id: 'JR-1', from: PHONE, type: 'text', text: 'onde está a minha encomenda?' });
    await h.waitMessage(id);

    await find(PHONE);
    const row = page.locator(`#journey-list tr[data-journey="${id}"]`);
    await waitFor(async () => (await row.getAttribute('data-status')) === 'posted', 10_000, 50, 'the message listed as posted');
    expect(await row.locator('td').nth(1).textContent()).toBe('WhatsApp to Chatwoot');
    expect(await row.locator('td').nth(2).textContent()).toBe('text');

    await row.locator('[data-action="show"]').click();
    await waitFor(async () => (await journey().getAttribute('data-journey')) === id, 10_000, 50, 'the journey shown');
    const names = await stepNames();
    expect(names.filter((n) => n === 'attempt-failed')).toHaveLength(2);
    expect(names[0]).toBe('received');
    expect(names).toContain('posted');
    const failures = await steps().filter({ hasText: 'failed' }).locator('[data-role="text"]').allTextContents();
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(/^attempt 1 failed: .*500.*\(next try in [\d.]+ s\)$/);
    expect(failures[1]).toMatch(/^attempt 2 failed: .*500/);
    const cwId = String(h.messagesFor(id)[0].id);
    expect(await journey().locator('[data-role="chatwoot-ids"]').textContent()).toBe(cwId);
    // Phone numbers are masked, the message's text is nowhere.
    const text = (await journey().textContent()) ?? '';
    expect(text).not.toContain('encomenda');
    expect(text).not.toContain(PHONE.slice(1));
    expect(text).toContain('•••0001');
    await shot('journey-retried');
  }, 60_000);

  test('a dead letter replayed from its tab: the journey shows the dead letter, the replay and the post', async () => {
    h.chatwoot.fault({ method: 'POST', path: MESSAGES }, { status: 422, body: { message: 'Validation failed' }, times: 1 });
    const id = h.inject({ id: 'JR-2', from: PHONE, type: 'text', text: 'olá?' });
    await showId(id);
    await waitFor(async () => (await stepNames()).includes('dead-letter'), 10_000, 100, 'the dead letter in the journey');
    expect(await journey().locator('[data-role="status"]').first().textContent()).toBe('dead letter');

    await page.click('#tab-dead-letters');
    const dl = page.locator('#dlq-list tbody tr');
    await dl.first().waitFor();
    await dl.first().locator('[data-action="replay"]').click();
    await h.waitMessage(id);

    await page.click('#tab-journeys');
    // The journey on screen follows the message while the tab is open.
    await waitFor(async () => (await stepNames()).includes('posted'), 10_000, 100, 'the post in the journey');
    const names = await stepNames();
    expect(names.indexOf('dead-letter')).toBeLessThan(names.indexOf('replayed'));
    expect(names.indexOf('replayed')).toBeLessThan(names.indexOf('posted'));
    expect(await journey().locator('[data-role="status"]').first().textContent()).toBe('posted');
    await shot('journey-replayed');
  }, 60_000);

  test("an agent's reply: found by its Chatwoot id, sent to WhatsApp with its ticks; an unknown id is said so", async () => {
    const conversation = h.chatwoot.conversations()[0];
    const reply = await h.chatwoot.agentMessage(conversation.id, { content: 'Está a caminho.' });
    await waitFor(() => h.sim().sent().length > 0 || undefined, 10_000, 25, 'the reply sent on WhatsApp');
    await showId(String(reply.id));
    const status = () => journey().locator('[data-role="status"]').first().textContent();
    await waitFor(async () => /^(delivered|read)$/.test((await status()) ?? ''), 10_000, 100, 'delivered on WhatsApp');
    expect(await stepNames()).toContain('tick');
    expect(await journey().locator('p.hint').textContent()).toMatch(/^Chatwoot to WhatsApp, session main/);
    expect(await stepNames()).toContain('sent');
    expect(await journey().locator('[data-role="whatsapp-ids"]').textContent()).not.toBe('-');

    await find(PHONE);
    const row = page.locator(`#journey-list tr[data-journey="${reply.id}"]`);
    await waitFor(async () => /^(delivered|read)$/.test((await row.getAttribute('data-status')) ?? ''), 10_000, 100, 'the reply listed');
    expect(await row.locator('td').nth(1).textContent()).toBe('Chatwoot to WhatsApp');
    for (const id of ['JR-1', 'JR-2'])
      expect(await page.locator(`#journey-list tr[data-journey="${id}"]`).getAttribute('data-status')).toBe('posted');
    await shot('journey-list');

    await page.fill('#journey-id', 'NO-SUCH-ID');
    await page.click('#journey-show-submit');
    await page.locator('#journey-error').waitFor({ state: 'visible' });
    expect(await page.textContent('#journey-error')).toMatch(/^no journey for message NO-SUCH-ID/);
  }, 60_000);
});
