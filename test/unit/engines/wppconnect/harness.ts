import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { browserSchema, sessionSchema, type BrowserConfig } from '../../../../src/config/schema';
import type { EngineContext } from '../../../../src/engines/factory';
import { realCreate, type CreateClient, type WppCreateOptions } from '../../../../src/engines/wppconnect/library';
import { WppconnectEngine } from '../../../../src/engines/wppconnect/wppconnect-engine';
import type { EngineEvent, SessionState } from '../../../../src/engines/types';
import { FakeWhatsAppWeb } from './fake-whatsapp-web';

export interface Rig {
  engine: WppconnectEngine;
  world: FakeWhatsAppWeb;
  events: EngineEvent[];
  /** Options each create() got (the real create() ran with them, over the fake browser). */
  created: WppCreateOptions[];
  dataDir: string;
  states(): SessionState[];
  until<T>(find: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  dispose(): Promise<void>;
}

export interface RigOptions {
  paired?: boolean;
  pairingTimeoutMs?: number;
  browser?: Partial<BrowserConfig>;
  /** Wraps the real create() (to make it fail, hang...). */
  create?: (real: CreateClient) => CreateClient;
}

/**
 * A WppconnectEngine whose wppconnect is the real library (create(), Whatsapp and all its layers) and
 * whose Chromium is a fake page answering as WhatsApp Web would. Nothing leaves the machine.
 */
export function rig(options: RigOptions = {}): Rig {
  const world = new FakeWhatsAppWeb({ paired: options.paired ?? true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ponte-wpp-'));
  const created: WppCreateOptions[] = [];
  const real: CreateClient = async (o) => {
    created.push(o);
    return realCreate(o);
  };
  const ctx: EngineContext = {
    // Any file that exists: the fake launcher never runs it.
    browser: browserSchema.parse({ executablePath: process.execPath, launchTimeoutMs: 10_000, ...options.browser }),
    dataDir,
    pairingTimeoutMs: options.pairingTimeoutMs ?? 60_000,
    logger: pino({ level: process.env.WPP_TEST_LOG ?? 'silent' }),
  };
  const engine = new WppconnectEngine(sessionSchema.parse({ id: 'wpp-test', engine: 'wppconnect' }), ctx, {
    launchBrowser: world.launcher.launch,
    createClient: options.create ? options.create(real) : real,
  });
  const events: EngineEvent[] = [];
  engine.onEvent((e) => events.push(e));
  return {
    engine,
    world,
    events,
    created,
    dataDir,
    states: () => events.flatMap((e) => (e.type === 'state' ? [e.change.state] : [])),
    async until(find, what, timeoutMs = 8000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const hit = find();
        if (hit) return hit;
        if (Date.now() > deadline)
          throw new Error(
            `timed out waiting for ${what}; states: ${events.flatMap((e) => (e.type === 'state' ? [`${e.change.state}(${e.change.reason ?? ''})`] : [])).join(', ')}`,
          );
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async dispose() {
      await engine.disconnect();
      await world.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A rig connected and CONNECTED. */
export async function connectedRig(options: RigOptions = {}): Promise<Rig> {
  const r = rig({ paired: true, ...options });
  await r.engine.connect();
  await r.until(() => r.engine.state() === 'CONNECTED', 'CONNECTED');
  return r;
}
