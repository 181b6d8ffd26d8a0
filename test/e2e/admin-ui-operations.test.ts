/**
 * The admin page's operations tabs clicked through in headless Debian Chromium: dead letters (reason, replay
 * one, replay all), bots (a chat in its flow restarted, a chat with humans resumed), registrations (list,
 * show, retry) and the daemons. The daemon runs in this process on a real redis-server with the simulator
 * engine and the strict Chatwoot, Typebot and backend fakes; each action is checked where it lands (the
 * message in Chatwoot, the next question on WhatsApp, the driver at the backend). Needs `npm run build`
 * (the front thread) and /usr/bin/chromium. Screenshots go to .cache/screenshots/ (gitignored).
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { BackendFake } from '../fakes/backend';
import { REPO_ROOT, waitFor } from '../helpers';
import { ADMIN_TOKEN } from '../helpers/relay-harness';
import { startBotHarness, type BotHarness } from '../integration/bots/bot-harness';
import { driversFlow, fillIn } from '../integration/registration/support';

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
const SECRET = 'registration-secret-for-admin-ui-0123';

/** driversFlow's first bubble. */
const GREETING = 'Bem-vindo ao registo de motoristas.\nNome completo?';
const quiet = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('admin page: dead letters, bots, registrations and daemons (headless Chromium)', () => {
  let h: BotHarness;
  let backend: BackendFake;
  let browser: Browser | undefined;
  let page: Page;
  const dialogs: string[] = [];

  const tab = async (name: string) => {
    await page.click(`#tab-${name}`);
    await page.locator(`#panel-${name}`).waitFor({ state: 'visible' });
  };
  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `admin-ui-${name}.png`), fullPage: true });
  const chatKey = (phone: string) => `${phone.slice(1)}@c.us`;

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    backend = await BackendFake.start({ secret: SECRET });
    const pacing = { minGapMs: 0, jitterMs: 0, typing: false };
    h = await startBotHarness(
      { drivers: driversFlow },
      { trigger: { keywords: ['registo'] } },
      { fake: { inboxes: [{ id: 1 }, { id: 2, name: 'Balcão' }] } },
      () => ({
        // "desk" has no bot: its dead letters are the relay's alone.
        sessions: [
          { id: 'main', engine: 'simulator', inboxId: 1, bot: 'helper', simulator: { ackIntervalMs: 50 }, pacing },
          { id: 'desk', engine: 'simulator', inboxId: 2, simulator: { ackIntervalMs: 50 }, pacing },
        ],
        registration: { bot: 'helper', endpoint: backend.url, secret: SECRET, hookToken: 'hook-token-for-admin-ui-0123' },
        queue: { baseDelayMs: 50, maxDelayMs: 300 },
      }),
    );
    await waitFor(() => h.sim('desk').state() === 'CONNECTED', 10_000, 25, 'desk connected');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.goto(`${h.url()}/admin/ui`);
    await page.fill('#token', ADMIN_TOKEN);
    await page.click('#signin');
    await page.locator('[data-session="desk"]').waitFor();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (h) {
      expect(h.chatwoot.rejections()).toEqual([]);
      expect(h.typebot.rejections).toEqual([]);
      await h.stop();
    }
    await backend?.stop();
  });

  test('dead letters: each with its reason; one replayed, then all; the messages reach Chatwoot', async () => {
    h.chatwoot.fault(
      { method: 'POST', path: /\/conversations\/\d+\/messages$/ },
      { status: 422, body: { message: 'Validation failed: Content is invalid', attributes: ['content'] }, times: 2 },
    );
    await tab('dead-letters');
    const rows = page.locator('#dlq-list tbody tr');
    const ids = ['DL-1', 'DL-2'];
    for (const [i, id] of ids.entries()) {
      h.inject({ id, from: `+35191280000${i + 1}`, type: 'text', text: `mensagem ${i + 1}` }, 'desk');
      await waitFor(async () => (await rows.count()) === i + 1, 15_000, 100, `dead letter ${i + 1} listed`);
    }
    for (const text of await rows.locator('[data-role="reason"]').allTextContents()) expect(text).toMatch(/422/);
    expect(await rows.locator('[data-role="summary"]').allTextContents()).toEqual(['desk: message (text)', 'desk: message (text)']);
    expect(h.messagesFor('DL-1')).toEqual([]);
    await shot('dead-letters');

    // The first (oldest) row is DL-1's: replaying it posts that message and leaves the other listed.
    await rows.first().locator('[data-action="replay"]').click();
    await h.waitMessage('DL-1');
    await waitFor(async () => (await rows.count()) === 1, 10_000, 100, 'one dead letter left');
    expect(await page.textContent('#dlq-status')).toBe('Replayed desk: message (text): it is back in its lane.');
    expect(h.messagesFor('DL-2')).toEqual([]);

    await page.click('#dlq-replay-all');
    await h.waitMessage('DL-2');
    await page.locator('#dlq-empty').waitFor({ state: 'visible' });
    expect(await page.textContent('#dlq-status')).toBe('Replayed 1 dead letter: it is back in its lane.');
    expect(dialogs.at(-1)).toBe('Replay all 1 dead letter(s)? Each goes back in its lane and is tried again.');
    expect(await page.isDisabled('#dlq-replay-all')).toBe(true);
    expect(h.messagesFor('DL-1')).toHaveLength(1);
    await shot('dead-letters-replayed');
  }, 60_000);

  test('bots: a chat with humans is resumed where its flow was; a chat in its flow is restarted', async () => {
    const inFlow = '+351913100001';
    const withHumans = '+351913100002';
    for (const phone of [inFlow, withHumans]) {
      h.inject({ from: phone, type: 'text', text: 'Quero fazer o registo' });
      await h.waitSent(phone, 1);
    }
    h.inject({ from: withHumans, type: 'text', text: 'Rita Sousa' });
    expect((await h.waitSent(withHumans, 2))[1]).toBe('NIF?');
    await h.chatwoot.agentMessage(h.conversation(withHumans).id, { content: 'Olá, sou a Ana.' });
    await waitFor(() => h.conversation(withHumans).status === 'open' || undefined, 5000, 25, 'the conversation open for the agents');
    expect((await h.waitSent(withHumans, 3))[2]).toBe('Olá, sou a Ana.');

    await tab('bots');
    const row = (phone: string) => page.locator(`#bots-list tr[data-chat="${chatKey(phone)}"]`);
    await waitFor(async () => (await row(withHumans).getAttribute('data-mode')) === 'human', 10_000, 100, 'the chat shown with humans');
    expect(await row(inFlow).locator('[data-role="mode"]').textContent()).toBe('in the flow');
    expect(await row(withHumans).locator('[data-role="mode"]').textContent()).toBe('with humans');
    expect(await row(withHumans).locator('td').nth(1).textContent()).toBe(withHumans);
    // Only a chat in human hands can be resumed.
    expect(await row(inFlow).locator('[data-action="resume"]').isHidden()).toBe(true);
    await shot('bots');

    await row(withHumans).locator('[data-action="resume"]').click();
    await waitFor(async () => (await row(withHumans).getAttribute('data-mode')) === 'bot', 10_000, 100, 'the chat back in its flow');
    expect(await page.textContent('#bots-status')).toBe(`Chat ${withHumans} is back with its bot: the flow goes on where it was.`);
    await waitFor(() => h.conversation(withHumans).status === 'pending' || undefined, 5000, 25, 'pending again');
    // The flow goes on from its question (NIF), not from the start.
    h.inject({ from: withHumans, type: 'text', text: '123456789' });
    expect((await h.waitSent(withHumans, 4))[3]).toBe('Telefone?');

    const starts = () => h.typebot.requests.filter((r) => r.path.endsWith('/startChat')).length;
    const before = starts();
    await row(inFlow).locator('[data-action="restart"]').click();
    expect(dialogs.at(-1)).toBe(`Start the flow of chat ${inFlow} afresh? Where it was in the flow is dropped.`);
    expect(await h.waitSent(inFlow, 2)).toEqual([GREETING, GREETING]);
    expect(starts()).toBe(before + 1);
    expect(await page.textContent('#bots-status')).toBe(`The flow of chat ${inFlow} starts afresh.`);
    await shot('bots-after');
  }, 60_000);

  test('registrations: a refused one is listed with the reason, shown whole, retried and delivered once', async () => {
    const phone = '+351913200001';
    backend.rejectNext({ nif: ['Já existe um motorista com este NIF.'] });
    await fillIn(h, phone);
    await tab('registrations');
    const rows = page.locator('#reg-list tbody tr');
    await waitFor(
      async () => (await rows.first().getAttribute('data-status')) === 'rejected',
      15_000,
      100,
      'the registration shown refused',
    );
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    const id = (await row.getAttribute('data-registration'))!;
    expect(await row.locator('[data-role="error"]').textContent()).toMatch(/HTTP 400.*nif: Já existe um motorista com este NIF/);
    expect(await row.locator('td').nth(3).textContent()).toBe(phone);
    expect(backend.drivers).toHaveLength(0);

    await row.locator('[data-action="show"]').click();
    const details = page.locator('#reg-details');
    await details.waitFor({ state: 'visible' });
    expect(await details.locator('h2').textContent()).toBe(`Registration ${id}`);
    const answers = await details.locator('[data-role="fields"] dd').allTextContents();
    expect(answers).toEqual(expect.arrayContaining(['Maria João Silva', '123456789', 'Lisboa']));
    expect(await details.locator('table tbody tr').count()).toBe(3);
    await shot('registrations');

    await row.locator('[data-action="retry"]').click();
    await waitFor(() => backend.drivers.length === 1 || undefined, 10_000, 25, 'the driver at the backend');
    await waitFor(async () => (await rows.first().getAttribute('data-status')) === 'delivered', 10_000, 100, 'shown delivered');
    expect(await rows.first().locator('[data-role="driver"]').textContent()).toBe(String(backend.drivers[0].id));
    expect(await rows.first().locator('[data-action="retry"]').isHidden()).toBe(true);
    expect(await page.textContent('#reg-status-line')).toBe(`Registration ${id} is queued again: it goes to the backend now.`);
    // The details follow the record: delivered, with the driver's id.
    await waitFor(async () => /delivered/.test((await details.textContent()) ?? ''), 10_000, 100, 'the details updated');
    expect(backend.drivers[0].fields.nome_completo).toBe('Maria João Silva');
    await quiet();
    expect(backend.drivers).toHaveLength(1);
    await shot('registrations-delivered');

    await page.selectOption('#reg-status', 'failed');
    await page.locator('#reg-empty').waitFor({ state: 'visible' });
  }, 90_000);

  test('daemons: this daemon and the sessions it runs', async () => {
    await tab('daemons');
    const rows = page.locator('#daemons-list tbody tr');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('this daemon');
    expect(await rows.first().locator('[data-role="sessions"]').textContent()).toBe('desk, main');
    expect(await rows.first().locator('[data-role="room"]').textContent()).toBe('2, no limit');
    expect(await page.isHidden('#daemons-alone')).toBe(true);
    await shot('daemons');
    // The tab is in the address: a reload opens it again.
    expect(new URL(page.url()).hash).toBe('#daemons');
    await page.reload();
    await page.locator('#panel-daemons').waitFor({ state: 'visible' });
    await page.click('#tab-sessions');
    expect(page.url()).toBe(`${h.url()}/admin/ui`);
  });
  test('on a phone-sized screen the page does not scroll sideways: tabs wrap, wide tables scroll in their panel', async () => {
    await page.setViewportSize({ width: 400, height: 800 });
    for (const name of ['registrations', 'bots', 'dead-letters', 'daemons']) {
      await tab(name);
      await quiet(100);
      const overflow = await page.evaluate(() => {
        const root = (globalThis as any).document.documentElement as { scrollWidth: number; clientWidth: number };
        return root.scrollWidth - root.clientWidth;
      });
      expect([name, overflow]).toEqual([name, 0]);
    }
    await tab('registrations');
    await shot('registrations-narrow');
  });
});
