import fs from 'node:fs';
import path from 'node:path';
import { chromiumArgs } from '../../../../src/engines/browser/chromium';
import { connectedRig, rig, type Rig } from './harness';

/**
 * Starting, pairing and ending a session, with the real wppconnect over a fake page. Each trap of
 * ENGINES.md that concerns create() and the session's life has its test here.
 */
let r: Rig | undefined;
afterEach(async () => {
  await r?.dispose();
  r = undefined;
});

const lastState = (x: Rig) =>
  x.events.filter((e) => e.type === 'state').at(-1) as { change: { state: string; reason?: string } } | undefined;

describe('create() gets the options the traps call for', () => {
  test('useChrome false, browserArgs always, autoClose 0, updatesLog false, our own browser and page, the profile under dataDir', async () => {
    r = await connectedRig({ browser: { extraArgs: ['--lang=pt-PT'], headless: true } });
    const options = r.created[0];
    expect(options.useChrome).toBe(false);
    expect(options.autoClose).toBe(0);
    expect(options.updatesLog).toBe(false);
    expect(options.browserArgs).toEqual(expect.arrayContaining(chromiumArgs(r.engine['ctx'].browser)));
    expect(options.browserArgs).toContain('--lang=pt-PT');
    if (process.getuid?.() === 0) expect(options.browserArgs).toContain('--no-sandbox');
    expect(options.folderNameToken).toBe(r.dataDir);
    expect(options.session).toBe('wpp-test');
    expect(options.puppeteerOptions).toMatchObject({ executablePath: process.execPath, userDataDir: path.join(r.dataDir, 'wpp-test') });
    expect(options.headless).toBe(true);
    // create() must not launch a browser of its own: it gets the one Ponte launched (and will kill).
    expect(options.browser).toBe(r.world.launcher.browsers[0]);
    expect(options.page).toBe(r.world.launcher.browsers[0].page);
    expect(r.world.launcher.requests[0]).toMatchObject({
      executablePath: process.execPath,
      userDataDir: path.join(r.dataDir, 'wpp-test'),
      headless: true,
    });
    expect(r.world.launcher.requests[0].args).toEqual(options.browserArgs);
  });
});

describe('WhatsApp Web build and first sync, from the config', () => {
  test('by default: the live WhatsApp Web build, and a first sync may take 10 minutes (wppconnect alone allows 3)', async () => {
    r = await connectedRig();
    expect(r.created[0].whatsappVersion).toBe('');
    expect(r.created[0].deviceSyncTimeout).toBe(600_000);
    expect(r.world.page.intercepting).toBe(false);
  });

  test('browser.wppconnect pins a saved build, which wppconnect then serves itself, and sets the sync time', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- wppconnect's own dependency, not the project's: read where needed
    const saved = (require('@wppconnect/wa-version') as { getAvailableVersions(): string[] }).getAvailableVersions().at(-1)!;
    r = await connectedRig({ browser: { wppconnect: { whatsappVersion: saved, deviceSyncTimeoutMs: 900_000 } } });
    expect(r.created[0].whatsappVersion).toBe(saved);
    expect(r.created[0].deviceSyncTimeout).toBe(900_000);
    // browser.js setWhatsappVersion: the saved page answers the request for web.whatsapp.com.
    expect(r.world.page.intercepting).toBe(true);
  });
});

