import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { browserSchema, sessionSchema } from '../../../../src/config/schema';
import type { EngineEvent } from '../../../../src/engines/types';
import { launchChromium, profileProcesses, type LaunchBrowser } from '../../../../src/engines/wppconnect/browser-process';
import { WppconnectEngine } from '../../../../src/engines/wppconnect/wppconnect-engine';

/**
 * The real thing: Debian's Chromium, started by the adapter, with every host name resolving to nowhere
 * (or to a loopback socket that never answers), so nothing reaches WhatsApp. A start that fails after
 * the browser is up must leave none of its processes behind; wppconnect alone leaves 11-12.
 */
const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const withChromium = fs.existsSync(CHROMIUM) ? describe : describe.skip;

withChromium('a failed start leaves no Chromium behind (real Chromium, no network)', () => {
  let dataDir: string;
  let engine: WppconnectEngine | undefined;
  let silentServer: net.Server | undefined;
  const sockets = new Set<net.Socket>();

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-wpp-chromium-'));
  });

  afterEach(async () => {
    await engine?.disconnect();
    engine = undefined;
    for (const s of sockets) s.destroy();
    if (silentServer) await new Promise<void>((r) => silentServer!.close(() => r()));
    silentServer = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function start(extraArgs: string[], launchTimeoutMs: number) {
    let launched = 0;
    const profileDir = path.join(dataDir, 'cleanup');
    // The real launcher, counting what it started: proof that the test had a browser to clean up.
    const launchBrowser: LaunchBrowser = async (request) => {
      const handle = await launchChromium(request);
      launched = profileProcesses(request.userDataDir).length;
      return handle;
    };
    engine = new WppconnectEngine(
      sessionSchema.parse({ id: 'cleanup', engine: 'wppconnect' }),
      {
        browser: browserSchema.parse({ executablePath: CHROMIUM, headless: true, extraArgs, launchTimeoutMs }),
        dataDir,
        pairingTimeoutMs: 60_000,
        logger: pino({ level: 'silent' }),
      },
      { launchBrowser },
    );
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    return { events, profileDir, launched: () => launched };
  }

  async function ended(events: EngineEvent[], timeoutMs: number): Promise<{ state: string; reason?: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = events.find((e) => e.type === 'state' && e.change.state === 'TRANSIENT_DISCONNECT');
      if (hit && hit.type === 'state') return hit.change;
      if (Date.now() > deadline) throw new Error(`no TRANSIENT_DISCONNECT within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  test('create() rejects (web.whatsapp.com does not resolve): state says why, no process of the profile survives', async () => {
    const { events, profileDir, launched } = start(['--host-resolver-rules=MAP * ~NOTFOUND'], 15_000);
    await engine!.connect();
    const end = await ended(events, 15_000);
    expect(end.reason).toMatch(/WhatsApp Web did not start: .*ERR_NAME_NOT_RESOLVED/);
    expect(launched()).toBeGreaterThan(1);
    expect(profileProcesses(profileDir)).toEqual([]);
    expect(engine!.state()).toBe('TRANSIENT_DISCONNECT');
  }, 20_000);

  test('a profile locked by a Chromium of another host (a re-created container) is unlocked and the browser starts', async () => {
    const { events, profileDir, launched } = start(['--host-resolver-rules=MAP * ~NOTFOUND'], 15_000);
    fs.mkdirSync(profileDir, { recursive: true });
    fs.symlinkSync('old-container-1f2e3d-4242', path.join(profileDir, 'SingletonLock'));
    await engine!.connect();
    const end = await ended(events, 15_000);
    // It got as far as loading WhatsApp Web (no DNS here), not stopped at a profile "in use on another computer".
    expect(end.reason).toMatch(/ERR_NAME_NOT_RESOLVED/);
    expect(launched()).toBeGreaterThan(1);
  }, 20_000);

  test('WhatsApp Web never loads (a server that never answers): the load timeout ends it, no process survives', async () => {
    silentServer = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((r) => silentServer!.listen(0, '127.0.0.1', () => r()));
    const port = (silentServer.address() as net.AddressInfo).port;
    const { events, profileDir, launched } = start([`--host-resolver-rules=MAP * 127.0.0.1:${port}`], 3000);
    await engine!.connect();
    const end = await ended(events, 10_000);
    expect(end.reason).toMatch(/did not load within 3 s/);
    expect(launched()).toBeGreaterThan(1);
    expect(profileProcesses(profileDir)).toEqual([]);
  }, 15_000);
});
