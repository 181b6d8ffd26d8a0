import fs from 'node:fs';
import path from 'node:path';
import { browserSchema, sessionSchema, type BrowserConfig } from '../../../../src/config/schema';
import type { EngineContext } from '../../../../src/engines/factory';
import type { CapabilityTimings } from '../../../../src/engines/wwebjs/capabilities';
import { WwebjsEngine } from '../../../../src/engines/wwebjs/wwebjs-engine';
import { createLogger } from '../../../../src/observability/logger';
import { removeTempDir, tempDir } from '../../../helpers/temp';
import { EventLog } from '../../../conformance/engine-conformance';
import { FakeWhatsAppWeb, type FakeWaOptions } from './fake-wa-web';

export interface Harness {
  engine: WwebjsEngine;
  wa: FakeWhatsAppWeb;
  log: EventLog;
  ctx: EngineContext;
  profileDir: string;
  /** Connects and pairs: resolves once CONNECTED. */
  connected(): Promise<void>;
  close(): Promise<void>;
}

export const SESSION_ID = 'shop';

export function harness(
  options: FakeWaOptions & {
    paired?: boolean;
    pairingTimeoutMs?: number;
    browser?: Partial<BrowserConfig>;
    timeoutMs?: number;
    timings?: CapabilityTimings;
  } = {},
): Harness {
  const dataDir = tempDir('ponte-wwebjs-');
  const profileDir = path.join(dataDir, `session-${SESSION_ID}`);
  if (options.paired) {
    fs.mkdirSync(profileDir, { recursive: true });
    fs.writeFileSync(path.join(profileDir, 'ponte-fake-paired'), 'yes');
  }
  const wa = new FakeWhatsAppWeb(options);
  const ctx: EngineContext = {
    browser: browserSchema.parse(options.browser ?? {}),
    dataDir,
    pairingTimeoutMs: options.pairingTimeoutMs ?? 60_000,
    logger: createLogger({ level: 'silent', pretty: false }),
  };
  const engine = new WwebjsEngine(sessionSchema.parse({ id: SESSION_ID, engine: 'wwebjs' }), ctx, {
    createClient: wa.createClient,
    timings: options.timings,
  });
  const log = new EventLog(engine, options.timeoutMs ?? 3000);
  return {
    engine,
    wa,
    log,
    ctx,
    profileDir,
    async connected() {
      await engine.connect();
      const state = await log.until(
        () => ['CONNECTED', 'QR_REQUIRED'].includes(engine.state()) && engine.state(),
        'CONNECTED or QR_REQUIRED',
      );
      if (state === 'QR_REQUIRED') await wa.pair();
      await log.until(() => engine.state() === 'CONNECTED', 'CONNECTED');
    },
    async close() {
      await engine.disconnect();
      wa.dispose();
      removeTempDir(dataDir);
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
