/**
 * Login, failures and reconnects of the whatsapp-web.js adapter: the library's traps (ENGINES.md) as
 * an operator would see them, through the real Client with a fake WhatsApp Web page.
 */
import fs from 'node:fs';
import path from 'node:path';
import WAWebJS from 'whatsapp-web.js';
import { browserSchema, sessionSchema } from '../../../../src/config/schema';
import { chromiumArgs } from '../../../../src/engines/browser/chromium';
import { within } from '../../../../src/core/timeout';
import { EngineNotReadyError, type PairingInfo } from '../../../../src/engines/types';
import { clientOptions } from '../../../../src/engines/wwebjs/client-options';
import { disconnectFailure, startFailure } from '../../../../src/engines/wwebjs/failures';
import { harness, sleep, type Harness } from './harness';
import { message, rawMessage } from './raw';

let h: Harness;
afterEach(async () => {
  await h?.close();
  h = undefined as unknown as Harness;
});

const stateEvents = () => h.log.events.flatMap((e) => (e.type === 'state' ? [e.change] : []));
const lastState = () => stateEvents().at(-1)!;

describe('LocalAuth and the client options', () => {
  test('the login lives in <dataDir>/session-<id>, owned by LocalAuth; puppeteer.userDataDir is never set by Ponte', async () => {
    h = harness({ paired: true });
    const options = clientOptions({ id: 'shop' }, h.ctx);
    expect(options.puppeteer?.userDataDir).toBeUndefined();
    await h.connected();
    // the real LocalAuth accepted the options and put the profile where backups expect it
    expect((h.wa.client.options as WAWebJS.ClientOptions).puppeteer?.userDataDir).toBe(h.profileDir);
    expect(fs.existsSync(h.profileDir)).toBe(true);
  });

  test('with puppeteer.userDataDir also set, the real LocalAuth refuses to start (the trap the options avoid)', async () => {
    h = harness();
    const options = clientOptions({ id: 'shop' }, h.ctx);
    const client = new WAWebJS.Client({
      ...options,
      puppeteer: { ...options.puppeteer, userDataDir: path.join(h.ctx.dataDir, 'elsewhere') },
    });
    await expect(
      (
        (client as unknown as { authStrategy: unknown }).authStrategy as { beforeBrowserInitialized(): Promise<void> }
      ).beforeBrowserInitialized(),
    ).rejects.toThrow(/LocalAuth is not compatible/);
  });

  test('Chromium flags, no library give-up on QR codes, no puppeteer signal handlers (its SIGINT handler exits the process)', () => {
    h = harness({ browser: { executablePath: '/opt/chromium/chrome', headless: false, extraArgs: ['--lang=pt-PT'] } });
    const o = clientOptions(sessionSchema.parse({ id: 'shop', engine: 'wwebjs' }), h.ctx, '+351 912 345 678');
    expect(o.puppeteer).toMatchObject({
      executablePath: '/opt/chromium/chrome',
      headless: false,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    expect(o.puppeteer?.args).toEqual(chromiumArgs(h.ctx.browser));
    expect(o.puppeteer?.args).toContain('--lang=pt-PT');
    expect(o.qrMaxRetries).toBe(0);
    expect(o.pairWithPhoneNumber?.phoneNumber).toBe('351912345678');
    expect(clientOptions({ id: 'shop' }, { ...h.ctx, browser: browserSchema.parse({}) }).pairWithPhoneNumber).toBeUndefined();
  });
});

describe('pairing', () => {
  test('QR codes rotate: each is a QR_REQUIRED event with a growing attempt, a new code and a future expiry', async () => {
    h = harness({ qrRotateMs: 30 });
    const seen: Array<PairingInfo & { now: number }> = [];
    h.engine.onEvent((e) => {
      if (e.type === 'state' && e.change.state === 'QR_REQUIRED') seen.push({ ...h.engine.pairing()!, now: Date.now() });
    });
    await h.engine.connect();
    await h.log.until(() => seen.length >= 3, 'three QR codes');
    expect(seen.slice(0, 3).map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(new Set(seen.map((s) => s.qr)).size).toBe(seen.length);
    for (const s of seen) {
      expect(s.qr).toMatch(/^2@/);
      expect(s.expiresAt).toBeGreaterThan(s.now);
    }
    expect(lastState().reason).toMatch(/Linked devices/);
    await h.wa.pair();
    await h.log.until(() => h.engine.state() === 'CONNECTED', 'CONNECTED');
    expect(h.engine.pairing()).toBeUndefined();
    expect(h.engine.me()).toBe('+351910000001');
  });

  test('pairing by phone number shows the 8-character code from the library', async () => {
    h = harness();
    await h.engine.connect({ pairingPhone: '+351912345678' });
    await h.log.until(() => h.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED');
    const p = h.engine.pairing()!;
    expect(p.pairingCode).toMatch(/^[A-Z0-9]{8}$/);
    expect(p.qr).toBeUndefined();
    expect(p.attempt).toBe(1);
    expect(p.expiresAt).toBeGreaterThan(Date.now() + 60_000);
    expect(h.wa.options[0].pairWithPhoneNumber?.phoneNumber).toBe('351912345678');
    expect(lastState().reason).toMatch(/pairing code/);
  });

  test('nobody pairs within pairingTimeoutMs: LOGGED_OUT with a reason, Chromium closed, no restart and no more codes', async () => {
    h = harness({ qrRotateMs: 20, pairingTimeoutMs: 150 });
    await h.engine.connect();
    await h.log.until(() => h.engine.state() === 'LOGGED_OUT', 'LOGGED_OUT');
    expect(lastState().reason).toMatch(/nobody paired the phone within 150 ms.*ponte sessions pair shop/);
    await h.log.until(() => !h.wa.browsers[0].connected, 'Chromium closed');
    const count = h.log.events.length;
    await sleep(100);
    expect(h.log.events.length).toBe(count);
    expect(h.wa.initializeCalls).toBe(1);
    expect(h.engine.pairing()).toBeUndefined();
  });
});

describe('failed starts', () => {
  test("'auth timeout' is thrown as a string: TRANSIENT_DISCONNECT with a readable reason, browser closed", async () => {
    // The library's real inject() waits authTimeoutMs (= launchTimeoutMs) for WhatsApp Web, then throws 'auth timeout'.
    h = harness({ webLoads: false, browser: { launchTimeoutMs: 200 } });
    await h.engine.connect();
    await h.log.until(() => h.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState().reason).toBe(
      "WhatsApp Web did not finish loading in time ('auth timeout' from whatsapp-web.js): slow or filtered network, or WhatsApp changed its page",
    );
    await h.log.until(() => !h.wa.browsers[0].connected, 'Chromium closed');
  });

  test('no network (net::ERR_NAME_NOT_RESOLVED): TRANSIENT_DISCONNECT saying so, browser closed', async () => {
    h = harness({ startError: new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com/') });
    await h.engine.connect();
    await h.log.until(() => h.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState().reason).toMatch(/net::ERR_NAME_NOT_RESOLVED.*no network or DNS/);
    await h.log.until(() => !h.wa.browsers[0].connected, 'Chromium closed');
  });

  test('disconnect while the browser is still starting: the late browser is closed too', async () => {
    h = harness({ startDelayMs: 80, paired: true });
    await h.engine.connect();
    await sleep(10);
    await h.engine.disconnect();
    expect(h.engine.state()).toBe('TRANSIENT_DISCONNECT');
    await sleep(150);
    await h.log.until(() => !h.wa.browsers[0].connected, 'Chromium closed');
    expect(stateEvents().map((s) => s.state)).not.toContain('CONNECTED');
  });

  test.each([
    ['the auth timeout string', 'auth timeout', /did not finish loading/],
    [
      'a missing Chromium',
      new Error('Failed to launch the browser process!\nspawn /usr/bin/chromium ENOENT'),
      /Chromium could not start.*browser.executablePath/,
    ],
    [
      'a slow Chromium',
      new Error('Timed out after 30000 ms while waiting for the WS endpoint URL to appear in stdout!'),
      /raise browser.launchTimeoutMs/,
    ],
    ['a refusing proxy', new Error('net::ERR_PROXY_CONNECTION_FAILED at https://web.whatsapp.com/'), /proxy/],
    ['a crashed page', new Error('Protocol error (Runtime.callFunctionOn): Target closed'), /Chromium closed/],
    ['a plain object from the page', { message: 'weird page error' }, /failed to start: weird page error/],
  ])('a start failing with %s is a TRANSIENT_DISCONNECT saying why', (_label, err, reason) => {
    const f = startFailure(err);
    expect(f.state).toBe('TRANSIENT_DISCONNECT');
    expect(f.reason).toMatch(reason);
  });
});

describe('disconnects reported by the library', () => {
  test('an unaccepted state (library already destroyed its client): TRANSIENT_DISCONNECT; reconnecting builds a new Client', async () => {
    h = harness({ paired: true });
    await h.connected();
    const old = h.wa.client;
    h.wa.dropWith('CONFLICT');
    await h.log.until(() => h.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState().reason).toMatch(/another browser \(CONFLICT\)/);
    await expect(h.engine.send({ kind: 'text', chatId: '351912000111@c.us', text: 'x' })).rejects.toBeInstanceOf(EngineNotReadyError);
    await h.engine.connect();
    await h.log.until(() => h.engine.state() === 'CONNECTED', 'CONNECTED again');
    expect(h.wa.clients).toHaveLength(2);
    expect(h.wa.client).not.toBe(old);
    expect(h.wa.initializeCalls).toBe(2);
    // the dead client's late events are not this session's
    const before = h.log.messages().length;
    old.emit('message_create', message(old, rawMessage({ chat: '351912000111@c.us', me: h.wa.me, body: 'ghost' })));
    expect(h.log.messages()).toHaveLength(before);
  });

  test('the phone unlinks the device: LOGGED_OUT, login data deleted, no crash from the library re-injecting', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      h = harness({ paired: true });
      await h.connected();
      await expect(h.wa.unlinkFromPhone()).resolves.toBeUndefined();
      await h.log.until(() => h.engine.state() === 'LOGGED_OUT', 'LOGGED_OUT');
      expect(lastState().reason).toMatch(/unlinked this device.*ponte sessions pair/);
      await h.log.until(() => !fs.existsSync(path.join(h.profileDir, 'ponte-fake-paired')), 'the login deleted');
      await h.log.until(() => !h.wa.browsers[0].connected, 'Chromium closed');
      await sleep(50);
      expect(unhandled).toEqual([]);
      expect(h.wa.initializeCalls).toBe(1);
      // a new login is needed now
      await h.engine.connect();
      await h.log.until(() => h.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED after unlinking');
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test("the library's own unawaited destroy() failing is logged, not an unhandled rejection", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      h = harness({ paired: true });
      await h.connected();
      h.wa.browsers[0].close = async () => {
        throw new Error('Protocol error: Connection closed.');
      };
      h.wa.dropWith('CONFLICT');
      await h.log.until(() => h.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
      await sleep(50);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test('a banned number (TOS_BLOCK) is BAD_CREDENTIALS and keeps its data for inspection', async () => {
    h = harness({ paired: true });
    await h.connected();
    h.wa.dropWith('TOS_BLOCK');
    await h.log.until(() => h.engine.state() === 'BAD_CREDENTIALS', 'BAD_CREDENTIALS');
    expect(lastState().reason).toMatch(/blocked this number \(TOS_BLOCK\)/);
    expect(fs.existsSync(path.join(h.profileDir, 'ponte-fake-paired'))).toBe(true);
  });

  test('auth_failure is BAD_CREDENTIALS', async () => {
    h = harness();
    await h.engine.connect();
    await h.log.until(() => h.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED');
    h.wa.client.emit('auth_failure', 'Unable to restore the session');
    await h.log.until(() => h.engine.state() === 'BAD_CREDENTIALS', 'BAD_CREDENTIALS');
    expect(lastState().reason).toMatch(/refused the stored login \(Unable to restore the session\)/);
  });

  test('while the library reconnects its own socket the session is CONNECTING, then CONNECTED on the same client', async () => {
    h = harness({ paired: true });
    await h.connected();
    // The library's onAppStateChangedEvent: an accepted state is only reported (change_state), no destroy().
    h.wa.dropWith('TIMEOUT');
    await h.log.until(() => h.engine.state() === 'CONNECTING', 'CONNECTING');
    expect(lastState().reason).toMatch(/whatsapp-web.js is reconnecting/);
    await expect(h.engine.send({ kind: 'text', chatId: '351912000111@c.us', text: 'x' })).rejects.toBeInstanceOf(EngineNotReadyError);
    h.wa.dropWith('CONNECTED');
    await h.log.until(() => h.engine.state() === 'CONNECTED', 'CONNECTED again');
    expect(h.wa.clients).toHaveLength(1);
  });

  test('health: the page answers while connected, a hung page never answers, a dead client has no browser', async () => {
    h = harness({ paired: true });
    expect(await h.engine.health()).toEqual({ alive: false, pids: [] });
    await h.connected();
    expect((await h.engine.health()).alive).toBe(true);
    // a hung page leaves the probe unsettled: the watchdog's timeout calls it hung, not crashed
    h.wa.opts.pageHung = true;
    expect(await within(h.engine.health(), 100)).toBeUndefined();
    h.wa.opts.pageHung = false;
    h.wa.dropWith('UNLAUNCHED');
    await h.log.until(() => h.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(await h.engine.health()).toEqual({ alive: false, pids: [] });
  });

  test('a failed re-injection after a page reload is reported, not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      h = harness({ paired: true, browser: { launchTimeoutMs: 150 } });
      await h.connected();
      // WhatsApp Web reloads and its scripts never come: the library's async 'framenavigated' listener
      // runs inject() again, which throws 'auth timeout' where nobody awaits it.
      h.wa.opts.webLoads = false;
      h.wa.page().navigate('https://web.whatsapp.com/');
      await h.log.until(() => h.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
      expect(lastState().reason).toMatch(/auth timeout/);
      await sleep(20);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  test.each([
    ['LOGOUT', 'LOGGED_OUT', true],
    ['UNPAIRED', 'LOGGED_OUT', true],
    ['SMB_TOS_BLOCK', 'BAD_CREDENTIALS', false],
    ['PROXYBLOCK', 'TRANSIENT_DISCONNECT', false],
    ['DEPRECATED_VERSION', 'TRANSIENT_DISCONNECT', false],
    ['SOMETHING_NEW', 'TRANSIENT_DISCONNECT', false],
  ])('disconnected %s -> %s (login deleted: %s)', (reason, state, deleted) => {
    const f = disconnectFailure(reason);
    expect(f.state).toBe(state);
    expect(Boolean(f.deleteLogin)).toBe(deleted);
    expect(f.reason).toContain(reason);
  });
});