describe('pairing', () => {
  test('QR codes: pairing() gives the raw code, a growing attempt and an expiry; pairing ends it', async () => {
    r = rig({ paired: false });
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED');
    const first = r.engine.pairing()!;
    expect(first).toMatchObject({ qr: '2@fake-qr-1,key,351910000000', attempt: 1 });
    expect(first.expiresAt).toBeGreaterThan(Date.now());
    r.world.rotateQr();
    await r.until(() => r!.engine.pairing()?.attempt === 2, 'the second QR');
    expect(r.engine.pairing()!.qr).toBe('2@fake-qr-2,key,351910000000');
    r.world.pair();
    await r.until(() => r!.engine.state() === 'CONNECTED', 'CONNECTED');
    expect(r.engine.pairing()).toBeUndefined();
    expect(r.engine.me()).toBe('+351910000000');
  });

  test('pairing by phone number: create() gets phoneNumber, the 8-character code shows in pairing()', async () => {
    r = rig({ paired: false });
    await r.engine.connect({ pairingPhone: '+351 910 000 000' });
    await r.until(() => r!.engine.pairing()?.pairingCode, 'a pairing code');
    expect(r.created[0].phoneNumber).toBe('351910000000');
    expect(r.world.actions).toContainEqual({ what: 'linkByCode', arg: '351910000000' });
    expect(r.engine.pairing()).toMatchObject({ pairingCode: 'K7QJR2XM', attempt: 1 });
    expect(r.engine.pairing()?.qr).toBeUndefined();
  });

  test('nobody pairs within pairingTimeoutMs: LOGGED_OUT with the way out, browser closed, no restart', async () => {
    r = rig({ paired: false, pairingTimeoutMs: 300 });
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'LOGGED_OUT', 'LOGGED_OUT');
    expect(lastState(r)!.change.reason).toMatch(/nobody paired the phone within 0 s; run "ponte sessions pair wpp-test"/);
    expect(r.world.launcher.open()).toHaveLength(0);
    await new Promise((res) => setTimeout(res, 300));
    expect(r.world.launcher.browsers).toHaveLength(1);
    expect(r.engine.state()).toBe('LOGGED_OUT');
  });
});

describe('a start that fails closes the browser it launched', () => {
  test('create() rejects: TRANSIENT_DISCONNECT with the reason, no browser left open', async () => {
    r = rig({ create: () => async () => Promise.reject(new Error('net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com')) });
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState(r)!.change.reason).toBe('WhatsApp Web did not start: net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com');
    expect(r.world.launcher.browsers).toHaveLength(1);
    expect(r.world.launcher.open()).toHaveLength(0);
  });

  test('WhatsApp Web never loads: the launch timeout ends the attempt and closes the browser', async () => {
    r = rig({ browser: { launchTimeoutMs: 200 }, create: () => () => new Promise(() => undefined) });
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState(r)!.change.reason).toMatch(/did not load within 0 s/);
    expect(r.world.launcher.open()).toHaveLength(0);
  });

  test('the browser does not start: TRANSIENT_DISCONNECT naming the error', async () => {
    r = rig();
    r.world.launcher.failWith = new Error('Failed to launch the browser process!');
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState(r)!.change.reason).toContain('Failed to launch the browser process!');
  });

  test('connect never throws, and a missing Chromium is named', async () => {
    r = rig({ browser: { executablePath: '/nonexistent/chromium' } });
    await expect(r.engine.connect()).resolves.toBeUndefined();
    await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState(r)!.change.reason).toMatch(/Chromium not found at \/nonexistent\/chromium/);
    expect(r.world.launcher.requests).toHaveLength(0);
  });
});

describe('what WhatsApp Web reports while connected', () => {
  const profileOf = (x: Rig) => path.join(x.dataDir, 'wpp-test');

  test('the phone unlinks the device: LOGGED_OUT, session data deleted, browser closed', async () => {
    r = await connectedRig();
    fs.writeFileSync(path.join(profileOf(r), 'Local State'), '{}');
    r.world.registered = false; // the page's registration poll notices and reports disconnectedMobile
    await r.until(() => r!.engine.state() === 'LOGGED_OUT', 'LOGGED_OUT', 5000);
    expect(lastState(r)!.change.reason).toMatch(/unlinked this device/);
    expect(fs.existsSync(profileOf(r))).toBe(false);
    expect(r.world.launcher.open()).toHaveLength(0);
  });

  test('a banned number: BAD_CREDENTIALS with a clear reason, data kept, browser closed', async () => {
    r = await connectedRig();
    r.world.page.fire('onStateChange', 'TOS_BLOCK');
    await r.until(() => r!.engine.state() === 'BAD_CREDENTIALS', 'BAD_CREDENTIALS');
    expect(lastState(r)!.change.reason).toMatch(/WhatsApp banned this number/);
    expect(fs.existsSync(profileOf(r))).toBe(true);
    expect(r.world.launcher.open()).toHaveLength(0);
  });

  test('socket UNPAIRED while connected: LOGGED_OUT and data deleted', async () => {
    r = await connectedRig();
    r.world.page.fire('onStateChange', 'UNPAIRED');
    await r.until(() => r!.engine.state() === 'LOGGED_OUT', 'LOGGED_OUT');
    expect(fs.existsSync(profileOf(r))).toBe(false);
  });

  test('before pairing, "unpaired" signals are just the QR screen: the login goes on', async () => {
    r = rig({ paired: false });
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'QR_REQUIRED', 'QR_REQUIRED');
    r.created[0].statusFind!('disconnectedMobile', 'wpp-test');
    r.world.page.fire('onStateChange', 'UNPAIRED');
    await new Promise((res) => setTimeout(res, 50));
    expect(r.engine.state()).toBe('QR_REQUIRED');
    expect(r.world.launcher.open()).toHaveLength(1);
  });

  test('a socket drop: CONNECTING while WhatsApp Web reconnects by itself, CONNECTED again after', async () => {
    r = await connectedRig();
    r.world.page.fire('onStateChange', 'TIMEOUT');
    await r.until(() => r!.engine.state() === 'CONNECTING', 'CONNECTING');
    r.world.page.fire('onStateChange', 'CONNECTED');
    await r.until(() => r!.engine.state() === 'CONNECTED', 'CONNECTED');
    expect(r.world.launcher.browsers).toHaveLength(1);
  });

  test('a socket that does not come back within launchTimeoutMs: TRANSIENT_DISCONNECT, browser closed', async () => {
    r = await connectedRig({ browser: { launchTimeoutMs: 150 } });
    r.world.page.fire('onStateChange', 'OPENING');
    await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState(r)!.change.reason).toMatch(/did not get its connection back/);
    expect(r.world.launcher.open()).toHaveLength(0);
  });

  test('opened in another browser (CONFLICT): the session is taken back with useHere', async () => {
    r = await connectedRig();
    r.world.page.fire('onStateChange', 'CONFLICT');
    await r.until(() => r!.world.actions.some((a) => a.what === 'useHere'), 'useHere');
    r.world.page.fire('onStateChange', 'CONNECTED');
    await r.until(() => r!.engine.state() === 'CONNECTED', 'CONNECTED');
  });

  test('Chromium dies: TRANSIENT_DISCONNECT (the SessionManager reconnects), and reconnecting needs no QR', async () => {
    r = await connectedRig();
    r.world.launcher.browsers[0].emit('disconnected');
    await r.until(() => r!.engine.state() === 'TRANSIENT_DISCONNECT', 'TRANSIENT_DISCONNECT');
    expect(lastState(r)!.change.reason).toBe('Chromium closed unexpectedly');
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'CONNECTED', 'CONNECTED again');
    expect(r.world.launcher.browsers).toHaveLength(2);
    expect(r.states()).not.toContain('QR_REQUIRED');
  });
});

describe('ending a session on purpose', () => {
  test('logout unpairs in WhatsApp Web, deletes the profile and reports LOGGED_OUT once', async () => {
    r = await connectedRig();
    await r.engine.logout();
    expect(r.world.actions.map((a) => a.what)).toContain('logout');
    expect(fs.existsSync(path.join(r.dataDir, 'wpp-test'))).toBe(false);
    expect(r.states().filter((s) => s === 'LOGGED_OUT')).toHaveLength(1);
    expect(r.world.launcher.open()).toHaveLength(0);
  });

  test('disconnect keeps the profile; an old browser closing later does not move the new session', async () => {
    r = await connectedRig();
    const old = r.world.launcher.browsers[0];
    await r.engine.disconnect();
    expect(fs.existsSync(path.join(r.dataDir, 'wpp-test'))).toBe(true);
    await r.engine.connect();
    await r.until(() => r!.engine.state() === 'CONNECTED', 'CONNECTED');
    old.emit('disconnected');
    await new Promise((res) => setTimeout(res, 30));
    expect(r.engine.state()).toBe('CONNECTED');
  });

  test('health(): alive with the browser, not alive once it is gone', async () => {
    r = await connectedRig();
    expect(await r.engine.health()).toEqual({ alive: true, pids: [] });
    await r.engine.disconnect();
    expect((await r.engine.health()).alive).toBe(false);
  });
});
